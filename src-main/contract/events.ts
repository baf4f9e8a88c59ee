import type { WorkbenchErrorData } from './errors'
import type { DatabaseCheck } from './database'
import type { JobProgress, JobState } from './jobs'
import type { FileRef } from './workbench-api'

/** Every event the engine emits, with its payload. */
export interface Events {
  /** At most one per job every 100 ms. */
  'job.progress': { jobId: string; kind: string } & JobProgress
  /** Exactly one per job: its result, or the error that ended it. */
  'job.finished': {
    jobId: string
    kind: string
    state: Exclude<JobState, 'running'>
    result?: unknown
    error?: WorkbenchErrorData
    seconds: number
  }
  /** A check of the database finished (in the background after start, or asked for). */
  'database.checked': DatabaseCheck
  /** The desktop shell's File > Import dialog picked these files (the web host never sends it). */
  'files.chosen': { files: FileRef[] }
}

export type EventName = keyof Events
export const eventNames: EventName[] = [
  'job.progress',
  'job.finished',
  'database.checked',
  'files.chosen',
]

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as string[]).includes(name)
}

export type EventListener<E extends EventName> = (payload: Events[E]) => void
