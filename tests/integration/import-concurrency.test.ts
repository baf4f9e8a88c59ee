import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Events } from '../../src-main/contract'
import { databasePath } from '../../src-main/engine/db/connection'
import type { Engine } from '../../src-main/engine/engine'
import { SAMPLE_TARGET, seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { writeRepeatedExport } from '../bench/big-export'
import { REPO_ROOT, fileRef, startTestEngine, tempDir, waitForFinished } from '../helpers'
import { AROMATASE } from '../reference-csv'

const ROWS = 300_000

/** Starts the lock probe (tests/fixtures/lock-probe.ts) on a database; resolves once it runs. */
async function startLockProbe(dbPath: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'tests/fixtures/lock-probe.ts'), dbPath],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  )
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => out.includes('ready') && resolve())
    child.on('error', reject)
  })
  return async (): Promise<{ longestMs: number; stretches: number }> => {
    child.stdin.write('stop\n')
    await new Promise((resolve) => child.once('exit', resolve))
    return JSON.parse(out.trim().split('\n').at(-1) as string) as {
      longestMs: number
      stretches: number
    }
  }
}

interface Answer {
  method: string
  ms: number
  ok: boolean
  error?: string
  /** the call was made while rows were being written and answered before the import committed */
  duringImport: boolean
}

describe('user writes during a long import', () => {
  const dir = tempDir()
  const file = join(dir.path, `export-${ROWS}.csv`)
  let engine: Engine

  beforeAll(async () => {
    await writeRepeatedExport(AROMATASE, file, ROWS)
    engine = startTestEngine(join(dir.path, 'data'))
    expect(await seedSampleIfEmpty(engine.context, REPO_ROOT)).toBe(true)
    // a second model of the sample's target (ridge: quick), so production can switch between two;
    // importing the baseline's own bundle again would add no version (same ONNX bytes)
    const trained = await engine.invoke('models.train', {
      target: SAMPLE_TARGET,
      featureSet: 'core4',
      learner: 'ridge',
      folds: 2,
    })
    if (!trained.ok) throw new Error(trained.error.message)
    const end = await waitForFinished(engine, trained.value.jobId)
    if (end.state !== 'succeeded') throw new Error(end.error?.message)
  }, 120_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  it('predictions, settings and promotions succeed while the rows are being written', async () => {
    const db = engine.context.db
    const [first, second] = (
      db.prepare('SELECT version FROM model_versions ORDER BY id').pluck().all() as string[]
    ).slice(0, 2) as [string, string]
    const committed = () =>
      db.prepare('SELECT count(*) AS n FROM imports WHERE file_name = ?').get(`export-${ROWS}.csv`)

    const stopProbe = await startLockProbe(databasePath(join(dir.path, 'data')))
    const started = await engine.invoke('imports.start', {
      file: await fileRef(engine, file),
      computeDescriptors: false,
    })
    if (!started.ok) throw new Error(started.error.message)
    const jobId = started.value.jobId
    let writingRows = false
    let finished: Events['job.finished'] | null = null
    const off = engine.subscribe((event, payload) => {
      if (
        event === 'job.progress' &&
        (payload as Events['job.progress']).phase === 'importing rows' &&
        ((payload as Events['job.progress']).rows ?? 0) > 0
      )
        writingRows = true
    })
    const done = waitForFinished(engine, jobId).then((f) => (finished = f))

    const answers: Answer[] = []
    const timed = async (method: string, call: () => Promise<{ ok: boolean; error?: unknown }>) => {
      const during = writingRows && finished === null
      const at = performance.now()
      const r = await call()
      const ms = performance.now() - at
      answers.push({
        method,
        ms,
        ok: r.ok,
        error: r.ok ? undefined : JSON.stringify(r.error),
        duringImport: during && (committed() as { n: number }).n === 0,
      })
    }
    // app.status on its own timer: the time from when it was due to its answer also counts any
    // time the engine thread could not even start it.
    const statusLoop = (async () => {
      while (finished === null) {
        const due = performance.now() + 50
        await new Promise((resolve) => setTimeout(resolve, 50))
        const r = await engine.invoke('app.status', {})
        answers.push({
          method: 'app.status',
          ms: performance.now() - due,
          ok: r.ok,
          duringImport: false,
        })
      }
    })()
    let round = 0
    while (finished === null) {
      round++
      await timed('predictions.single', () =>
        engine.invoke('predictions.single', {
          target: SAMPLE_TARGET,
          features: { mw_freebase: 300 + round, alogp: 2.5, hba: 4, hbd: 1 },
        }),
      )
      await timed('settings.set', () =>
        engine.invoke('settings.set', { key: 'theme', value: round % 2 ? 'dark' : 'light' }),
      )
      await timed('models.promote/rollback', () =>
        round % 2
          ? engine.invoke('models.promote', { version: second, reason: 'concurrency test' })
          : engine.invoke('models.rollback', { target: SAMPLE_TARGET, reason: 'concurrency test' }),
      )
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await done
    await statusLoop
    off()
    const lock = await stopProbe()

    const longest = (method: string) =>
      Math.max(0, ...answers.filter((a) => a.method === method).map((a) => a.ms)).toFixed(0)
    console.log(
      `${ROWS} rows imported in ${(finished as Events['job.finished'] | null)?.seconds.toFixed(1)} s; ` +
        `${round} rounds of calls; longest answer (ms): ` +
        ['app.status', 'predictions.single', 'settings.set', 'models.promote/rollback']
          .map((m) => `${m} ${longest(m)}`)
          .join(', ') +
        `; longest write-lock hold seen from outside: ${lock.longestMs.toFixed(0)} ms`,
    )

    expect((finished as Events['job.finished'] | null)?.state).toBe('succeeded')
    expect((finished as Events['job.finished'] | null)?.result).toMatchObject({ rowsTotal: ROWS })
    const failures = answers.filter((a) => !a.ok)
    expect(failures).toEqual([])
    // Each kind of write was answered at least once while the import was writing rows and had not
    // committed: it did not wait for the import's transaction.
    for (const method of ['predictions.single', 'settings.set', 'models.promote/rollback'])
      expect(
        answers.filter((a) => a.method === method && a.duringImport).length,
        method,
      ).toBeGreaterThan(0)
    // the last promote/rollback left one production model, either of the two
    expect(
      db
        .prepare("SELECT version FROM model_versions WHERE stage = 'production'")
        .pluck()
        .all()
        .filter((v) => v === first || v === second),
    ).toHaveLength(1)
  }, 300_000)
})
