import { useCallback } from 'react'
import type { DataTable, JobMethodName, MethodInput } from '../../src-main/contract'
import { call } from '../api/client'
import { type JobView, isJobOf, startJob, useApp } from './app-store'

export interface FollowedJob<K extends JobMethodName> {
  /** the job this slot follows, with its progress, and its typed result once it succeeded */
  job: JobView<K> | undefined
  running: boolean
  /** Starts a job and follows it here; rejects with the engine's error when it cannot start. */
  start<M extends K>(method: M, input: MethodInput<M>): Promise<string>
  /** Asks the followed job to stop. */
  cancel(): Promise<void>
}

/**
 * The one way a screen starts and follows a job: start, progress, cancel and result. `slot` names
 * the place that follows it (one per train form, batch panel, import card...); the job stays
 * followed while the user visits other screens. `kinds` are the methods the slot starts, and type
 * the job's result.
 */
export function useJob<K extends JobMethodName>(
  kinds: K | readonly K[],
  slot: string = Array.isArray(kinds) ? kinds.join('|') : (kinds as string),
): FollowedJob<K> {
  const list: readonly K[] = Array.isArray(kinds) ? kinds : [kinds as K]
  const stored = useApp((s) => {
    const id = s.followed[slot]
    return id ? s.jobs[id] : undefined
  })
  const job = stored && isJobOf(stored, list) ? stored : undefined
  const jobId = job?.id
  const start = useCallback(
    <M extends K>(method: M, input: MethodInput<M>) => startJob(slot, method, input),
    [slot],
  )
  const cancel = useCallback(async () => {
    if (jobId) await call('jobs.cancel', { jobId })
  }, [jobId])
  return { job, running: job?.state === 'running', start, cancel }
}

/**
 * A number that moves whenever the engine says one of `tables` changed (`data.changed`): put it
 * in an effect's dependencies to read those tables again.
 */
export function useDataVersion(...tables: DataTable[]): number {
  return useApp((s) => tables.reduce((sum, t) => sum + s.dataVersions[t], 0))
}
