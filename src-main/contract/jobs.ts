import { z } from 'zod'
import type { WorkbenchErrorData } from './errors'
import type { JobMethodName } from './methods'

export const jobStates = ['running', 'succeeded', 'failed', 'cancelled'] as const
export type JobState = (typeof jobStates)[number]

/** How far a job has come. `fraction` is 0..1; rows and bytes are given where they mean something. */
export const jobProgressSchema = z.object({
  phase: z.string(),
  fraction: z.number().min(0).max(1),
  rows: z.number().int().nonnegative().optional(),
  bytes: z.number().int().nonnegative().optional(),
  message: z.string().optional(),
})
export type JobProgress = z.infer<typeof jobProgressSchema>

export interface JobInfo {
  id: string
  /** the method that started the job */
  kind: JobMethodName
  state: JobState
  progress: JobProgress
  startedAt: string
  finishedAt: string | null
  error: WorkbenchErrorData | null
}

export interface JobStarted {
  jobId: string
}

/**
 * What `jobs.cancel` answers. `cancelled: true`: the job stops and everything it did is rolled
 * back. `cancelled: false` with `reason: 'already finished'`: the job had ended, or had reached
 * its point of no return (an import committing its rows); it finishes with its result.
 */
export interface JobCancelResult {
  cancelled: boolean
  reason?: 'already finished'
}
