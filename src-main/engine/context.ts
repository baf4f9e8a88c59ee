import type { Events, MethodName, MethodOutput, ParsedInput } from '../contract'
import type { DatabaseMaintenance } from './backup/maintenance'
import type { Db } from './db/connection'
import type { FileGrants } from './files/file-grants'
import type { HostCapabilities } from './host/capabilities'
import type { DownloadStore } from './host/downloads'
import type { JobRunner } from './jobs/job-runner'
import type { WorkerPool } from './workers/pool'
import type { OnnxSessions } from '../ml/runtime'
import type { Service, ServiceList } from './services'
import type { MetricsRecorder } from './metrics/recorder'
import type { MetricsEndpoint } from './metrics/server'
import type { FolderWatch } from './automation/watch/watch-service'

export type HostKind = 'electron' | 'web' | 'cli' | 'test'

export interface EngineOptions {
  dataDir: string
  host: HostKind
  /** The built `worker.js` beside the host's entry file, or the TypeScript source in tests. */
  workerPath: string
  workerThreads?: number
  /** Long-running hosts (desktop app, web host) claim the data folder so a second one is refused. */
  exclusive?: boolean
  /** Long-running hosts check the database in the background after start and back it up daily. */
  maintenance?: boolean
  /**
   * What only the host can do (PDF, save, notify, open). Electron's engine passes main's, answered
   * over the utility-process protocol; without it the engine uses the headless host's (an
   * installed Chromium; for `web`, downloads the web host serves; otherwise files written to disk).
   */
  capabilities?: HostCapabilities
  /**
   * Services a host adds to the engine's own; they start after them (so they may use the pool,
   * the jobs and the database) and stop before them, and hear about the settings they list.
   */
  services?: readonly Service<EngineContext>[]
  /**
   * The monitoring endpoint's address and token, given by the host (`assay serve`): it serves
   * with these and does not follow the `metrics.*` settings. Without it, the desktop app's and
   * the web host's engines serve while `metrics.enabled` is on, and a CLI engine never does (a
   * short job must not take the port the desktop app serves on).
   */
  metricsEndpoint?: MetricsEndpointOverride
}

export interface MetricsEndpointOverride {
  port: number
  bind: string
  /** a token given on the command line, used instead of the stored one and not stored */
  token?: string
  predict: boolean
}

/** What every handler gets: the engine's resources, never a host's. */
export interface EngineContext {
  readonly options: EngineOptions
  /** The data folder's database; a different connection after a backup is restored. */
  readonly db: Db
  readonly jobs: JobRunner
  readonly pool: WorkerPool
  /** ONNX Runtime sessions, one per model version, reused across calls */
  readonly onnx: OnnxSessions
  /** quick_check, daily backups and restore */
  readonly maintenance: DatabaseMaintenance
  /** files hosts granted; handlers read a file only through `files.resolve(ref)` */
  readonly files: FileGrants
  /** printing, saving, notifying and opening files, as the host provides them */
  readonly capabilities: HostCapabilities
  /** files waiting for the web host to hand them to the browser, by one-time id */
  readonly downloads: DownloadStore
  /** the long-lived parts, started in order and stopped in reverse; told of changed settings */
  readonly services: ServiceList<EngineContext>
  readonly startedAt: Date
  /** counters, histograms and the stored-state gauges, whether or not the endpoint serves */
  readonly metrics: MetricsRecorder
  /** the monitoring listener: its status, started and stopped as a service */
  readonly metricsEndpoint: MetricsEndpoint
  /** the watched folder: started and stopped as a service, following the `watch.*` settings */
  readonly watch: FolderWatch
  emit<E extends keyof Events>(event: E, payload: Events[E]): void
}

export type Handler<M extends MethodName> = (
  input: ParsedInput<M>,
  ctx: EngineContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>

/** A feature's handlers: a subset of the contract, each typed from its method. */
export type HandlerGroup<M extends MethodName> = { [K in M]: Handler<K> }
