import { describe, expect, it } from 'vitest'
import type { ImportSummary } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { importOnce } from '../helpers'
import { ACHE, AROMATASE, readTable } from '../reference-csv'

// Expected counts come from the files themselves, read with the independent CSV reader and
// classified here by hand from the values that actually occur in them (listed below, and checked
// to be all there are, so a new comment in a file fails the test instead of going unnoticed).

/** What each activity comment on a row without a value means, for every one the two files hold. */
const COMMENT_RESULT: Record<string, string> = {
  'Not Active': 'inactive',
  'Not Active (inhibition < 50% @ 10 uM and thus dose-reponse curve not measured)': 'inactive',
  'No inhibition': 'inactive',
  'No detectable activity': 'inactive',
  'Inactivation not observed': 'inactive',
  'Not Determined': 'inconclusive',
  'No data': 'inconclusive',
  Active: 'qualitative-only',
  'Dose-dependent effect': 'qualitative-only',
  'Non classical inhibitor': 'qualitative-only',
  metabolite_detected: 'qualitative-only',
  metabolite_not_detected: 'qualitative-only',
}
const VALIDITY: Record<string, string | null> = {
  'Outside typical range': 'outside-typical-range',
  'Potential transcription error': 'potential-transcription-error',
  'Potential author error': 'potential-author-error',
  'Potential missing data': 'potential-missing-data',
  'Non standard unit for type': 'non-standard-unit',
  'Manually validated': null,
}
const NM: Record<string, number> = { nM: 1, uM: 1000, "10'3pM": 1, "10'5pM": 100, "10'6pM": 1000 }

interface Row {
  line: number
  type: string
  relation: string
  value: string
  units: string
  pchembl: string
  comment: string
  validity: string
  duplicate: boolean
}

/**
 * The pActivity a row would train on, worked out for the type/unit pairs these files hold:
 * concentrations in nM or uM, 'Log IC50' in nM (9 - value), 'pIC50' without units (the value);
 * null for anything else ('pIC50' in uM says neither), a value that is not '=' or not plausible.
 */
function trainablePActivity(r: Row): number | null {
  if (r.value === '' || r.relation !== '=') return null
  const v = Number(r.value)
  let p: number | null = null
  if (r.type === 'Log IC50' && r.units === 'nM') p = 9 - v
  else if (r.type === 'pIC50') p = r.units === '' ? v : null
  else if (NM[r.units] !== undefined && v > 0) p = 9 - Math.log10(v * (NM[r.units] as number))
  // beyond 10 M or below 10^-20 M no measurement is real
  return p !== null && p >= -1 && p <= 20 ? p : null
}

function expectedCounts(rows: Row[]) {
  const rejected: Record<string, number> = {}
  const kept: Record<string, number> = {}
  const add = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1)
  for (const r of rows) {
    if (r.value === '' && r.pchembl === '') {
      const said = /^\d+$/.test(r.comment) ? '' : r.comment
      if (said !== '') add(kept, COMMENT_RESULT[said] ?? `unexpected comment ${said}`)
      else if (VALIDITY[r.validity]) add(kept, VALIDITY[r.validity] as string)
      else add(rejected, 'missing-value')
      continue
    }
    if (trainablePActivity(r) === null) continue
    const doubt = VALIDITY[r.validity]
    if (doubt === undefined && r.validity !== '') add(kept, `unexpected validity ${r.validity}`)
    if (doubt) add(kept, doubt)
    else if (r.duplicate) add(kept, 'potential-duplicate')
    else add(kept, 'usable')
  }
  return { rejected, kept }
}

describe('qualitative results, log-scale types and ChEMBL doubts in the web export (aromatase)', () => {
  let engine: Engine
  let summary: ImportSummary
  importOnce(AROMATASE, { computeDescriptors: false }, (e, s) => {
    engine = e
    summary = s
  })
  const rows: Row[] = readTable(AROMATASE, ';').rows.map((r, i) => ({
    line: i + 2,
    type: r['Standard Type']!,
    relation: r['Standard Relation']!.replace(/'/g, ''),
    value: r['Standard Value']!,
    units: r['Standard Units']!,
    pchembl: r['pChEMBL Value']!,
    comment: r.Comment!,
    validity: r['Data Validity Comment']!,
    duplicate: r['Potential Duplicate'] === '1',
  }))
  const expected = expectedCounts(rows)

  it('keeps inactive and inconclusive rows as activities without a value, counted by kind', async () => {
    // the file's facts: 111 Not Active and 16 "Inactivation not observed", 78 Not Determined
    expect(expected.kept.inactive).toBe(127)
    expect(expected.kept.inconclusive).toBe(78)
    for (const reason of ['inactive', 'inconclusive', 'qualitative-only'])
      expect(summary.unusableByReason[reason], reason).toBe(expected.kept[reason])
    expect(summary.rejectionsByReason['missing-value']).toBe(expected.rejected['missing-value'])
    const stored = engine.context.db
      .prepare(
        "SELECT line_number AS line, standard_value AS v, p_activity AS p, usable FROM activities WHERE unusable_reason = 'inactive' ORDER BY line_number",
      )
      .all() as { line: number; v: number | null; p: number | null; usable: number }[]
    const inactiveLines = rows
      .filter((r) => r.value === '' && COMMENT_RESULT[r.comment] === 'inactive')
      .map((r) => r.line)
    expect(stored.map((s) => s.line)).toEqual(inactiveLines)
    expect(stored.every((s) => s.v === null && s.p === null && s.usable === 0)).toBe(true)

    // the Data screen's filter and overview find them
    const page = await engine.invoke('data.activities', {
      reason: 'inactive',
      offset: 0,
      limit: 1000,
      withTotal: true,
    })
    if (!page.ok) throw new Error(page.error.message)
    expect(page.value.total).toBe(inactiveLines.length)
    expect(page.value.rows.every((r) => r.unusableReason === 'inactive' && !r.usable)).toBe(true)
    const facets = await engine.invoke('data.facets', {})
    if (!facets.ok) throw new Error(facets.error.message)
    const training = Object.fromEntries(facets.value.training.map((t) => [t.reason, t.count]))
    expect(training.inactive).toBe(inactiveLines.length)
    expect(training.usable).toBe(expected.kept.usable)
    const usable = await engine.invoke('data.activities', {
      reason: 'usable',
      offset: 0,
      limit: 1,
      withTotal: true,
    })
    expect(usable.ok && usable.value.total).toBe(expected.kept.usable)
  })

  it('converts Log IC50 (nM) as 9 - value and leaves pIC50 "in uM" without a pActivity', () => {
    const logRows = rows.filter((r) => r.type === 'Log IC50')
    expect(logRows).toHaveLength(12)
    const byLine = engine.context.db.prepare(
      'SELECT p_activity AS p, value_nm AS nm, standard_type AS type, unusable_reason AS reason FROM activities WHERE line_number = ?',
    )
    for (const r of logRows) {
      const s = byLine.get(r.line) as { p: number; nm: number; type: string }
      expect(s.type).toBe('Log IC50')
      expect(s.p).toBeCloseTo(9 - Number(r.value), 10)
      expect(s.nm).toBeCloseTo(10 ** Number(r.value), 6)
    }
    // CHEMBL488 (line 497): Log IC50 3.45 nM is pActivity 5.55, not 3.45 nM (8.46)
    expect((byLine.get(497) as { p: number }).p).toBeCloseTo(5.55, 10)
    const pUm = rows.filter((r) => r.type === 'pIC50' && r.units === 'uM')
    expect(pUm).toHaveLength(30)
    expect(summary.unusableByReason['log-scale-ambiguous']).toBe(pUm.length)
    for (const r of pUm)
      expect(byLine.get(r.line), `line ${r.line}`).toMatchObject({
        p: null,
        reason: 'log-scale-ambiguous',
      })
    // negative log values are measurements, not concentrations below zero
    expect(summary.rejectionsByReason['out-of-range'] ?? 0).toBe(
      rows.filter(
        (r) =>
          r.value !== '' && Number(r.value) <= 0 && NM[r.units] !== undefined && r.type === 'IC50',
      ).length,
    )
  })

  it("counts ChEMBL's data validity comments and potential duplicates as the file has them", () => {
    expect(expected.kept['outside-typical-range']).toBeGreaterThan(100)
    for (const reason of [
      'outside-typical-range',
      'potential-transcription-error',
      'potential-author-error',
      'potential-duplicate',
    ])
      expect(summary.unusableByReason[reason] ?? 0, reason).toBe(expected.kept[reason] ?? 0)
    expect(Object.keys(expected.kept).filter((k) => k.startsWith('unexpected'))).toEqual([])
    const usable = engine.context.db
      .prepare('SELECT count(*) AS n FROM activities WHERE usable = 1')
      .get() as { n: number }
    expect(usable.n).toBe(expected.kept.usable)
  })
})

describe('qualitative results and ChEMBL doubts in the web-services dump (acetylcholinesterase)', () => {
  let summary: ImportSummary
  importOnce(ACHE, { computeDescriptors: false }, (_e, s) => {
    summary = s
  })
  const rows: Row[] = readTable(ACHE, ',').rows.map((r, i) => ({
    line: i + 2,
    type: r.standard_type!,
    relation: r.standard_relation!,
    value: r.standard_value!,
    units: r.standard_units!,
    pchembl: r.pchembl_value!,
    comment: r.activity_comment!,
    validity: r.data_validity_comment!,
    duplicate: r.potential_duplicate === 'True',
  }))
  const expected = expectedCounts(rows)

  it('keeps the 1,189 rows without a value: inactive, inconclusive or flagged, none rejected', () => {
    expect(rows.filter((r) => r.value === '')).toHaveLength(1189)
    expect(expected.kept.inactive).toBe(841 + 64 + 9 + 3)
    expect(expected.kept.inconclusive).toBe(249 + 15)
    for (const reason of ['inactive', 'inconclusive', 'qualitative-only', 'potential-missing-data'])
      expect(summary.unusableByReason[reason], reason).toBe(expected.kept[reason])
    expect(summary.rejectionsByReason['missing-value'] ?? 0).toBe(
      expected.rejected['missing-value'] ?? 0,
    )
    expect(summary.rowsAccepted + summary.rowsRejected).toBe(rows.length)
  })

  it('counts validity comments, including non-standard units, and potential duplicates', () => {
    for (const reason of [
      'outside-typical-range',
      'potential-transcription-error',
      'non-standard-unit',
      'potential-duplicate',
    ])
      expect(summary.unusableByReason[reason] ?? 0, reason).toBe(expected.kept[reason] ?? 0)
    expect(expected.kept['non-standard-unit']).toBe(6)
    expect(Object.keys(expected.kept).filter((k) => k.startsWith('unexpected'))).toEqual([])
  })
})
