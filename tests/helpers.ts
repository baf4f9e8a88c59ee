import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect } from 'vitest'
import type { EventName, Events, FileRef, ImportSummary, JobMethodName } from '../src-main/contract'
import { type Engine, createEngine } from '../src-main/engine/engine'
import { seedSampleIfEmpty } from '../src-main/engine/sample/sample'

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
/** The worker entry from source; the pool runs .ts workers through tsx. */
export const WORKER_SOURCE = join(REPO_ROOT, 'src-main/engine/workers/worker-entry.ts')

export function tempDir(prefix = 'assay-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

export function startTestEngine(dataDir: string, options: { exclusive?: boolean } = {}): Engine {
  return createEngine({ dataDir, host: 'test', workerPath: WORKER_SOURCE, ...options })
}

export interface RecordedEvent<E extends EventName = EventName> {
  event: E
  payload: Events[E]
  at: number
}

/** Collects every event the engine emits, in order. */
export function recordEvents(engine: Engine): RecordedEvent[] {
  const events: RecordedEvent[] = []
  engine.subscribe((event, payload) =>
    events.push({ event, payload, at: Date.now() } as RecordedEvent),
  )
  return events
}

export function waitForFinished(engine: Engine, jobId: string): Promise<Events['job.finished']> {
  return new Promise((resolve) => {
    const off = engine.subscribe((event, payload) => {
      if (event === 'job.finished' && (payload as Events['job.finished']).jobId === jobId) {
        off()
        resolve(payload as Events['job.finished'])
      }
    })
  })
}

/** Starts a job through the engine and waits for its finished event. */
export async function runJob(
  engine: Engine,
  method: JobMethodName,
  input: unknown,
): Promise<Events['job.finished']> {
  const started = await engine.call(method, input)
  if (!started.ok)
    throw Object.assign(new Error(started.error.message), { code: started.error.code })
  return waitForFinished(engine, (started.value as { jobId: string }).jobId)
}

/** A reference to `path` the way a host makes one: granted by the engine, which checks it. */
export function fileRef(engine: Engine, path: string): Promise<FileRef> {
  return engine.grantFile(path)
}

/**
 * Imports one file into a fresh engine before a describe block's tests and closes it after them;
 * `ready` receives the engine, the import's summary and the data folder.
 */
export function importOnce(
  path: string,
  input: Record<string, unknown>,
  ready: (engine: Engine, summary: ImportSummary, dataDir: string) => void,
): void {
  const dir = tempDir()
  let engine: Engine | null = null
  beforeAll(async () => {
    engine = startTestEngine(dir.path)
    const file = await fileRef(engine, path)
    const finished = await runJob(engine, 'imports.start', { file, ...input })
    if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
    ready(engine, finished.result as ImportSummary, dir.path)
  }, 120_000)
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })
}

/**
 * A test engine in a fresh data folder seeded as on first launch (the bundled sample and its
 * baseline model as production), handed to `ready` before the describe block's tests run.
 */
export function sampleEngine(ready: (engine: Engine) => void): void {
  const dir = tempDir()
  let engine: Engine | null = null
  beforeAll(async () => {
    engine = startTestEngine(join(dir.path, 'data'))
    expect(await seedSampleIfEmpty(engine.context, REPO_ROOT)).toBe(true)
    ready(engine)
  }, 60_000)
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })
}

/** mulberry32: a small seeded PRNG, so every failing seed can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A fixture script (tests/fixtures/NAME.ts) run in a Node child process through tsx, for tests
 * that kill a process part way: `output` waits for its standard output to match (or for it to
 * end), `printed` is all it printed, `kill` ends it with SIGKILL.
 */
export function startFixtureProcess(fixture: string, args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'tests/fixtures', fixture), ...args],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let out = ''
  const waiters: (() => void)[] = []
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    for (const wake of waiters.splice(0)) wake()
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    async output(pattern: RegExp): Promise<string> {
      for (;;) {
        const match = pattern.exec(out)
        if (match) return match[0]
        if (child.exitCode !== null || child.signalCode !== null) return out
        await Promise.race([new Promise<void>((r) => waiters.push(r)), exited])
      }
    },
    printed: () => out,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}
