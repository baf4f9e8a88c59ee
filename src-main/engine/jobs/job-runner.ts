import { randomUUID } from 'node:crypto'
import {
  type Events,
  type JobCancelResult,
  type JobFinished,
  type JobInfo,
  type JobMethodName,
  type JobProgress,
  type JobResult,
  type JobStarted,
  WorkbenchError,
  isJobFinishedOf,
  toErrorData,
} from '../../contract'
import { throttle } from './throttle'

export const PROGRESS_INTERVAL_MS = 100

/** What a job's body gets: a way to report progress and a signal that says it was cancelled. */
export interface JobContext {
  readonly jobId: string
  readonly signal: AbortSignal
  progress(progress: JobProgress): void
  /** Throws a `cancelled` error if the job was cancelled; call it between units of work. */
  throwIfCancelled(): void
  /**
   * Marks the point of no return, just before the job commits its result (an import's final
   * transaction, a model's registration): throws `cancelled` if the job was cancelled before it;
   * from then on a cancel is refused ("already finished") and the job ends with its result. A
   * cancel that aborted a commit already under way would report "cancelled" for work that was
   * kept, or cut the commit in two.
   */
  pointOfNoReturn(): void
}

export type JobBody<T> = (ctx: JobContext) => Promise<T>

type Emit = <E extends keyof Events>(event: E, payload: Events[E]) => void

interface JobRecord {
  info: JobInfo
  controller: AbortController
  done: Promise<void>
  /** past the point of no return: cancels are refused */
  committing: boolean
  /** the job.finished event, once sent */
  finished?: JobFinished
}

/**
 * Runs long work as jobs: the caller gets an id at once, progress is throttled to one event per
 * 100 ms, cancel aborts the job's signal (the body rolls its work back), and exactly one
 * `job.finished` event carries the result or the error.
 */
export class JobRunner {
  private readonly jobs = new Map<string, JobRecord>()
  private readonly emit: Emit

  constructor(emit: Emit) {
    this.emit = emit
  }

  /**
   * Starts `kind`'s job; the body must give that method's declared result type, so what
   * `job.finished` carries is what the contract says.
   */
  start<K extends JobMethodName>(kind: K, body: JobBody<JobResult<K>>): JobStarted {
    const jobId = randomUUID()
    const controller = new AbortController()
    const startedAt = Date.now()
    const info: JobInfo = {
      id: jobId,
      kind,
      state: 'running',
      progress: { phase: 'starting', fraction: 0 },
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: null,
      error: null,
    }
    const progressEvents = throttle<JobProgress>(PROGRESS_INTERVAL_MS, (p) =>
      this.emit('job.progress', { jobId, kind, ...p }),
    )
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress: (p) => {
        if (controller.signal.aborted) return
        info.progress = p
        progressEvents.push(p)
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw cancelledError()
      },
      pointOfNoReturn: () => {
        if (controller.signal.aborted) throw cancelledError()
        record.committing = true
      },
    }

    const finish = (
      state: 'succeeded' | 'failed' | 'cancelled',
      result?: JobResult<K>,
      error?: unknown,
    ) => {
      progressEvents.cancel()
      info.state = state
      info.finishedAt = new Date().toISOString()
      const seconds = (Date.now() - startedAt) / 1000
      // `as`: K is one kind, but TypeScript cannot pick its member of the union for a generic K
      let payload: JobFinished
      if (state === 'succeeded') {
        payload = { jobId, kind, state, seconds, result } as JobFinished
      } else {
        info.error = toErrorData(error ?? cancelledError())
        payload = { jobId, kind, state, seconds, error: info.error } as JobFinished
      }
      record.finished = payload
      this.emit('job.finished', payload)
    }

    // The body starts on a later tick so the caller always has the id before any event.
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => body(ctx))
      .then(
        (result) => (controller.signal.aborted ? finish('cancelled') : finish('succeeded', result)),
        (error: unknown) =>
          controller.signal.aborted ? finish('cancelled') : finish('failed', undefined, error),
      )
    const record: JobRecord = { info, controller, done, committing: false }
    this.jobs.set(jobId, record)
    return { jobId }
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => structuredClone(j.info)).reverse()
  }

  /**
   * Asks a running job to stop. Refused once the job has finished or passed its point of no
   * return: the caller is told so, and the job ends with its result.
   */
  cancel(jobId: string): JobCancelResult {
    const job = this.jobs.get(jobId)
    if (!job) throw new WorkbenchError('job-not-found', `There is no job with id ${jobId}.`)
    if (job.info.state !== 'running' || job.committing)
      return { cancelled: false, reason: 'already finished' }
    job.controller.abort()
    return { cancelled: true }
  }

  /** Waits until a job has finished (used by the CLI and tests); `result` is set when it succeeded. */
  async wait(jobId: string): Promise<{ info: JobInfo; result: unknown }> {
    const job = this.jobs.get(jobId)
    if (!job) throw new WorkbenchError('job-not-found', `There is no job with id ${jobId}.`)
    await job.done
    const finished = job.finished
    return {
      info: structuredClone(job.info),
      result: finished?.state === 'succeeded' ? finished.result : undefined,
    }
  }

  /**
   * Waits until a job of `kind` has finished; `result` is its method's declared result when it
   * succeeded. A job of another kind is refused rather than its result mistyped.
   */
  async waitFor<K extends JobMethodName>(
    kind: K,
    jobId: string,
  ): Promise<{ info: JobInfo; result: JobResult<K> | undefined }> {
    const job = this.jobs.get(jobId)
    if (!job) throw new WorkbenchError('job-not-found', `There is no job with id ${jobId}.`)
    if (job.info.kind !== kind)
      throw new WorkbenchError(
        'invalid-input',
        `Job ${jobId} is a ${job.info.kind} job, not a ${kind} job.`,
      )
    await job.done
    const finished = job.finished
    return {
      info: structuredClone(job.info),
      result:
        finished && isJobFinishedOf(finished, kind) && finished.state === 'succeeded'
          ? finished.result
          : undefined,
    }
  }

  /**
   * Cancels everything still running and waits for it to stop (engine shutdown); a job that is
   * committing is let finish.
   */
  async shutdown(): Promise<void> {
    for (const job of this.jobs.values()) if (!job.committing) job.controller.abort()
    await Promise.all([...this.jobs.values()].map((j) => j.done))
  }
}

function cancelledError(): WorkbenchError {
  return new WorkbenchError('cancelled', 'The job was cancelled; nothing it started was kept.')
}
