import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportRecord, ImportSummary } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { fileRef, runJob, startTestEngine, tempDir } from '../helpers'
import { ACHE, AROMATASE, readTable } from '../reference-csv'

// An import that overlaps an earlier one adds no second copy of a measurement. The later files are
// written here from the real files' rows; every expected count and link is worked out from those
// rows by the rules the issue states (same ChEMBL activity id, or the same compound, type,
// relation, value, units, assay and document), not from the importer.

type Row = Record<string, string>

/** Every field quoted, as the web export writes them (and a different layout from the dump's). */
function writeCsv(path: string, header: string[], rows: Row[], delimiter: string): void {
  const cell = (v: string) => `"${v.replaceAll('"', '""')}"`
  const lines = [header, ...rows.map((r) => header.map((h) => r[h] ?? ''))]
  writeFileSync(path, lines.map((l) => l.map(cell).join(delimiter)).join('\n') + '\n')
}

/** The same number written another way: "12" -> "12.0", "12.5" -> "12.50". */
const reformatted = (v: string) => (v.includes('.') ? `${v}0` : `${v}.0`)

async function importFile(
  engine: Engine,
  path: string,
  duplicate: 'skip' | 'import' = 'skip',
): Promise<ImportSummary> {
  const finished = await runJob(engine, 'imports.start', {
    file: await fileRef(engine, path),
    computeDescriptors: false,
    duplicate,
  })
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  return finished.result as ImportSummary
}

/** For each row of import `importId` not added again: its line, and the stored row it matched. */
function links(engine: Engine, importId: number) {
  return engine.context.db
    .prepare(
      `SELECT p.line_number AS line, a.import_id AS storedImport, a.line_number AS storedLine,
              p.matched_by AS matchedBy
         FROM import_present_rows p JOIN activity_records a ON a.id = p.activity_record_id
        WHERE p.import_id = ? ORDER BY p.line_number`,
    )
    .all(importId) as {
    line: number
    storedImport: number
    storedLine: number
    matchedBy: string
  }[]
}

const activityCount = (engine: Engine) =>
  (engine.context.db.prepare('SELECT count(*) AS n FROM activities').get() as { n: number }).n

const linesOf = (engine: Engine, importId: number) =>
  (
    engine.context.db
      .prepare('SELECT line_number AS line FROM activity_records WHERE import_id = ?')
      .all(importId) as { line: number }[]
  ).map((r) => r.line)

describe('an import overlapping an earlier one: the web export (no activity ids)', () => {
  const dir = tempDir()
  let engine: Engine
  const { header, rows } = readTable(AROMATASE, ';')
  const numbered = rows.map((r, i) => ({ line: i + 2, r }))
  // Rows the importer is sure to keep as measurements: IC50 in nM, '=', a positive value, an id.
  const sure = numbered.filter(
    ({ r }) =>
      r['Standard Type'] === 'IC50' &&
      r['Standard Units'] === 'nM' &&
      r['Standard Relation'] === "'='" &&
      Number(r['Standard Value']) > 0 &&
      r['Molecule ChEMBL ID'] !== '',
  )
  const key = (r: Row) =>
    [
      r['Molecule ChEMBL ID'],
      r['Standard Type'],
      r['Standard Relation'],
      Number(r['Standard Value']),
      r['Standard Units'],
      r['pChEMBL Value'] === '' ? '' : Number(r['pChEMBL Value']),
      r['Assay ChEMBL ID'],
      r['Document ChEMBL ID'],
    ].join('\u0001')
  // the first line of the file with each measurement: what a later equal row is linked to
  const firstLine = new Map<string, number>()
  for (const { line, r } of numbered) if (!firstLine.has(key(r))) firstLine.set(key(r), line)

  // A quarter of the sure rows again (values written differently), then 60 rows measured in an
  // assay the first file does not have, the first of them twice (two equal rows of one file are
  // both kept).
  const overlap = sure
    .filter((_, i) => i % 4 === 0)
    .map(({ line, r }) => ({
      line,
      r: { ...r, 'Standard Value': reformatted(r['Standard Value'] as string) },
    }))
  const fresh = sure
    .filter((_, i) => i % 4 === 1)
    .slice(0, 60)
    .map(({ r }) => ({ line: 0, r: { ...r, 'Assay ChEMBL ID': 'CHEMBL999999901' } }))
  fresh.push(fresh[0] as (typeof fresh)[number])
  const later = [...overlap, ...fresh]
  const laterPath = join(dir.path, 'aromatase-later.csv')

  let first: ImportSummary
  let second: ImportSummary
  let before: number
  let after: number
  beforeAll(async () => {
    engine = startTestEngine(join(dir.path, 'data'))
    writeCsv(
      laterPath,
      header,
      later.map((x) => x.r),
      ';',
    )
    first = await importFile(engine, AROMATASE)
    before = activityCount(engine)
    second = await importFile(engine, laterPath)
    after = activityCount(engine)
  }, 180_000)
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })

  it('adds nothing already present, even where the first file repeats a row', () => {
    // the file holds equal rows (ChEMBL's potential duplicates); one file's rows are all kept
    const repeats = numbered.length - new Set(numbered.map(({ r }) => key(r))).size
    expect(repeats).toBeGreaterThan(0)
    expect(first.alreadyPresent).toBe(0)
    expect(first.activities).toBe(before)
  })

  it('counts the rows already present and adds only the new ones', () => {
    expect(overlap.length).toBeGreaterThan(700)
    expect(second.rowsTotal).toBe(later.length)
    expect(second.rowsAccepted).toBe(later.length)
    expect(second.alreadyPresent).toBe(overlap.length)
    expect(second.activities).toBe(fresh.length)
    expect(after - before).toBe(fresh.length)
  })

  it('links every row already present to the measurement it is', () => {
    const expected = overlap.map(({ r }, i) => ({
      line: i + 2,
      storedImport: first.importId,
      storedLine: firstLine.get(key(r)),
      matchedBy: 'same-values',
    }))
    expect(links(engine, second.importId as number)).toEqual(expected)
  })

  it('loses no row: each line is added or linked', () => {
    const id = second.importId as number
    const seen = [...linesOf(engine, id), ...links(engine, id).map((l) => l.line)]
    expect(seen.sort((a, b) => a - b)).toEqual(later.map((_, i) => i + 2))
    expect(engine.context.db.pragma('foreign_key_check')).toEqual([])
  })

  it('says so in the import history', async () => {
    const listed = await engine.call('imports.list', {})
    if (!listed.ok) throw new Error(listed.error.message)
    const record = (listed.value as ImportRecord[]).find((r) => r.id === second.importId)
    expect(record?.alreadyPresent).toBe(overlap.length)
  })

  it('adds nothing when the same file is imported again on purpose', async () => {
    const again = await importFile(engine, AROMATASE, 'import')
    expect(again.importId).not.toBeNull()
    expect(again.rowsAccepted).toBe(first.rowsAccepted)
    expect(again.activities).toBe(0)
    expect(again.alreadyPresent).toBe(again.rowsAccepted)
    expect(activityCount(engine)).toBe(after)
    // each row is linked to the first of the first file's rows that are the same measurement
    const stored = new Map(linesOf(engine, first.importId as number).map((l) => [l, true]))
    for (const l of links(engine, again.importId as number)) {
      const row = numbered[l.line - 2] as { line: number; r: Row }
      expect(l.storedLine, `line ${l.line}`).toBe(firstLine.get(key(row.r)))
      expect(stored.has(l.storedLine)).toBe(true)
    }
  }, 120_000)
})

describe('an import overlapping an earlier one: the web-services dump (activity ids)', () => {
  const dir = tempDir()
  let engine: Engine
  const { header, rows } = readTable(ACHE, ',')
  const numbered = rows.map((r, i) => ({ line: i + 2, r }))
  const sure = numbered.filter(
    ({ r }) =>
      r.standard_units === 'nM' &&
      r.standard_relation === '=' &&
      Number(r.standard_value) > 0 &&
      r.molecule_chembl_id !== '',
  )
  const key = (r: Row) =>
    [
      r.molecule_chembl_id,
      r.standard_type,
      r.standard_relation,
      Number(r.standard_value),
      r.standard_units,
      r.pchembl_value === '' ? '' : Number(r.pchembl_value),
      r.assay_chembl_id,
      r.document_chembl_id,
    ].join('\u0001')
  const firstLine = new Map<string, number>()
  for (const { line, r } of numbered) if (!firstLine.has(key(r))) firstLine.set(key(r), line)
  const lineOfId = new Map(numbered.map(({ line, r }) => [r.activity_id, line]))

  // by id: the id written as pandas writes a column with gaps ("123.0"), and for every other row
  // a value that differs from the stored one (ChEMBL's id still says it is the same measurement)
  const byId = sure
    .filter((_, i) => i % 5 === 0)
    .map(({ r }, i) => ({
      r: {
        ...r,
        activity_id: `${r.activity_id}.0`,
        standard_value:
          i % 2 === 0 ? String(Number(r.standard_value) * 2) : reformatted(r.standard_value!),
      },
      expected: { storedLine: lineOfId.get(r.activity_id), matchedBy: 'activity-id' },
    }))
  // no id, same values: the first stored row with those values
  const byValues = sure
    .filter((_, i) => i % 5 === 1)
    .map(({ r }) => ({
      r: { ...r, activity_id: '' },
      expected: { storedLine: firstLine.get(key(r)), matchedBy: 'same-values' },
    }))
  // an id ChEMBL does not have for values it does: two measurements that agree, so it is added
  const agreeing = sure
    .filter((_, i) => i % 5 === 2)
    .slice(0, 40)
    .map(({ r }) => ({ r: { ...r, activity_id: String(900_000_000 + Number(r.activity_id)) } }))
  const later = [...byId, ...byValues, ...agreeing]
  const laterPath = join(dir.path, 'ache-later.csv')

  let first: ImportSummary
  let second: ImportSummary
  let before: number
  beforeAll(async () => {
    engine = startTestEngine(join(dir.path, 'data'))
    writeCsv(
      laterPath,
      header,
      later.map((x) => x.r),
      ',',
    )
    first = await importFile(engine, ACHE)
    before = activityCount(engine)
    second = await importFile(engine, laterPath)
  }, 180_000)
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })

  it('stores ChEMBL activity ids', () => {
    const stored = engine.context.db
      .prepare('SELECT line_number AS line, activity_id AS id FROM activities WHERE import_id = ?')
      .all(first.importId) as { line: number; id: number }[]
    expect(stored.length).toBe(first.activities)
    for (const s of stored)
      expect(s.id, `line ${s.line}`).toBe(Number(rows[s.line - 2]!.activity_id))
  })

  it('matches by activity id, else by values unless the ids differ', () => {
    expect(second.rowsAccepted).toBe(later.length)
    expect(second.alreadyPresent).toBe(byId.length + byValues.length)
    expect(second.activities).toBe(agreeing.length)
    expect(activityCount(engine) - before).toBe(agreeing.length)
    const expected = [...byId, ...byValues].map((x, i) => ({
      line: i + 2,
      storedImport: first.importId,
      ...x.expected,
    }))
    expect(links(engine, second.importId as number)).toEqual(expected)
  })

  it('links each row of the same dump imported again to its own activity id', async () => {
    const again = await importFile(engine, ACHE, 'import')
    expect(again.activities).toBe(0)
    expect(again.alreadyPresent).toBe(first.activities)
    const linked = links(engine, again.importId as number)
    expect(linked.length).toBe(first.activities)
    // the dump's rows with equal values but their own ids stay apart
    for (const l of linked) {
      expect(l.matchedBy).toBe('activity-id')
      expect(l.storedLine).toBe(l.line)
    }
  }, 120_000)
})
