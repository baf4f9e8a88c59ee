import { describe, expect, it } from 'vitest'
import { detectMapping } from '../../src-main/chem/columns'
import { normaliseRow } from '../../src-main/chem/normalise-row'

// The web export's own column names, so the comment, validity and duplicate columns map as they
// do on a real file.
const HEADER = [
  'Molecule ChEMBL ID',
  'Smiles',
  'Standard Type',
  'Standard Relation',
  'Standard Value',
  'Standard Units',
  'pChEMBL Value',
  'Data Validity Comment',
  'Comment',
  'Potential Duplicate',
]
const mapping = detectMapping(HEADER)
const row = (over: Partial<Record<string, string>>) =>
  HEADER.map(
    (h) =>
      over[h] ??
      {
        'Molecule ChEMBL ID': 'CHEMBL25',
        Smiles: 'CC(=O)Oc1ccccc1C(=O)O',
        'Standard Type': 'IC50',
        'Standard Relation': "'='",
        'Standard Value': '750',
        'Standard Units': 'nM',
        'Potential Duplicate': '0',
      }[h] ??
      '',
  )
const activity = (over: Partial<Record<string, string>>) => {
  const r = normaliseRow(row(over), mapping, true)
  if ('rejection' in r) throw new Error(`rejected: ${r.rejection.detail}`)
  return r.row.activity
}

describe('log-scale standard types', () => {
  // pActivity = 9 - log10(value in nM), worked by hand for each row:
  //   pX = value; log10(x in M) = v -> -v; log10(x in nM) = v -> 9 - v;
  //   log10(x in uM) = v -> x = 10^v uM = 10^(v+3) nM -> 6 - v; -log10(x in uM) = v -> 6 + v
  const converted: [type: string, value: string, units: string, p: number][] = [
    ['pIC50', '7.2', '', 7.2],
    ['pKi', '8.05', '', 8.05],
    ['pEC50', '6.5', 'M', 6.5],
    ['pA2', '9.1', '', 9.1],
    ['Log IC50', '3.45', 'nM', 5.55], // aromatase export, line 497 (CHEMBL488)
    ['Log IC50', '-6', 'M', 6],
    ['log IC50', '-7.25', 'M', 7.25],
    ['logKi', '1.5', 'uM', 4.5],
    ['Log IC50', '-1.2', 'uM', 7.2],
    ['-Log IC50', '6', 'M', 6],
    ['-Log IC50', '6', '', 6],
    ['-log Ki', '2', 'uM', 8],
    ['log(1/C)', '5.3', '', 5.3],
    ['Log IC50 (M)', '-7.5', '', 7.5],
    ['IC50', '750', 'nM', 9 - Math.log10(750)],
    ['IC50', '2.5', 'uM', 9 - Math.log10(2500)],
  ]
  it.each(converted)('%s %s %s has pActivity %d and keeps its type', (type, value, units, p) => {
    const a = activity({ 'Standard Type': type, 'Standard Value': value, 'Standard Units': units })
    expect(a?.pActivity).toBeCloseTo(p, 10)
    expect(a?.valueNm).toBeCloseTo(10 ** (9 - p), 6)
    expect(a?.standardType).toBe(type)
    expect(a?.usable).toBe(true)
  })

  const unusable: [type: string, value: string, units: string, reason: string][] = [
    // aromatase export, line 83: a pIC50 "in uM" may be log10 of a uM value; nothing says which
    ['pIC50', '0.155', 'uM', 'log-scale-ambiguous'],
    // a negative one (line 248) is kept, not rejected as a concentration that is not positive
    ['pIC50', '-2.176', 'uM', 'log-scale-ambiguous'],
    ['Log IC50', '3.45', '', 'log-scale-ambiguous'],
    ['Log IC50', '2', '%', 'log-scale-ambiguous'],
    ['Log IC50 (M)', '-7', 'nM', 'log-scale-ambiguous'],
    ['logP', '2.1', '', 'log-scale-not-potency'],
    ['pKa', '4.5', '', 'log-scale-not-potency'],
    ['Log kcat', '1.2', 's-1', 'log-scale-not-potency'],
  ]
  it.each(unusable)('%s %s %s is kept without a pActivity: %s', (type, value, units, reason) => {
    const a = activity({ 'Standard Type': type, 'Standard Value': value, 'Standard Units': units })
    expect(a).toMatchObject({ pActivity: null, usable: false, unusableReason: reason })
    expect(a?.standardValue).toBe(Number(value))
  })

  it('takes pChEMBL when ChEMBL gives one for an ambiguous log value', () => {
    const a = activity({
      'Standard Type': 'pIC50',
      'Standard Value': '0.155',
      'Standard Units': 'uM',
      'pChEMBL Value': '5.81',
    })
    expect(a).toMatchObject({ pActivity: 5.81, usable: true, unusableReason: null })
  })

  it('marks a log value far outside any real potency implausible', () => {
    const a = activity({ 'Standard Type': 'pIC50', 'Standard Value': '42', 'Standard Units': '' })
    expect(a).toMatchObject({ usable: false, unusableReason: 'implausible-value' })
  })
})

describe('activity comments, data validity and duplicates', () => {
  const noValue = { 'Standard Value': '', 'Standard Units': '', 'Standard Relation': '' }
  it.each([
    ['Not Active', 'inactive'],
    ['Not Active (inhibition < 50% @ 10 uM and thus dose-reponse curve not measured)', 'inactive'],
    ['Inactive', 'inactive'],
    ['No inhibition', 'inactive'],
    ['No detectable activity', 'inactive'],
    ['Inactivation not observed', 'inactive'],
    ['Inconclusive', 'inconclusive'],
    ['Not Determined', 'inconclusive'],
    ['No data', 'inconclusive'],
    ['Active', 'qualitative-only'],
    ['Dose-dependent effect', 'qualitative-only'],
  ])('keeps a row with no value and the comment "%s" as %s', (comment, reason) => {
    const a = activity({ ...noValue, Comment: comment })
    expect(a).toMatchObject({
      standardValue: null,
      pActivity: null,
      valueNm: null,
      usable: false,
      unusableReason: reason,
    })
  })

  it('still rejects a row with no value and no comment, or only a record number', () => {
    for (const comment of ['', '384959']) {
      const r = normaliseRow(row({ ...noValue, Comment: comment }), mapping, true)
      expect('rejection' in r && r.rejection.reason).toBe('missing-value')
    }
  })

  it('keeps values ChEMBL doubts, with the doubt as the reason', () => {
    expect(activity({ 'Data Validity Comment': 'Outside typical range' })).toMatchObject({
      usable: false,
      unusableReason: 'outside-typical-range',
    })
    expect(activity({ 'Data Validity Comment': 'Potential transcription error' })).toMatchObject({
      unusableReason: 'potential-transcription-error',
    })
    expect(activity({ 'Data Validity Comment': 'Non standard unit for type' })).toMatchObject({
      unusableReason: 'non-standard-unit',
    })
    expect(activity({ 'Data Validity Comment': 'Some new doubt' })).toMatchObject({
      unusableReason: 'validity-comment',
    })
    // a curator's check is not a doubt
    expect(activity({ 'Data Validity Comment': 'Manually validated' })).toMatchObject({
      usable: true,
      unusableReason: null,
    })
    for (const flag of ['1', 'True'])
      expect(activity({ 'Potential Duplicate': flag })).toMatchObject({
        usable: false,
        unusableReason: 'potential-duplicate',
      })
    for (const flag of ['0', 'False', ''])
      expect(activity({ 'Potential Duplicate': flag })).toMatchObject({ usable: true })
    // a more fundamental reason wins: the doubt only marks rows that are otherwise usable
    expect(
      activity({ 'Standard Relation': "'>'", 'Data Validity Comment': 'Outside typical range' }),
    ).toMatchObject({ unusableReason: 'censored' })
    // a row with neither value nor comment that ChEMBL says misses data is kept with that reason
    expect(
      activity({ ...noValue, 'Data Validity Comment': 'Potential missing data' }),
    ).toMatchObject({ unusableReason: 'potential-missing-data', pActivity: null })
  })
})
