import type { OnnxSessions } from '../ml/runtime'
import type { DatabaseMaintenance } from './backup/maintenance'
import type { EngineContext } from './context'
import type { FileGrants } from './files/file-grants'
import type { HostCapabilities } from './host/capabilities'
import type { DownloadStore } from './host/downloads'
import type { JobRunner } from './jobs/job-runner'
import { type MetricsEndpoint, metricsService } from './metrics/server'
import type { Service } from './services'
import type { WorkerPool } from './workers/pool'
import { type FolderWatch, watchService } from './automation/watch/watch-service'
import { retrainScheduleService } from './automation/retrain/schedule'

export interface EngineParts {
  files: FileGrants
  downloads: DownloadStore
  capabilities: HostCapabilities
  onnx: OnnxSessions
  maintenance: DatabaseMaintenance
  pool: WorkerPool
  jobs: JobRunner
  metricsEndpoint: MetricsEndpoint
  watch: FolderWatch
}

/**
 * The engine's long-lived parts in start order; they stop in reverse. So on close: running jobs
 * are cancelled first (a committing one is let finish), then the worker pool ends (which also ends
 * a database check in progress), then a backup in progress is waited for, and only then go the
 * ONNX sessions, the host's browser and the files granted to this session. The monitoring
 * endpoint starts last and stops first: no scrape or /predict reaches a part that has stopped.
 * The watched folder stops just before it, so no file is taken while the jobs are cancelled.
 */
export function engineServices(parts: EngineParts): Service<EngineContext>[] {
  let maintenanceStopped: Promise<void> = Promise.resolve()
  return [
    {
      name: 'file grants',
      start: () => undefined,
      stop: () => {
        parts.downloads.clear()
        parts.files.clear()
      },
    },
    {
      name: 'host capabilities',
      start: () => undefined,
      stop: () => parts.capabilities.close(),
    },
    {
      name: 'ONNX sessions',
      start: () => undefined,
      stop: () => parts.onnx.close(),
    },
    {
      name: 'database maintenance',
      start: (ctx) => {
        if (ctx.options.maintenance) parts.maintenance.startBackground()
      },
      // Its timers stop before anything else does, so no check starts on a closing pool.
      halt: () => {
        maintenanceStopped = parts.maintenance.stop()
      },
      stop: () => maintenanceStopped,
    },
    {
      name: 'worker pool',
      start: () => undefined,
      stop: () => parts.pool.close(),
    },
    {
      name: 'job runner',
      start: () => undefined,
      stop: () => parts.jobs.shutdown(),
    },
    // After the job runner: the watcher starts imports, drift checks and retrains as jobs, and
    // stops (no new file taken) before the runner cancels what runs.
    watchService(parts.watch),
    retrainScheduleService(),
    metricsService(parts.metricsEndpoint),
  ]
}
