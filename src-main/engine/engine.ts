import { z } from 'zod'
import {
  type CallResult,
  type EventName,
  type Events,
  type FileRef,
  type MethodName,
  type MethodOutput,
  WorkbenchError,
  isMethodName,
  methods,
  toErrorData,
} from '../contract'
import type { EngineContext, EngineOptions, Handler } from './context'
import { mkdirSync } from 'node:fs'
import { DatabaseMaintenance } from './backup/maintenance'
import { type Db, openDatabase, schemaVersion, withOpeningPatience } from './db/connection'
import { FileGrants, type GrantOptions } from './files/file-grants'
import { DownloadStore, type PendingDownload } from './host/downloads'
import { createHeadlessHost } from './host/headless-host'
import { removeOrphanedFiles } from './import/stored-file'
import { removeOrphanedReports } from './reports/store'
import { acquireInstanceLock } from './instance-lock'
import { handlers } from './handlers'
import { JobRunner } from './jobs/job-runner'
import { WorkerPool } from './workers/pool'
import { OnnxSessions } from '../ml/runtime'
import { ServiceList } from './services'
import { engineServices } from './engine-services'
import { FolderWatch } from './automation/watch/watch-service'
import { startStandardiseJob, unstandardisedCount } from './compounds/standardise-job'
import { MetricsRecorder } from './metrics/recorder'
import { MetricsEndpoint } from './metrics/server'

export type EventSink = <E extends EventName>(event: E, payload: Events[E]) => void

export interface Engine {
  /** Validates the input with the method's schema, runs its handler, and never throws. */
  call(method: string, input: unknown): Promise<CallResult<unknown>>
  /** Typed form of `call` for in-process hosts and tests. */
  invoke<M extends MethodName>(method: M, input: unknown): Promise<CallResult<MethodOutput<M>>>
  /**
   * For hosts only, never a contract method: lets the engine read the file at `path` (a dialog
   * pick, a drop, an upload, a path typed in the CLI) and returns the reference a page passes back.
   * Refuses the database and the data folder with `file-not-allowed`.
   */
  grantFile(path: string, options?: GrantOptions): Promise<FileRef>
  /**
   * For hosts only, never a contract method: the file a `saveFile` left for the browser under
   * `id`, removed as it is taken (the web host serves it once); null for an unknown or used id.
   */
  takeDownload(id: string): PendingDownload | null
  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(sink: EventSink): () => void
  readonly context: EngineContext
  close(): Promise<void>
}

/** Opens the data folder and starts the engine. Throws a WorkbenchError when the folder cannot be used. */
export function createEngine(options: EngineOptions): Engine {
  const sinks = new Set<EventSink>()
  // reads the database only when scraped, through `db` as it is then (a restore replaces it)
  const metrics = new MetricsRecorder({
    db: () => db,
    dataDir: options.dataDir,
    host: options.host,
  })
  const emit: EventSink = (event, payload) => {
    // imports and training runs are counted as they end; counting never fails the event
    try {
      metrics.observe(event, payload)
    } catch {
      // a metric is not worth a lost event
    }
    for (const sink of sinks) sink(event, payload)
  }
  mkdirSync(options.dataDir, { recursive: true })
  const releaseLock = options.exclusive ? acquireInstanceLock(options.dataDir) : () => undefined
  let db: Db
  try {
    db = openDatabase(options.dataDir)
  } catch (error) {
    releaseLock()
    throw error
  }
  const opened = db
  const unstandardised = withOpeningPatience(opened, () => {
    removeOrphanedFiles(opened, options.dataDir)
    removeOrphanedReports(opened, options.dataDir)
    return unstandardisedCount({ db: opened })
  })
  const jobs = new JobRunner(emit)
  const pool = new WorkerPool(options.workerPath, options.workerThreads)
  const maintenance = new DatabaseMaintenance({
    dataDir: options.dataDir,
    db: () => db,
    pool,
    jobs,
    emit,
    // A restore closes the connection, swaps the files and opens the folder again; handlers
    // read `context.db` on every call, so they use the new connection from then on.
    close: () => db.close(),
    open: () => {
      db = openDatabase(options.dataDir)
      return schemaVersion(db)
    },
  })
  const downloads = new DownloadStore()
  const files = new FileGrants(options.dataDir)
  const capabilities =
    options.capabilities ??
    createHeadlessHost({
      kind: options.host === 'web' ? 'web' : 'cli',
      dataDir: options.dataDir,
      downloads,
    })
  const onnx = new OnnxSessions()
  const metricsEndpoint = new MetricsEndpoint()
  const watch = new FolderWatch()
  const services = new ServiceList<EngineContext>([
    ...engineServices({
      files,
      downloads,
      capabilities,
      onnx,
      maintenance,
      pool,
      jobs,
      metricsEndpoint,
      watch,
    }),
    ...(options.services ?? []),
  ])
  const context: EngineContext = {
    options,
    get db() {
      return db
    },
    jobs,
    pool,
    onnx,
    maintenance,
    files,
    capabilities,
    downloads,
    services,
    startedAt: new Date(),
    metrics,
    metricsEndpoint,
    watch,
    emit,
  }
  // Every built-in service starts at once; one that waits (a listener binding its port) is
  // waited for by the first call, and a failed start is that call's answer.
  const started = services.start(context)
  started.catch(() => undefined)
  // Compounds stored before standardisation existed (migration 010) get their parent and
  // descriptors on the worker threads, with progress, while the engine answers.
  if (unstandardised > 0) startStandardiseJob(context)

  let closing: Promise<void> | null = null
  const call = async (method: string, input: unknown): Promise<CallResult<unknown>> => {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: {
          code: 'unknown-method',
          message: `The engine has no method named ${JSON.stringify(String(method).slice(0, 100))}.`,
        },
      }
    }
    const parsed = methods[method].input.safeParse(input ?? {})
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'invalid-input',
          message: `The input to ${method} is not valid: ${describeIssues(parsed.error.issues)}`,
          details: parsed.error.issues,
        },
      }
    }
    try {
      await started
      const handler = handlers[method] as Handler<MethodName>
      return { ok: true, value: await handler(parsed.data as never, context) }
    } catch (error) {
      return { ok: false, error: toErrorData(error) }
    }
  }

  return {
    call,
    invoke: (method, input) => call(method, input) as never,
    grantFile: (path, grantOptions) => context.files.grant(path, grantOptions),
    takeDownload: (id) => downloads.take(id),
    subscribe(sink) {
      sinks.add(sink)
      return () => sinks.delete(sink)
    },
    context,
    close() {
      closing ??= (async () => {
        await started.catch(() => undefined)
        try {
          await services.stop()
        } finally {
          db.close()
          releaseLock()
        }
      })()
      return closing
    },
  }
}

/** Zod issues as one line a person can act on: "MW must be ... (features.mw_freebase)". */
function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.message} (${i.path.join('.')})` : i.message))
    .join('; ')
}

export { WorkbenchError }
