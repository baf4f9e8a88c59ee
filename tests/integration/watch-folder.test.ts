import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  ActivityEntry,
  ImportRecord,
  MethodName,
  TrainResult,
  WatchFileResult,
} from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { fileRef, runJob, startTestEngine, tempDir, waitForFinished } from '../helpers'
import { AROMATASE, readTable } from '../reference-csv'

// The aromatase export split by its own lines: the first 2,000 activity rows train the production
// model, the next 600 arrive in the watched folder (written slowly), the 600 after those arrive
// later for the retraining policy. Row counts asserted below come from the file (readTable), not
// from the importer.
const TEXT = readFileSync(AROMATASE, 'utf8')
const [HEADER = '', ...LINES] = TEXT.trimEnd().split('\n')
const part = (from: number, to: number) => `${[HEADER, ...LINES.slice(from, to)].join('\n')}\n`
const TRAIN = part(0, 2000)
const NEW_A = part(2000, 2600)
const NEW_B = part(2600, 3200)
const NEW_C = part(3200, 3800)

const STABLE_SECONDS = 0.4
// pollMs is stable/2 = 200 ms: each pause is longer than a poll and shorter than the stable time
const PAUSE_MS = 300

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitUntil<T>(what: string, probe: () => T | null | undefined, ms = 240_000) {
  const until = Date.now() + ms
  for (;;) {
    const value = probe()
    if (value !== null && value !== undefined) return value
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`)
    await sleep(100)
  }
}

async function ok<M extends MethodName>(engine: Engine, method: M, input: unknown) {
  const r = await engine.invoke(method, input)
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
  return r.value
}

async function setSettings(engine: Engine, values: Record<string, unknown>) {
  for (const [key, value] of Object.entries(values))
    await ok(engine, 'settings.set', { key, value })
}

function watchRows(engine: Engine) {
  return engine.context.db
    .prepare(
      'SELECT id, file_name, outcome, import_id, reason, moved_to, result_json FROM watch_files ORDER BY id',
    )
    .all() as {
    id: number
    file_name: string
    outcome: string
    import_id: number | null
    reason: string | null
    moved_to: string | null
    result_json: string
  }[]
}

/** The handled file's full result, once its checks and retrains are stored with it. */
function finishedResult(engine: Engine, name: string): WatchFileResult | null {
  const row = watchRows(engine).find((r) => r.file_name === name && r.result_json !== '{}')
  return row ? (JSON.parse(row.result_json) as WatchFileResult) : null
}

async function imports(engine: Engine): Promise<ImportRecord[]> {
  return ok(engine, 'imports.list', {})
}

async function timeline(engine: Engine): Promise<ActivityEntry[]> {
  return (await ok(engine, 'automation.activity', { limit: 1000 })).slice().reverse()
}

describe('the watched folder', () => {
  const dir = tempDir('assay-watch-')
  const data = join(dir.path, 'data')
  const watched = join(dir.path, 'incoming')
  let engine: Engine
  let firstImport: number
  let model: string

  beforeAll(async () => {
    mkdirSync(watched)
    engine = startTestEngine(data)
    const trainFile = join(dir.path, 'training-part.csv')
    writeFileSync(trainFile, TRAIN)
    const imported = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, trainFile),
    })
    expect(imported.state).toBe('succeeded')
    const started = await engine.invoke('models.train', {
      target: 'CHEMBL1978',
      featureSet: 'core4',
      learner: 'ridge',
      folds: 3,
      promote: true,
      reason: 'production model for the watched-folder test',
    })
    if (!started.ok) throw new Error(started.error.message)
    const trained = await waitForFinished(engine, started.value.jobId)
    expect(trained.state).toBe('succeeded')
    model = (trained.result as TrainResult).modelVersion
    await setSettings(engine, {
      'watch.folder': watched,
      'watch.stableSeconds': STABLE_SECONDS,
      'watch.afterImport': 'move',
      'watch.enabled': true,
    })
    expect(engine.context.watch.status(engine.context)).toMatchObject({
      watching: true,
      folder: watched,
      error: null,
    })
  }, 300_000)

  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  it('takes nothing while a file is written in chunks, then imports it once and checks it for drift', async () => {
    const before = (await imports(engine)).length
    const target = join(watched, 'new-measurements.csv')
    const bytes = Buffer.from(NEW_A)
    const chunks = 8
    for (let i = 0; i < chunks; i++) {
      const from = Math.floor((i * bytes.length) / chunks)
      const to = Math.floor(((i + 1) * bytes.length) / chunks)
      appendFileSync(target, bytes.subarray(from, to))
      await sleep(PAUSE_MS)
      // still being written: no import, no watch_files row, and the status says it waits
      expect((await imports(engine)).length).toBe(before)
      expect(watchRows(engine)).toEqual([])
      if (i < chunks - 1)
        expect(engine.context.watch.status(engine.context).waiting).toContain(
          'new-measurements.csv',
        )
    }
    const result = await waitUntil('the file to be handled', () =>
      finishedResult(engine, 'new-measurements.csv'),
    )
    const all = await imports(engine)
    expect(all.length).toBe(before + 1)
    const record = all[0] as ImportRecord
    firstImport = record.id
    const expectedRows = readTable(join(dir.path, 'training-part.csv'), ';').rows.length
    expect(expectedRows).toBe(2000)
    expect(result).toMatchObject({
      outcome: 'imported',
      importId: record.id,
      rowsTotal: readTableText(NEW_A).length,
      bytes: bytes.length,
      movedTo: join(watched, 'imported', 'new-measurements.csv'),
      reason: null,
    })
    expect(record.rowsTotal).toBe(600)
    expect(existsSync(target)).toBe(false)
    expect(readFileSync(join(watched, 'imported', 'new-measurements.csv'), 'utf8')).toBe(NEW_A)
    expect(watchRows(engine)).toHaveLength(1)

    // one drift check, of this import against the production model, started by the watcher
    expect(result.checks).toHaveLength(1)
    const check = result.checks[0]
    expect(check).toMatchObject({ modelVersion: model, target: 'CHEMBL1978', error: null })
    const runs = engine.context.db
      .prepare('SELECT id, import_id, trigger, model_version FROM drift_runs ORDER BY id')
      .all() as { id: number; import_id: number; trigger: string; model_version: string }[]
    expect(runs).toEqual([
      { id: check?.driftRunId, import_id: record.id, trigger: 'watch', model_version: model },
    ])

    const kinds = (await timeline(engine)).map((e) => e.kind)
    expect(kinds).toEqual(['watch-started', 'file-imported', 'drift-checked'])
    const entries = await timeline(engine)
    expect(entries[1]).toMatchObject({ importId: record.id, watchFileId: result.id })
    expect(entries[1]?.details).toMatchObject({ rows: 600 })
    expect(entries[2]).toMatchObject({
      driftRunId: check?.driftRunId,
      modelVersion: model,
      target: 'CHEMBL1978',
    })
  }, 300_000)

  it('rejects bad files with their reasons, moves them aside, and goes on to the next file', async () => {
    const before = (await imports(engine)).length
    writeFileSync(join(watched, 'no-columns.csv'), 'colour,size\nred,3\nblue,4\n')
    writeFileSync(join(watched, 'empty.csv'), '')
    writeFileSync(
      join(watched, 'binary.csv'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    )
    // then a good one: the same bytes as the first file, under another name
    await sleep(200)
    copyFileSync(join(watched, 'imported', 'new-measurements.csv'), join(watched, 'copy.csv'))
    const copy = await waitUntil('the copy to be handled', () => finishedResult(engine, 'copy.csv'))
    const rows = watchRows(engine)
    const byName = new Map(rows.map((r) => [r.file_name, r]))
    expect(byName.get('no-columns.csv')).toMatchObject({ outcome: 'rejected' })
    expect(byName.get('no-columns.csv')?.reason).toMatch(/^missing-columns: /)
    expect(byName.get('empty.csv')?.reason).toBe('invalid-input: The file is empty.')
    expect(byName.get('binary.csv')?.reason).toMatch(/^invalid-input: The file is not text/)
    for (const name of ['empty.csv', 'binary.csv']) {
      expect(byName.get(name)?.outcome).toBe('rejected')
      expect(existsSync(join(watched, 'rejected', name))).toBe(true)
      expect(existsSync(join(watched, name))).toBe(false)
    }
    expect(existsSync(join(watched, 'rejected', 'no-columns.csv'))).toBe(true)

    expect(copy).toMatchObject({
      outcome: 'duplicate',
      previousImportId: firstImport,
      importId: null,
      checks: [],
      movedTo: join(watched, 'imported', 'copy.csv'),
    })
    expect((await imports(engine)).length).toBe(before)
    const entries = await timeline(engine)
    const rejected = entries.filter((e) => e.kind === 'file-rejected')
    expect(rejected.map((e) => e.level)).toEqual(['warning', 'warning', 'warning'])
    expect(entries.at(-1)).toMatchObject({
      kind: 'file-duplicate',
      importId: firstImport,
      details: { previousImportId: firstImport },
    })
    expect(engine.context.watch.status(engine.context)).toMatchObject({
      watching: true,
      handled: 5,
    })
  }, 300_000)

  it('never overwrites a file already in imported/: a second file of the same name gets " (2)"', async () => {
    copyFileSync(join(watched, 'imported', 'copy.csv'), join(watched, 'copy.csv'))
    await waitUntil(
      'the second copy',
      () =>
        watchRows(engine).filter((r) => r.file_name === 'copy.csv' && r.result_json !== '{}')
          .length === 2
          ? true
          : null,
      90_000,
    )
    expect(existsSync(join(watched, 'imported', 'copy.csv'))).toBe(true)
    expect(existsSync(join(watched, 'imported', 'copy (2).csv'))).toBe(true)
  }, 120_000)

  it('takes at the next start a file that arrived while the app was closed, and not a file it handled before', async () => {
    await engine.close()
    // left in the folder this time, so a third start sees it again
    writeFileSync(join(watched, 'while-closed.csv'), TRAIN)
    engine = startTestEngine(data)
    await setSettings(engine, { 'watch.afterImport': 'leave' })
    const result = await waitUntil('the file that arrived while closed', () =>
      finishedResult(engine, 'while-closed.csv'),
    )
    // the same bytes as the training import (#1): recognised by SHA-256
    expect(result).toMatchObject({ outcome: 'duplicate', previousImportId: 1, movedTo: null })
    expect(existsSync(join(watched, 'while-closed.csv'))).toBe(true)
    const handled = watchRows(engine).length

    await engine.close()
    engine = startTestEngine(data)
    await ok(engine, 'automation.status', {})
    // a new file after the left one, so the test knows the watcher has looked at the folder
    writeFileSync(join(watched, 'later.csv'), 'colour,size\nred,3\n')
    await waitUntil(
      'the later file',
      () => watchRows(engine).find((r) => r.file_name === 'later.csv') ?? null,
    )
    expect(
      watchRows(engine)
        .map((r) => r.file_name)
        .slice(handled),
    ).toEqual(['later.csv'])
  }, 300_000)

  it('says why it does not watch a folder that does not exist, once on the timeline', async () => {
    const missing = join(dir.path, 'no-such-folder')
    await setSettings(engine, { 'watch.folder': missing })
    const status = engine.context.watch.status(engine.context)
    expect(status.watching).toBe(false)
    expect(status.error).toContain('does not exist')
    await setSettings(engine, { 'watch.stableSeconds': 0.5 })
    const errors = (await timeline(engine)).filter((e) => e.kind === 'watch-error')
    expect(errors).toHaveLength(1)
    expect(errors[0]?.level).toBe('warning')
    await setSettings(engine, { 'watch.folder': data })
    expect(engine.context.watch.status(engine.context).error).toContain('data folder')
    await setSettings(engine, { 'watch.folder': watched })
    expect(engine.context.watch.status(engine.context)).toMatchObject({
      watching: true,
      error: null,
    })
  }, 60_000)

  it('closed while a file is imported: the import is cancelled or finishes, and the file is imported once in all', async () => {
    const name = 'closed-mid-import.csv'
    writeFileSync(join(watched, name), NEW_C)
    await waitUntil('the file to be taken', () =>
      engine.context.watch.status(engine.context).handling === name ? true : null,
    )
    await engine.close()
    engine = startTestEngine(data)
    const result = await waitUntil('the file after the restart', () => finishedResult(engine, name))
    const rows = watchRows(engine).filter((r) => r.file_name === name)
    expect(rows.map((r) => r.outcome)).toEqual(['imported'])
    const sha = createHash('sha256').update(NEW_C).digest('hex')
    const stored = engine.context.db
      .prepare('SELECT id FROM imports WHERE file_sha256 = ?')
      .all(sha) as { id: number }[]
    expect(stored).toHaveLength(1)
    expect(rows[0]?.import_id).toBe(stored[0]?.id)
    expect(result).toMatchObject({ outcome: 'imported', importId: stored[0]?.id })
    expect(engine.context.watch.status(engine.context).watching).toBe(true)
  }, 300_000)

  it('runs the target retraining policy after the check, and keeps its decision with the file', async () => {
    await ok(engine, 'automation.savePolicy', {
      target: 'CHEMBL1978',
      policy: {
        enabled: true,
        triggers: {
          datasetDrift: true,
          performanceDegraded: true,
          newMeasurements: 1,
          scheduleDays: null,
        },
        learner: 'same',
        budgetSeconds: 30,
        autoPromote: true,
      },
      reason: 'permissive policy for the test',
    })
    writeFileSync(join(watched, 'more-measurements.csv'), NEW_B)
    const result = await waitUntil('the file with a retrain', () =>
      finishedResult(engine, 'more-measurements.csv'),
    )
    expect(result.outcome).toBe('imported')
    expect(result.checks).toHaveLength(1)
    expect(result.retrains).toHaveLength(1)
    const outcome = result.retrains[0]
    expect(outcome?.target).toBe('CHEMBL1978')
    expect(outcome?.triggered).toBe(true)
    expect(['promoted', 'kept-candidate']).toContain(outcome?.decision)
    const kinds = (await timeline(engine)).map((e) => e.kind)
    const from = kinds.lastIndexOf('file-imported')
    expect(kinds.slice(from)).toEqual([
      'file-imported',
      'drift-checked',
      'retrain-started',
      'retrain-decided',
    ])
  }, 600_000)
})

/** Data rows of a CSV text by the independent reader. */
function readTableText(text: string): Record<string, string>[] {
  const dir = tempDir('assay-watch-rows-')
  try {
    const path = join(dir.path, 'rows.csv')
    writeFileSync(path, text)
    return readTable(path, ';').rows
  } finally {
    dir.remove()
  }
}
