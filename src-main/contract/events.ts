import type { WorkbenchErrorData } from './errors'
import type { DatabaseCheck } from './database'
import type { JobProgress } from './jobs'
import type { JobMethodName, JobResult } from './methods'
import type { FileRef } from './workbench-api'
import type { ActivityEntry } from './automation'

/**
 * What screens show, in the groups a write changes them by: `imports` (imports and their rejected
 * rows), `activities` (measurements), `compounds` (structures and their features), `models` (model
 * versions, their stages and references), `runs` (training runs), `predictions` (batches and their
 * rows, single predictions), `settings`, `drift` (stored drift checks and drift settings), `reports` (stored reports), `automation` (the activity timeline, the watched folder's
 * files, retraining policies).
 */
export const dataTables = [
  'imports',
  'activities',
  'compounds',
  'models',
  'runs',
  'predictions',
  'settings',
  'drift',
  'reports',
  'automation',
] as const
export type DataTable = (typeof dataTables)[number]

/** How one job ended: a succeeded job carries its method's declared result, the others an error. */
export type JobFinishedOf<K extends JobMethodName> = {
  jobId: string
  kind: K
  seconds: number
} & (
  | { state: 'succeeded'; result: JobResult<K>; error?: undefined }
  | { state: 'failed' | 'cancelled'; error: WorkbenchErrorData; result?: undefined }
)

/** `job.finished` for any job: narrowing on `kind` (and `state`) types `result`. */
export type JobFinished = { [K in JobMethodName]: JobFinishedOf<K> }[JobMethodName]

/** Whether a finished job was started by `kind` (for code generic in the kind, where `===` cannot narrow). */
export function isJobFinishedOf<K extends JobMethodName>(
  finished: JobFinished,
  kind: K,
): finished is JobFinished & JobFinishedOf<K> {
  return finished.kind === kind
}

/** Every event the engine emits, with its payload. */
export interface Events {
  /** At most one per job every 100 ms. */
  'job.progress': { jobId: string; kind: JobMethodName } & JobProgress
  /** Exactly one per job: its result, or the error that ended it. */
  'job.finished': JobFinished
  /**
   * A write committed that changes what screens show (an import, a model trained or its stage
   * changed, a batch stored, the sample removed, a backup restored, a setting): screens showing
   * these tables read them again. Sent after the commit, before the job's `job.finished`.
   */
  'data.changed': { tables: DataTable[] }
  /** A check of the database finished (in the background after start, or asked for). */
  'database.checked': DatabaseCheck
  /** The desktop shell's File > Import dialog picked these files (the web host never sends it). */
  'files.chosen': { files: FileRef[] }
  /**
   * The automation did something (a file taken, a check, a retrain decided): the timeline's new
   * entry, for the banner; sent after it was stored.
   */
  'automation.activity': ActivityEntry
}

export type EventName = keyof Events
export const eventNames: EventName[] = [
  'job.progress',
  'job.finished',
  'data.changed',
  'database.checked',
  'files.chosen',
  'automation.activity',
]

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as string[]).includes(name)
}

export type EventListener<E extends EventName> = (payload: Events[E]) => void
