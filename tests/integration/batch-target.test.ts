import { readReference } from '../../src-main/engine/models/reference-data'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BatchFileCheck, BatchSummary, PredictionRow } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { SAMPLE_FILE, seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { REPO_ROOT, fileRef, startTestEngine, tempDir, waitForFinished } from '../helpers'
import { ACHE, readTable } from '../reference-csv'

// A batch file for the bundled baseline (IC50 of the synthetic sample target) that also holds
// acetylcholinesterase rows from the real ChEMBL dump. Every expected number is worked out here
// from the rows written into the file and from the sample file the model was trained on.

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
) {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

const HEADER = [
  'molecule_chembl_id',
  'canonical_smiles',
  'mw_freebase',
  'alogp',
  'hba',
  'hbd',
  'standard_type',
  'standard_relation',
  'standard_value',
  'standard_units',
  'target_chembl_id',
  'target_pref_name',
] as const
const SAMPLE_TARGET = 'SYNTHETIC-SAMPLE'
type Line = Record<(typeof HEADER)[number], string>

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

describe('a batch file naming other targets than the model’s', () => {
  const dir = tempDir()
  let engine: Engine
  const sample = readTable(join(REPO_ROOT, SAMPLE_FILE), ';').rows
  // the baseline's training set: the sample's IC50 rows with '=' and a value in nM
  const trained = new Set(
    sample
      .filter(
        (r) =>
          r['Standard Type'] === 'IC50' &&
          r['Standard Relation'] === "'='" &&
          r['Standard Units'] === 'nM' &&
          Number(r['Standard Value']) > 0,
      )
      .map((r) => r['Molecule ChEMBL ID'] as string),
  )
  const lines: Line[] = []
  const sampleLine = (r: Record<string, string>, extra: Partial<Line> = {}): Line => ({
    molecule_chembl_id: r['Molecule ChEMBL ID']!,
    canonical_smiles: '',
    mw_freebase: r['Molecular Weight']!,
    alogp: r.AlogP!,
    hba: r.HBA!,
    hbd: r.HBD!,
    standard_type: 'IC50',
    standard_relation: '=',
    standard_value: r['Standard Value']!,
    standard_units: 'nM',
    target_chembl_id: SAMPLE_TARGET,
    target_pref_name: 'Synthetic sample target',
    ...extra,
  })
  const known = sample.filter((r) => trained.has(r['Molecule ChEMBL ID']!)).slice(0, 40)
  for (const r of known) lines.push(sampleLine(r))
  // repeats of the first compounds: a second IC50 (median of the two), a censored one, an
  // implausible one (10^12 nM), a Ki (another type): only the first counts
  const [a, b, c, d] = known as [Record<string, string>, ...Record<string, string>[]]
  lines.push(sampleLine(a, { standard_value: '500' }))
  lines.push(sampleLine(b!, { standard_relation: '>', standard_value: '10000' }))
  lines.push(sampleLine(c!, { standard_value: '1000000000000' }))
  lines.push(sampleLine(d!, { standard_type: 'Ki', standard_value: '3' }))
  // compounds new to the model, on its target
  const news: Line[] = Array.from({ length: 25 }, (_, i) =>
    sampleLine(sample[i]!, {
      molecule_chembl_id: `NEW-${i + 1}`,
      mw_freebase: String(250 + 7 * i),
      alogp: String(1 + (i % 5) * 0.6),
      standard_value: String(10 * (i + 1)),
    }),
  )
  lines.push(...news)
  // 300 acetylcholinesterase rows as ChEMBL's web services give them: measured, but not on the
  // model's target
  const ache = readTable(ACHE, ',')
    .rows.filter((r) => r.canonical_smiles !== '' && r.standard_units === 'nM')
    .slice(0, 300)
  for (const r of ache)
    lines.push({
      molecule_chembl_id: r.molecule_chembl_id!,
      canonical_smiles: r.canonical_smiles!,
      mw_freebase: '',
      alogp: '',
      hba: '',
      hbd: '',
      standard_type: r.standard_type!,
      standard_relation: r.standard_relation!,
      standard_value: r.standard_value!,
      standard_units: r.standard_units!,
      target_chembl_id: r.target_chembl_id!,
      target_pref_name: r.target_pref_name!,
    })
  const path = join(dir.path, 'mixed-targets.csv')

  // hand-worked measured values: the model's target and type, '=', 0 < nM <= 10^10, median
  const measured = new Map<string, number[]>()
  for (const l of lines) {
    const v = Number(l.standard_value)
    if (l.target_chembl_id !== SAMPLE_TARGET || l.standard_type !== 'IC50') continue
    if (l.standard_relation !== '=' || !(v > 0 && v <= 1e10)) continue
    measured.set(l.molecule_chembl_id, [
      ...(measured.get(l.molecule_chembl_id) ?? []),
      9 - Math.log10(v),
    ])
  }

  beforeAll(async () => {
    engine = startTestEngine(join(dir.path, 'data'))
    expect(await seedSampleIfEmpty(engine.context, REPO_ROOT)).toBe(true)
    const cell = (v: string) => (/[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)
    writeFileSync(
      path,
      [HEADER.join(','), ...lines.map((l) => HEADER.map((h) => cell(l[h])).join(','))].join('\n') +
        '\n',
    )
  }, 60_000)
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })

  const score = async (onlyModelTarget: boolean) => {
    const started = await ok(
      engine.invoke('predictions.batch', { file: await fileRef(engine, path), onlyModelTarget }),
    )
    const finished = await waitForFinished(engine, started.jobId)
    if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
    const s = finished.result as BatchSummary
    const { rows } = await ok(
      engine.invoke('predictions.rows', { batchId: s.batchId, limit: 1000 }),
    )
    return { s, rows: rows as PredictionRow[] }
  }

  it('names the targets of the file before scoring', async () => {
    const check = (await ok(
      engine.invoke('predictions.checkFile', { file: await fileRef(engine, path) }),
    )) as BatchFileCheck
    const achePerTarget = new Map<string, number>()
    for (const r of ache)
      achePerTarget.set(r.target_chembl_id!, (achePerTarget.get(r.target_chembl_id!) ?? 0) + 1)
    expect([...achePerTarget.keys()]).toEqual(['CHEMBL220'])
    expect(check.rows).toBe(lines.length)
    expect(check.modelTarget).toBe(SAMPLE_TARGET)
    expect(check.modelTypes).toEqual(['IC50'])
    expect(check.otherTargetRows).toBe(300)
    expect(check.targets).toEqual([
      { targetChemblId: 'CHEMBL220', name: ache[0]!.target_pref_name, rows: 300 },
      { targetChemblId: SAMPLE_TARGET, name: 'Synthetic sample target', rows: lines.length - 300 },
    ])
  })

  it('scores every row when asked, with measured values only of the model’s target and type', async () => {
    const { s, rows } = await score(false)
    expect(s.rowsScored + s.rowsFailed).toBe(lines.length)
    expect(s.otherTargetRows).toBe(300)
    expect(s.onlyModelTarget).toBe(false)
    rows.forEach((r) => {
      const line = lines[r.rowNumber - 2] as Line
      const expected = measured.get(line.molecule_chembl_id)
      if (line.target_chembl_id !== SAMPLE_TARGET)
        expect(r.observed, line.molecule_chembl_id).toBeNull()
      else if (expected) expect(r.observed).toBeCloseTo(median(expected), 12)
      else expect(r.observed).toBeNull()
    })
    // the repeat: the median of two IC50s; the censored, implausible and Ki rows change nothing
    const first = rows.find((r) => r.moleculeId === a['Molecule ChEMBL ID'])
    expect(first?.observed).toBeCloseTo(
      (9 - Math.log10(Number(a['Standard Value'])) + (9 - Math.log10(500))) / 2,
      12,
    )
    for (const r of [b, c, d])
      expect(rows.find((x) => x.moleculeId === r!['Molecule ChEMBL ID'])?.observed).toBeCloseTo(
        9 - Math.log10(Number(r!['Standard Value'])),
        12,
      )

    // in-sample: the compounds the baseline was trained on; out-of-sample: the new ones
    const firstRow = new Map<string, PredictionRow>()
    for (const r of rows) if (!firstRow.has(r.moleculeId!)) firstRow.set(r.moleculeId!, r)
    const rmse = (ids: string[]) =>
      Math.sqrt(
        ids.reduce((sum, id) => {
          const r = firstRow.get(id) as PredictionRow
          return sum + ((r.pActivity as number) - median(measured.get(id)!)) ** 2
        }, 0) / ids.length,
      )
    const inIds = [...measured.keys()].filter((id) => trained.has(id))
    const outIds = [...measured.keys()].filter((id) => !trained.has(id))
    expect(inIds).toHaveLength(40)
    expect(outIds).toHaveLength(25)
    expect(s.inSample?.compounds).toBe(40)
    expect(s.inSample?.rmse).toBeCloseTo(rmse(inIds), 9)
    expect(s.outOfSample?.compounds).toBe(25)
    expect(s.outOfSample?.rmse).toBeCloseTo(rmse(outIds), 9)
    for (const r of rows) {
      const line = lines[r.rowNumber - 2] as Line
      expect(r.inTrainingSet, line.molecule_chembl_id).toBe(trained.has(line.molecule_chembl_id))
    }
  }, 120_000)

  it('scores only the model’s target’s rows when asked', async () => {
    const { s, rows } = await score(true)
    expect(s.onlyModelTarget).toBe(true)
    expect(s.otherTargetRows).toBe(300)
    expect(s.rowsScored + s.rowsFailed).toBe(lines.length - 300)
    expect(rows.every((r) => lines[r.rowNumber - 2]!.target_chembl_id === SAMPLE_TARGET)).toBe(true)
    expect(s.inSample?.compounds).toBe(40)
    expect(s.outOfSample?.compounds).toBe(25)
  }, 120_000)
})

describe('in-sample after more data was imported', () => {
  const dir = tempDir()
  let engine: Engine
  const sample = readTable(join(REPO_ROOT, SAMPLE_FILE), ';').rows
  const trained = sample.filter(
    (r) =>
      r['Standard Type'] === 'IC50' &&
      r['Standard Relation'] === "'='" &&
      r['Standard Units'] === 'nM' &&
      Number(r['Standard Value']) > 0,
  )
  const header =
    'molecule_chembl_id,mw_freebase,alogp,hba,hbd,standard_type,standard_relation,standard_value,standard_units,target_chembl_id'
  // five compounds measured after the model was trained, on its target
  const later = Array.from(
    { length: 5 },
    (_, i) =>
      `LATER-${i + 1},${300 + 11 * i},${2 + 0.4 * i},4,1,IC50,=,${40 * (i + 1)},nM,${SAMPLE_TARGET}`,
  )
  const known = trained
    .slice(0, 10)
    .map(
      (r) =>
        `${r['Molecule ChEMBL ID']},${r['Molecular Weight']},${r.AlogP},${r.HBA},${r.HBD},IC50,=,${r['Standard Value']},nM,${SAMPLE_TARGET}`,
    )
  beforeAll(async () => {
    engine = startTestEngine(join(dir.path, 'data'))
    expect(await seedSampleIfEmpty(engine.context, REPO_ROOT)).toBe(true)
    const started = await ok(
      engine.invoke('models.train', {
        target: SAMPLE_TARGET,
        featureSet: 'core4',
        learner: 'ridge',
        folds: 2,
      }),
    )
    const end = await waitForFinished(engine, started.jobId)
    if (end.state !== 'succeeded') throw new Error(end.error?.message)
    const laterFile = join(dir.path, 'later.csv')
    writeFileSync(laterFile, [header, ...later].join('\n') + '\n')
    const imported = await ok(
      engine.invoke('imports.start', {
        file: await fileRef(engine, laterFile),
        computeDescriptors: false,
      }),
    )
    const done = await waitForFinished(engine, imported.jobId)
    if (done.state !== 'succeeded') throw new Error(done.error?.message)
  }, 180_000)
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })

  it('keeps the compounds a model was trained on with the model', () => {
    const ref = readReference(engine.context.db, 'v2')
    const keyOf = engine.context.db
      .prepare('SELECT molecule_key FROM compounds WHERE id = ?')
      .pluck()
    const stored = Array.from(ref?.compoundIds ?? [], (id) => keyOf.get(id) as string)
    expect(stored.sort()).toEqual(trained.map((r) => r['Molecule ChEMBL ID']).sort())
  })

  it('still tells trained compounds from new ones', async () => {
    const path = join(dir.path, 'batch.csv')
    writeFileSync(path, [header, ...known, ...later].join('\n') + '\n')
    const started = await ok(
      engine.invoke('predictions.batch', { file: await fileRef(engine, path), model: 'v2' }),
    )
    const finished = await waitForFinished(engine, started.jobId)
    if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
    const s = finished.result as BatchSummary
    expect(s.inSample?.compounds).toBe(10)
    expect(s.outOfSample?.compounds).toBe(5)
    const { rows } = await ok(engine.invoke('predictions.rows', { batchId: s.batchId }))
    expect(rows.map((r) => r.inTrainingSet)).toEqual([
      ...known.map(() => true),
      ...later.map(() => false),
    ])
  }, 120_000)
})
