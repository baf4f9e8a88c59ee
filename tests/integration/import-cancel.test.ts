import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Events } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { writeRepeatedExport } from '../bench/big-export'
import { fileRef, startTestEngine, tempDir, waitForFinished } from '../helpers'
import { AROMATASE } from '../reference-csv'

type Progress = Events['job.progress']
type CancelAnswer = { cancelled: boolean; reason?: string }

interface Outcome {
  answer: CancelAnswer | null
  finished: Events['job.finished']
  phase: string | null
}

/** Files in a folder of the data folder ([] when it does not exist). */
function filesIn(dataDir: string, folder: string): string[] {
  const path = join(dataDir, folder)
  return existsSync(path) ? readdirSync(path).sort() : []
}

/**
 * Starts an import and cancels it from inside the event listener, at the very moment `when`
 * picks (so nothing else runs in between); returns the cancel's answer and how the job ended.
 */
async function importAndCancel(
  engine: Engine,
  file: string,
  input: Record<string, unknown>,
  when: (progress: Progress, seen: number) => number | null,
): Promise<Outcome> {
  const started = await engine.invoke('imports.start', {
    file: await fileRef(engine, file),
    ...input,
  })
  if (!started.ok) throw new Error(started.error.message)
  const { jobId } = started.value
  const finished = waitForFinished(engine, jobId)
  let seen = 0
  let asked: Promise<CancelAnswer> | null = null
  let phase: string | null = null
  const off = engine.subscribe((event, payload) => {
    if (event !== 'job.progress' || asked) return
    const p = payload as Progress
    if (p.jobId !== jobId) return
    seen++
    const delay = when(p, seen)
    if (delay === null) return
    phase = delay > 0 ? `${delay} ms after ${p.phase} (${seen})` : `${p.phase} (${seen})`
    const cancel = () =>
      engine.invoke('jobs.cancel', { jobId }).then((r) => {
        if (!r.ok) throw new Error(r.error.message)
        return r.value
      })
    asked = delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay)).then(cancel) : cancel()
  })
  const done = await finished
  off()
  return { answer: asked ? await asked : null, finished: done, phase }
}

/**
 * What a user may rely on after a cancel, whatever moment it came at: the job was cancelled and
 * the database and data folder hold nothing of it, or the import was past its point of no return,
 * the cancel said so, and the import is whole with its stored copy.
 */
function expectConsistent(
  engine: Engine,
  dataDir: string,
  file: string,
  before: number,
  o: Outcome,
  compounds: { before: number; imported: number } | null,
) {
  const db = engine.context.db
  const imports = db.prepare('SELECT id, stored_file FROM imports ORDER BY id').all() as {
    id: number
    stored_file: string
  }[]
  const label = `cancel at ${o.phase ?? 'no moment'}: ${JSON.stringify(o.answer)} -> ${o.finished.state}`
  if (o.finished.state === 'cancelled') {
    expect(o.answer, label).toEqual({ cancelled: true })
    expect(imports, label).toHaveLength(before)
  } else {
    expect(o.finished.state, label).toBe('succeeded')
    if (o.answer) expect(o.answer, label).toEqual({ cancelled: false, reason: 'already finished' })
    expect(imports, label).toHaveLength(before + 1)
    const last = imports.at(-1) as { stored_file: string }
    expect(statSync(join(dataDir, last.stored_file)).size, label).toBe(statSync(file).size)
  }
  // Every copy in imports/ belongs to a committed import, and every committed import has its copy.
  expect(filesIn(dataDir, 'imports'), label).toEqual(
    imports.map((i) => i.stored_file.replace(/^imports\//, '')).sort(),
  )
  expect(filesIn(dataDir, 'staging'), label).toEqual([])
  // Nothing written by a cancelled import survives next to the committed ones.
  for (const table of ['activity_records', 'import_rejections']) {
    expect(
      db
        .prepare(
          `SELECT count(*) AS n FROM ${table} WHERE import_id NOT IN (SELECT id FROM imports)`,
        )
        .get(),
      `${label}: ${table}`,
    ).toEqual({ n: 0 })
  }
  // A cancelled import adds no compound; a committed one adds the file's own.
  if (compounds !== null)
    expect(db.prepare('SELECT count(*) AS n FROM compounds').get(), label).toEqual({
      n: o.finished.state === 'cancelled' ? compounds.before : compounds.imported,
    })
}

describe('cancelling an import at any moment', () => {
  const dir = tempDir()
  const dataDir = join(dir.path, 'data')
  const big = join(dir.path, 'export-60k.csv')
  const ROWS = 60_000
  let engine: Engine
  // compounds in the data folder once the file is imported (it repeats the aromatase export)
  let compounds: { before: number; imported: number } | null = null

  beforeAll(async () => {
    await writeRepeatedExport(AROMATASE, big, ROWS)
    engine = startTestEngine(dataDir)
  }, 60_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  const importsNow = () =>
    (engine.context.db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n

  it('either rolls back everything or finishes the whole import, whenever the cancel comes', async () => {
    // A run left alone says how many progress events an import of this file sends, and how long
    // it writes rows.
    let events = 0
    let firstRows = 0
    const whole = await importAndCancel(engine, big, { computeDescriptors: false }, (p) => {
      events++
      if (p.phase === 'importing rows' && firstRows === 0) firstRows = performance.now()
      return null
    })
    const writing = performance.now() - firstRows
    expect(whole.finished.state).toBe('succeeded')
    expect(whole.finished.result).toMatchObject({ rowsTotal: ROWS })
    const count = (sql: string) => (engine.context.db.prepare(sql).get() as { n: number }).n
    const activities = count('SELECT count(*) AS n FROM activity_records')
    const fileCompounds = count('SELECT count(*) AS n FROM compounds')
    compounds = { before: fileCompounds, imported: fileCompounds }

    // Moments: after a progress event (early ones are much alike, so a few of them, every one of
    // the last six, and one more than there were: a cancel after the end), and at times around the
    // end of the writing (rows all sent, indexes rebuilt, committing), where a cancel used to cut
    // a commit. Each run starts from an empty data folder: the first import of a big file does
    // the most work (rebuilding the activity indexes) in its final transaction.
    const moments: { label: string; when: (p: Progress, seen: number) => number | null }[] = []
    for (let k = 1; k <= events + 1; k++)
      if (k > events - 6 || k % Math.max(1, Math.floor(events / 4)) === 0)
        moments.push({ label: `event ${k}`, when: (_p, seen) => (seen === k ? 0 : null) })
    for (const share of [0.9, 0.97, 0.99, 1, 1.01, 1.03]) {
      let armed = true
      moments.push({
        label: `${share} of the writing`,
        when: (p) => {
          if (!armed || p.phase !== 'importing rows') return null
          armed = false
          return Math.max(1, Math.round(writing * share))
        },
      })
    }
    const outcomes: string[] = []
    for (const [i, moment] of moments.entries()) {
      const runDir = join(dir.path, `run-${i}`)
      const run = startTestEngine(runDir)
      try {
        const o = await importAndCancel(run, big, { computeDescriptors: false }, moment.when)
        outcomes.push(`${moment.label}: ${o.finished.state}`)
        expectConsistent(run, runDir, big, 0, o, { before: 0, imported: fileCompounds })
        if (o.finished.state === 'succeeded')
          expect(
            run.context.db.prepare('SELECT count(*) AS n FROM activity_records').get(),
          ).toEqual({ n: activities })
      } finally {
        await run.close()
      }
    }
    console.log(`cancel moments (${events} progress events): ${outcomes.join('; ')}`)
  }, 400_000)

  it('cancels an import waiting for another one to finish writing, and the other one commits', async () => {
    const before = importsNow()
    const first = await engine.invoke('imports.start', {
      file: await fileRef(engine, big),
      computeDescriptors: false,
      duplicate: 'import',
    })
    if (!first.ok) throw new Error(first.error.message)
    const firstDone = waitForFinished(engine, first.value.jobId)
    const o = await importAndCancel(
      engine,
      AROMATASE,
      { computeDescriptors: false, duplicate: 'import' },
      (p) => (p.phase === 'waiting for another import to finish' ? 0 : null),
    )
    expect(o.phase).toMatch(/^waiting for another import to finish/)
    expect(o.answer).toEqual({ cancelled: true })
    expect(o.finished.state).toBe('cancelled')
    expect((await firstDone).state).toBe('succeeded')
    expectConsistent(
      engine,
      dataDir,
      big,
      before,
      {
        answer: null,
        finished: await firstDone,
        phase: null,
      },
      compounds,
    )
  }, 120_000)

  for (const phase of ['reading structures', 'computing RDKit descriptors']) {
    it(`rolls back an import cancelled while ${phase}`, async () => {
      const before = importsNow()
      const o = await importAndCancel(
        engine,
        AROMATASE,
        { computeDescriptors: true, duplicate: 'import' },
        (p) => (p.phase === phase ? 0 : null),
      )
      expect(o.phase?.startsWith(phase)).toBe(true)
      expect(o.finished.state).toBe('cancelled')
      expectConsistent(engine, dataDir, AROMATASE, before, o, compounds)
    }, 120_000)
  }
})
