import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { EventName, Events } from '../src-main/contract'
import { type Engine, createEngine } from '../src-main/engine/engine'

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
  method: 'imports.start' | 'app.selfTest',
  input: unknown,
): Promise<Events['job.finished']> {
  const started = await engine.call(method, input)
  if (!started.ok)
    throw Object.assign(new Error(started.error.message), { code: started.error.code })
  return waitForFinished(engine, (started.value as { jobId: string }).jobId)
}

export function fileRef(path: string): { path: string; name: string; size: number } {
  return { path, name: path.split('/').at(-1) ?? path, size: statSync(path).size }
}
