import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  BatchSummary,
  DriftCheck,
  DriftRunSummary,
  ImportSummary,
  TrainResult,
} from '../../src-main/contract'
import { databasePath } from '../../src-main/engine/db/connection'
import type { Engine } from '../../src-main/engine/engine'
import { fileRef, runJob, startTestEngine, tempDir, waitForFinished } from '../helpers'
import { AROMATASE } from '../reference-csv'

// Automatic checks after an import and a batch, the history across a restart and a model's
// deletion, and bad input that must write nothing.

const dir = tempDir()
const scratch = tempDir('assay-drift-files-')
let engine: Engine

async function started(method: string, input: unknown): Promise<string> {
  const r = await engine.call(method, input)
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
  return (r.value as { jobId: string }).jobId
}

async function job<T>(method: string, input: unknown): Promise<T> {
  const finished = await waitForFinished(engine, await started(method, input))
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  return finished.result as T
}

async function invoke<T>(method: string, input: unknown): Promise<T> {
  const r = await engine.call(method, input)
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
  return r.value as T
}

/** The drift jobs the engine has started, by id (automatic ones included). */
function driftJobs(): string[] {
  return engine.context.jobs
    .list()
    .filter((j) => j.kind === 'drift.run')
    .map((j) => j.id)
}

async function waitForDriftJobs(): Promise<void> {
  for (const id of driftJobs()) await engine.context.jobs.waitFor('drift.run', id)
}

/** The first `rows` data rows of the aromatase export: a new file of the same target. */
function aromataseSlice(name: string, from: number, rows: number): string {
  const lines = readFileSync(AROMATASE, 'utf8').split('\n')
  const path = join(scratch.path, name)
  writeFileSync(path, `${[lines[0], ...lines.slice(1 + from, 1 + from + rows)].join('\n')}\n`)
  return path
}

const runCount = () => {
  const db = new Database(databasePath(dir.path), { readonly: true })
  try {
    return db.prepare('SELECT count(*) FROM drift_runs').pluck().get() as number
  } finally {
    db.close()
  }
}

let v1: string
let v2: string

beforeAll(async () => {
  engine = startTestEngine(dir.path)
  const imported = await runJob(engine, 'imports.start', {
    file: await fileRef(engine, aromataseSlice('first.csv', 0, 4000)),
  })
  if (imported.state !== 'succeeded') throw new Error(imported.error?.message)
  v1 = (await job<TrainResult>('models.train', { featureSet: 'core4', learner: 'ridge', seed: 3 }))
    .modelVersion
  v2 = (await job<TrainResult>('models.train', { featureSet: 'core4', learner: 'ridge', seed: 4 }))
    .modelVersion
  await invoke('models.promote', { version: v1, reason: 'drift test' })
}, 300_000)

afterAll(async () => {
  await engine?.close()
  dir.remove()
  scratch.remove()
})

describe('automatic drift checks', () => {
  let importId: number
  let batch: BatchSummary

  it('start none when the setting is off', async () => {
    // on by default
    const settings = await invoke<Record<string, unknown>>('settings.get', {})
    expect(settings['drift.autoCheck']).toBe(true)
    await invoke('settings.set', { key: 'drift.autoCheck', value: false })
    const before = driftJobs().length
    const summary = (
      await runJob(engine, 'imports.start', {
        file: await fileRef(engine, aromataseSlice('second.csv', 4000, 1000)),
      })
    ).result as ImportSummary
    const more = await job<BatchSummary>('predictions.batch', {
      model: v1,
      database: { importId: summary.importId },
    })
    expect(driftJobs().length).toBe(before)
    expect(await invoke('drift.history', { importId: summary.importId })).toEqual([])
    expect(await invoke('drift.history', { batchId: more.batchId })).toEqual([])
    await invoke('settings.set', { key: 'drift.autoCheck', value: true })
  }, 300_000)

  it('check an import of the production model’s target when it is on', async () => {
    const before = driftJobs().length
    const summary = (
      await runJob(engine, 'imports.start', {
        file: await fileRef(engine, aromataseSlice('third.csv', 5000, 1099)),
      })
    ).result as ImportSummary
    importId = summary.importId as number
    expect(driftJobs().length).toBe(before + 1)
    await waitForDriftJobs()
    const history = await invoke<DriftRunSummary[]>('drift.history', { importId })
    expect(history).toHaveLength(1)
    expect(history[0]).toMatchObject({ modelVersion: v1, trigger: 'import', modelDeleted: false })
    expect(history[0]?.source).toMatchObject({ kind: 'import', importId })
  }, 300_000)

  it('check a stored batch of the production model, with performance as the stored rows give it', async () => {
    batch = await job<BatchSummary>('predictions.batch', { model: v1, database: { importId } })
    await waitForDriftJobs()
    const history = await invoke<DriftRunSummary[]>('drift.history', { batchId: batch.batchId })
    expect(history).toHaveLength(1)
    expect(history[0]).toMatchObject({ modelVersion: v1, trigger: 'batch' })
    const check = await invoke<DriftCheck>('drift.get', { driftRunId: history[0]?.driftRunId })

    // by hand from the stored prediction rows: each compound once, its prediction and measured value
    const db = new Database(databasePath(dir.path), { readonly: true })
    const rows = db
      .prepare(
        `SELECT molecule_id, p_activity, observed_p_activity, interval_low, interval_high
           FROM predictions WHERE batch_id = ? AND p_activity IS NOT NULL
            AND observed_p_activity IS NOT NULL ORDER BY row_number`,
      )
      .all(batch.batchId) as {
      molecule_id: string
      p_activity: number
      observed_p_activity: number
      interval_low: number
      interval_high: number
    }[]
    db.close()
    const seen = new Set<string>()
    const once = rows.filter((r) => !seen.has(r.molecule_id) && seen.add(r.molecule_id))
    const n = once.length
    const err = once.map((r) => r.p_activity - r.observed_p_activity)
    const rmse = Math.sqrt(err.reduce((a, e) => a + e * e, 0) / n)
    const mae = err.reduce((a, e) => a + Math.abs(e), 0) / n
    const mean = once.reduce((a, r) => a + r.observed_p_activity, 0) / n
    const ssTot = once.reduce((a, r) => a + (r.observed_p_activity - mean) ** 2, 0)
    const r2 = 1 - err.reduce((a, e) => a + e * e, 0) / ssTot
    const inside = once.filter(
      (r) => r.observed_p_activity >= r.interval_low && r.observed_p_activity <= r.interval_high,
    ).length
    expect(n).toBeGreaterThan(100)
    expect(check.performance?.rows).toBe(n)
    expect(check.performance?.rmse).toBeCloseTo(rmse, 5)
    expect(check.performance?.mae).toBeCloseTo(mae, 5)
    expect(check.performance?.r2).toBeCloseTo(r2, 5)
    expect(check.performance?.coverage).toBeCloseTo(inside / n, 9)
    const [low, high] = check.performance?.rmseCi ?? [NaN, NaN]
    expect(low).toBeLessThan(rmse)
    expect(high).toBeGreaterThan(rmse)
    expect(check.currentRows).toBe(batch.rowsScored)
  }, 300_000)
})

describe('other sources', () => {
  it('a time window: the predictions of the target made in it', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString()
    const check = await job<DriftCheck>('drift.run', {
      model: v1,
      source: { kind: 'window', from },
    })
    const db = new Database(databasePath(dir.path), { readonly: true })
    const scored = db
      .prepare(
        `SELECT count(*) FROM predictions p JOIN prediction_batches b ON b.id = p.batch_id
          JOIN model_versions m ON m.id = b.model_version_id
         WHERE m.target_chembl_id = 'CHEMBL1978' AND p.created_at >= ? AND p.p_activity IS NOT NULL`,
      )
      .pluck()
      .get(from) as number
    db.close()
    expect(scored).toBeGreaterThan(0)
    expect(check.currentRows).toBe(scored)
    expect(check.source).toMatchObject({ kind: 'window', from })
  }, 120_000)

  it('the compounds imported since the model was trained', async () => {
    const check = await job<DriftCheck>('drift.run', {
      model: v1,
      source: { kind: 'since-training' },
    })
    const db = new Database(databasePath(dir.path), { readonly: true })
    // every import after the first came after v1 was trained; their compounds with all four features
    const compounds = db
      .prepare(
        `SELECT count(*) FROM compounds WHERE id IN (SELECT compound_id FROM activities WHERE import_id > 1)
           AND mw_freebase IS NOT NULL AND alogp IS NOT NULL AND hba IS NOT NULL AND hbd IS NOT NULL`,
      )
      .pluck()
      .get() as number
    db.close()
    expect(compounds).toBeGreaterThan(0)
    expect(check.currentRows).toBe(compounds)
    expect(check.source.kind).toBe('since-training')
  }, 120_000)
})

describe('bad input', () => {
  async function refused(input: unknown): Promise<{ code: string; message: string }> {
    const before = runCount()
    const r = await engine.call('drift.run', input)
    let error: { code: string; message: string }
    if (!r.ok) error = r.error
    else {
      const finished = await waitForFinished(engine, (r.value as { jobId: string }).jobId)
      expect(finished.state).toBe('failed')
      error = finished.error as { code: string; message: string }
    }
    expect(runCount()).toBe(before)
    return error
  }

  it('an unknown model', async () => {
    const e = await refused({ model: 'v999', source: { kind: 'import', importId: 1 } })
    expect(e.code).toBe('not-found')
    expect(e.message).toContain('v999')
  })

  it('an import that does not exist, and one that brought no compounds', async () => {
    expect((await refused({ model: v1, source: { kind: 'import', importId: 9999 } })).code).toBe(
      'not-found',
    )
    const path = join(scratch.path, 'nothing.csv')
    const header = readFileSync(AROMATASE, 'utf8').split('\n')[0] as string
    // one row, every field empty: rejected, so the import stores no compound
    writeFileSync(
      path,
      `${header}\n${header
        .split(';')
        .map(() => '""')
        .join(';')}\n`,
    )
    const empty = await runJob(engine, 'imports.start', { file: await fileRef(engine, path) })
    expect(empty.state).toBe('succeeded')
    const importId = (empty.result as ImportSummary).importId
    const e = await refused({ model: v1, source: { kind: 'import', importId } })
    expect(e.code).toBe('invalid-input')
    expect(e.message).toContain(`#${importId}`)
  }, 120_000)

  it('a time window that ends before it starts, or holds no prediction', async () => {
    const backwards = await refused({
      model: v1,
      source: { kind: 'window', from: '2030-01-01', to: '2020-01-01' },
    })
    expect(backwards.code).toBe('invalid-input')
    expect(backwards.message).toContain('must start before it ends')
    const empty = await refused({
      model: v1,
      source: { kind: 'window', from: '2001-01-01', to: '2001-02-01' },
    })
    expect(empty.code).toBe('invalid-input')
    expect(empty.message).toContain('No predictions for CHEMBL1978')
  })

  it('a file with no usable rows', async () => {
    const path = join(scratch.path, 'unreadable.csv')
    writeFileSync(path, 'molecule_chembl_id,smiles\nX1,not a smiles\nX2,C1CC\n')
    const e = await refused({
      model: v1,
      source: { kind: 'file', file: await fileRef(engine, path) },
    })
    expect(e.code).toBe('invalid-input')
    expect(e.message).toContain('unreadable.csv')
    expect(e.message).toContain('invalid-smiles')
  }, 120_000)

  it('a batch scored by another model', async () => {
    const other = await job<BatchSummary>('predictions.batch', {
      model: v2,
      database: { importId: 1 },
    })
    const e = await refused({ model: v1, source: { kind: 'batch', batchId: other.batchId } })
    expect(e.code).toBe('invalid-input')
    expect(e.message).toContain(v2)
  }, 120_000)
})

describe('the history', () => {
  it('is kept across a restart, keeps a deleted model’s checks, and refuses changes', async () => {
    const v3 = (
      await job<TrainResult>('models.train', { featureSet: 'core4', learner: 'ridge', seed: 5 })
    ).modelVersion
    const kept = await job<DriftCheck>('drift.run', {
      model: v3,
      source: { kind: 'import', importId: 1 },
    })
    const before = await invoke<DriftRunSummary[]>('drift.history', {})
    await engine.close()
    engine = startTestEngine(dir.path)
    expect(await invoke('drift.history', {})).toEqual(before)
    expect(await invoke('drift.get', { driftRunId: kept.driftRunId })).toEqual(kept)

    await invoke('models.delete', { version: v3, reason: 'drift test' })
    const after = await invoke<DriftRunSummary[]>('drift.history', { model: v3 })
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({ driftRunId: kept.driftRunId, modelDeleted: true })
    const got = await invoke<DriftCheck>('drift.get', { driftRunId: kept.driftRunId })
    expect({ ...got, modelDeleted: false }).toEqual(kept)
    // newest first
    const ids = (await invoke<DriftRunSummary[]>('drift.history', {})).map((r) => r.driftRunId)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))

    const db = new Database(databasePath(dir.path))
    try {
      expect(() =>
        db.prepare('UPDATE drift_runs SET dataset_drifted = 1 - dataset_drifted').run(),
      ).toThrow(/never changed/)
      expect(() => db.prepare('DELETE FROM drift_runs').run()).toThrow(/never deleted/)
    } finally {
      db.close()
    }
    expect(await invoke('drift.get', { driftRunId: kept.driftRunId })).toMatchObject({
      datasetDrift: kept.datasetDrift,
    })
  }, 300_000)
})
