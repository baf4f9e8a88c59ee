import {
  type EventName,
  type Events,
  type JobFinished,
  type JobMethodName,
  type JobProgress,
  type JobResult,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type WorkbenchErrorData,
  isJobFinishedOf,
} from '../../src-main/contract'

/** A failed call, carrying the engine's error code and its message for the user. */
export class CallError extends Error {
  readonly code: WorkbenchErrorData['code']
  readonly details: unknown

  constructor(error: WorkbenchErrorData) {
    super(error.message)
    this.code = error.code
    this.details = error.details
  }
}

/** Calls an engine method; resolves with its output or rejects with a {@link CallError}. */
export async function call<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const result = await window.workbench.call(method, input)
  if (!result.ok) throw new CallError(result.error)
  return result.value
}

export function on<E extends EventName>(
  event: E,
  listener: (payload: Events[E]) => void,
): () => void {
  return window.workbench.on(event, listener)
}

/**
 * Starts `method`'s job and resolves with its declared result when it succeeds; rejects with the
 * job's error (code `cancelled` when it was cancelled). Listens before it starts the job, so a job
 * that ends before the call's answer arrives is not missed.
 */
export async function runJob<K extends JobMethodName>(
  method: K,
  input: MethodInput<K>,
  onProgress?: (progress: JobProgress) => void,
): Promise<JobResult<K>> {
  const early: JobFinished[] = []
  let jobId: string | null = null
  let settle: ((f: JobFinished) => void) | null = null
  const offFinished = on('job.finished', (f) => {
    if (jobId === null) early.push(f)
    else if (f.jobId === jobId) settle?.(f)
  })
  const offProgress = on('job.progress', ({ jobId: id, kind: _kind, ...progress }) => {
    if (id === jobId) onProgress?.(progress)
  })
  try {
    const started = await call<JobMethodName>(method, input)
    jobId = started.jobId
    const finished = await new Promise<JobFinished>((resolve) => {
      settle = resolve
      const done = early.find((f) => f.jobId === started.jobId)
      if (done) resolve(done)
    })
    if (finished.state !== 'succeeded') throw new CallError(finished.error)
    if (!isJobFinishedOf(finished, method))
      throw new CallError({
        code: 'internal',
        message: `Job ${finished.jobId} is a ${finished.kind} job, not ${method}.`,
      })
    return finished.result
  } finally {
    offFinished()
    offProgress()
  }
}

/**
 * Has the browser save a file the engine kept for it under a one-time id (the web host). The
 * desktop app saves through its own dialog and hands out no ids, so this is never reached there.
 */
export function download(downloadId: string): void {
  window.workbench.download(downloadId)
}
