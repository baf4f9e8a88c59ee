import { describe, expect, it } from 'vitest'
import { applyOverrides, detectFormat, detectMapping } from '../../src-main/chem/columns'
import { normaliseRow } from '../../src-main/chem/normalise-row'
import { detectEncoding } from '../../src-main/chem/text-encoding'
import { lineAligned, textDecoder } from '../../src-main/engine/import/read-table'

const HEADER = [
  'Molecule ChEMBL ID',
  'Smiles',
  'Molecular Weight',
  'AlogP',
  'Standard Type',
  'Standard Relation',
  'Standard Value',
  'Standard Units',
  'pChEMBL Value',
  'Target ChEMBL ID',
  'Document Year',
]
const mapping = detectMapping(HEADER)
const row = (over: Partial<Record<string, string>>) =>
  HEADER.map(
    (h) =>
      over[h] ??
      {
        'Molecule ChEMBL ID': 'CHEMBL25',
        Smiles: 'CC(=O)Oc1ccccc1C(=O)O',
        'Molecular Weight': '180.16',
        AlogP: '1.31',
        'Standard Type': 'IC50',
        'Standard Relation': "'='",
        'Standard Value': '750',
        'Standard Units': 'nM',
        'pChEMBL Value': '6.12',
        'Target ChEMBL ID': 'CHEMBL1978',
        'Document Year': '2004.0',
      }[h] ??
      '',
  )

describe('column mapping', () => {
  it('maps ChEMBL web-export and web-services names and common synonyms', () => {
    expect(mapping).toMatchObject({
      molecule_chembl_id: 0,
      smiles: 1,
      mw_freebase: 2,
      alogp: 3,
      standard_type: 4,
      standard_relation: 5,
      standard_value: 6,
      standard_units: 7,
      pchembl_value: 8,
      target_chembl_id: 9,
      document_year: 10,
    })
    const api = [
      'molecule_chembl_id',
      'canonical_smiles',
      'standard_value',
      'value',
      'standard_units',
      'units',
      'type',
      'standard_type',
    ]
    expect(detectMapping(api)).toMatchObject({
      molecule_chembl_id: 0,
      smiles: 1,
      standard_value: 2,
      standard_units: 4,
      standard_type: 7,
    })
    expect(
      detectMapping([
        'CMPD_CHEMBLID',
        'MolWt',
        'CrippenClogP',
        'NumHAcceptors',
        'NumHDonors',
        'pIC50',
      ]),
    ).toEqual({ molecule_chembl_id: 0, mw_freebase: 1, alogp: 2, hba: 3, hbd: 4, pchembl_value: 5 })
    expect(detectMapping(['MOLWEIGHT', 'ALOGP', 'HBA', 'HBD', 'SMILES'])).toMatchObject({
      mw_freebase: 0,
      alogp: 1,
      hba: 2,
      hbd: 3,
      smiles: 4,
    })
  })

  it('detects the format from the header', () => {
    expect(detectFormat(HEADER, ';')).toBe('chembl-web')
    expect(detectFormat(['molecule_chembl_id', 'standard_type'], ',')).toBe('chembl-api')
    expect(detectFormat(['MW', 'SMILES'], ',')).toBe('generic')
  })

  it('applies overrides and reports unknown columns and fields', () => {
    const { mapping: m, problems } = applyOverrides(HEADER, mapping, {
      'Document Year': '',
      AlogP: 'mw_freebase',
      Nope: 'smiles',
      Smiles: 'colour',
    })
    expect(m.document_year).toBeUndefined()
    expect(m.mw_freebase).toBe(3)
    expect(m.alogp).toBeUndefined()
    expect(problems).toEqual([
      'The file has no column "Nope".',
      expect.stringContaining('"colour" is not a field'),
    ])
  })
})

describe('row normalisation', () => {
  it('turns a ChEMBL row into a compound and a usable activity', () => {
    const r = normaliseRow(row({}), mapping, true)
    if (!('row' in r)) throw new Error(r.rejection.detail)
    expect(r.row).toMatchObject({ moleculeChemblId: 'CHEMBL25', mw: 180.16, alogp: 1.31 })
    expect(r.row.activity).toMatchObject({
      relation: '=',
      valueNm: 750,
      pchembl: 6.12,
      usable: true,
      documentYear: 2004,
      targetChemblId: 'CHEMBL1978',
    })
    expect(r.row.activity?.pActivity).toBeCloseTo(9 - Math.log10(750), 12)
  })

  it('converts units and keeps censored and unconvertible values, marked', () => {
    const um = normaliseRow(row({ 'Standard Value': '2.5', 'Standard Units': 'uM' }), mapping, true)
    expect('row' in um && um.row.activity).toMatchObject({ valueNm: 2500, usable: true })
    const censored = normaliseRow(
      row({ 'Standard Relation': "'>'", 'Standard Value': '10000' }),
      mapping,
      true,
    )
    expect('row' in censored && censored.row.activity).toMatchObject({
      relation: '>',
      usable: false,
      unusableReason: 'censored',
    })
    const percent = normaliseRow(
      row({
        'Standard Type': 'Inhibition',
        'Standard Value': '13.2',
        'Standard Units': '%',
        'pChEMBL Value': '',
      }),
      mapping,
      true,
    )
    expect('row' in percent && percent.row.activity).toMatchObject({
      valueNm: null,
      pActivity: null,
      usable: false,
      unusableReason: 'unit-not-convertible',
    })
    const huge = normaliseRow(
      row({ 'Standard Value': '1.8e13', 'pChEMBL Value': '' }),
      mapping,
      true,
    )
    expect('row' in huge && huge.row.activity).toMatchObject({
      usable: false,
      unusableReason: 'implausible-value',
    })
  })

  it('derives nM from pChEMBL when the standard value is missing', () => {
    const r = normaliseRow(
      row({ 'Standard Value': '', 'Standard Units': '', 'pChEMBL Value': '7' }),
      mapping,
      true,
    )
    expect('row' in r && r.row.activity).toMatchObject({ pActivity: 7, usable: true })
    expect('row' in r && r.row.activity?.valueNm).toBeCloseTo(100, 9)
  })

  it('rejects rows with a specific reason', () => {
    const reason = (over: Partial<Record<string, string>>) => {
      const r = normaliseRow(row(over), mapping, true)
      return 'rejection' in r ? r.rejection.reason : 'accepted'
    }
    expect(reason({ 'Molecule ChEMBL ID': '', Smiles: '' })).toBe('no-structure')
    expect(reason({ 'Standard Value': '', 'pChEMBL Value': '' })).toBe('missing-value')
    expect(reason({ 'Standard Value': 'twelve' })).toBe('non-numeric-value')
    expect(reason({ 'Standard Value': '-5' })).toBe('out-of-range')
    expect(reason({ 'Standard Value': '0' })).toBe('out-of-range')
    expect(reason({ 'Standard Value': '1e999' })).toBe('out-of-range')
    expect(reason({ 'Molecular Weight': '0' })).toBe('out-of-range')
    expect(reason({ 'Molecular Weight': '5000.5' })).toBe('out-of-range')
    expect(reason({ 'Molecular Weight': '-180' })).toBe('out-of-range')
    expect(reason({ 'Standard Relation': 'about' })).toBe('invalid-relation')
    expect(reason({ 'Molecule ChEMBL ID': '', Smiles: 'CCO' })).toBe('accepted')
    expect(reason({ 'Molecular Weight': 'None' })).toBe('accepted')
  })

  it('checks whole-number H-bond counts', () => {
    const m = detectMapping(['smiles', 'hba', 'hbd'])
    expect(normaliseRow(['CCO', '1', '1'], m, false)).toMatchObject({
      row: { hba: 1, hbd: 1, activity: null },
    })
    expect(normaliseRow(['CCO', '1.5', '1'], m, false)).toMatchObject({
      rejection: { reason: 'out-of-range' },
    })
    expect(normaliseRow(['CCO', '-1', '1'], m, false)).toMatchObject({
      rejection: { reason: 'out-of-range' },
    })
  })
})

describe('text encoding', () => {
  it('detects BOMs, BOM-less UTF-16, and binary data', () => {
    expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual({
      encoding: 'utf-8',
      bomBytes: 3,
    })
    expect(detectEncoding(new Uint8Array([0xff, 0xfe, 0x61, 0]))).toEqual({
      encoding: 'utf-16le',
      bomBytes: 2,
    })
    expect(detectEncoding(Buffer.from('id,smiles\nCHEMBL1,CCO\n', 'utf16le'))).toEqual({
      encoding: 'utf-16le',
      bomBytes: 0,
    })
    expect(detectEncoding(Buffer.from('id,smiles\n'))).toEqual({ encoding: 'utf-8', bomBytes: 0 })
    expect(
      detectEncoding(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00])),
    ).toBeNull()
  })
})

describe('block decoding', () => {
  // The reference is WHATWG TextDecoder over the whole byte string at once (invalid bytes become
  // U+FFFD); the reader decodes block by block, ASCII blocks on a faster path.
  const bytes = Buffer.concat([
    Buffer.from('"CHEMBL1";"µM";"Ångström"\n'),
    Buffer.from([0xe2, 0x82]), // a truncated three-byte sequence, then plain ASCII
    Buffer.from('"plain ascii";"1"\n"日本";"2"\n'),
    Buffer.from([0xf0, 0x9f, 0xa7, 0xaa]), // a four-byte character
    Buffer.from('\n'),
  ])
  const whole = new TextDecoder('utf-8').decode(bytes)

  it('gives the same text wherever the blocks are cut', () => {
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 3) {
        const d = textDecoder('utf-8')
        const text =
          d.write(bytes.subarray(0, a)) +
          d.write(bytes.subarray(a, b)) +
          d.write(bytes.subarray(b)) +
          d.end()
        expect(text, `cut at ${a} and ${b}`).toBe(whole)
      }
    }
  })

  it('gives the same text when blocks are first cut after their last line feed', () => {
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 3) {
        const lines = lineAligned()
        const d = textDecoder('utf-8')
        const blocks = [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)].flatMap(
          (x) => lines.cut(x),
        )
        blocks.push(lines.rest())
        const text = blocks.map((x) => d.write(x)).join('') + d.end()
        expect(text, `cut at ${a} and ${b}`).toBe(whole)
        // what is passed on ends at a line feed, unless a block has none
        for (const x of blocks.slice(0, -1))
          if (x.includes(10)) expect(x.at(-1), `cut at ${a} and ${b}`).toBe(10)
      }
    }
  })
})
