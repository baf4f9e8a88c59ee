import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type TransferListItem, Worker } from 'node:worker_threads'
import { ERROR_CODES, type ErrorCode, WorkbenchError } from '../../contract'
import type { RunMessage, TaskName, WorkerMessage, WorkerTasks } from './tasks'

export interface RunOptions<P = unknown> {
  signal?: AbortSignal
  onProgress?: (progress: P) => void
  /** objects in the input to move to the worker rather than copy (MessagePorts must be) */
  transfer?: TransferListItem[]
}

interface Slot {
  worker: Worker
  busy: boolean
}

interface Pending {
  message: RunMessage
  options: RunOptions
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
  slot?: Slot
}

/**
 * A fixed set of worker threads for CPU-heavy tasks, one per core by default, so the engine's own
 * thread stays free to answer calls. Tasks queue when every worker is busy. Cancelling a running
 * task terminates its worker (a synchronous WebAssembly loop cannot be interrupted any other way)
 * and a fresh one takes its place.
 */
export class WorkerPool {
  readonly size: number
  private readonly workerPath: string
  private readonly slots: Slot[] = []
  private readonly queue: Pending[] = []
  private readonly running = new Map<number, Pending>()
  private nextTaskId = 1
  private closed = false

  constructor(workerPath: string, size = availableParallelism()) {
    this.workerPath = workerPath
    this.size = Math.max(1, size)
  }

  run<T extends TaskName>(
    task: T,
    input: WorkerTasks[T]['input'],
    options: RunOptions<WorkerTasks[T]['progress']> = {},
  ): Promise<WorkerTasks[T]['output']> {
    if (this.closed)
      return Promise.reject(new WorkbenchError('internal', 'The worker pool is closed.'))
    if (options.signal?.aborted) return Promise.reject(cancelled())
    return new Promise((resolve, reject) => {
      // The abort listener goes when the task settles: a job that runs hundreds of tasks on one
      // signal would otherwise pile up listeners (and keep every finished task alive).
      const onAbort = () => this.abort(pending)
      const settle = () => options.signal?.removeEventListener('abort', onAbort)
      const pending: Pending = {
        message: { type: 'run', taskId: this.nextTaskId++, task, input },
        options: options as RunOptions,
        resolve: (value) => {
          settle()
          resolve(value as WorkerTasks[T]['output'])
        },
        reject: (error) => {
          settle()
          reject(error)
        },
      }
      options.signal?.addEventListener('abort', onAbort, { once: true })
      this.queue.push(pending)
      this.dispatch()
    })
  }

  async close(): Promise<void> {
    this.closed = true
    for (const p of this.queue.splice(0)) p.reject(cancelled())
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()))
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => !s.busy) ?? this.spawn()
      if (!slot) return
      const pending = this.queue.shift() as Pending
      slot.busy = true
      pending.slot = slot
      this.running.set(pending.message.taskId, pending)
      slot.worker.postMessage(pending.message, pending.options.transfer)
    }
  }

  private spawn(): Slot | undefined {
    if (this.slots.length >= this.size) return undefined
    const worker = startWorker(this.workerPath)
    const slot: Slot = { worker, busy: false }
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message))
    worker.on('error', (error) => this.onWorkerExit(slot, error))
    worker.on('exit', (code) =>
      this.onWorkerExit(slot, new Error(`worker stopped with exit code ${code}`)),
    )
    this.slots.push(slot)
    return slot
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    const pending = this.running.get(message.taskId)
    if (!pending) return
    if (message.type === 'progress') {
      pending.options.onProgress?.(message.progress)
      return
    }
    this.running.delete(message.taskId)
    slot.busy = false
    if (message.type === 'result') pending.resolve(message.value)
    else
      pending.reject(
        new WorkbenchError(
          isErrorCode(message.code) ? message.code : 'internal',
          message.message,
          message.details,
        ),
      )
    this.dispatch()
  }

  /** A worker that died (or was terminated) fails its task and leaves the pool. */
  private onWorkerExit(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot)
    if (index < 0) return
    this.slots.splice(index, 1)
    for (const [taskId, pending] of this.running) {
      if (pending.slot !== slot) continue
      this.running.delete(taskId)
      pending.reject(new WorkbenchError('internal', `A worker thread failed: ${error.message}`))
    }
    if (!this.closed) this.dispatch()
  }

  private abort(pending: Pending): void {
    const queued = this.queue.indexOf(pending)
    if (queued >= 0) {
      this.queue.splice(queued, 1)
      pending.reject(cancelled())
      return
    }
    if (!this.running.has(pending.message.taskId) || !pending.slot) return
    this.running.delete(pending.message.taskId)
    const slot = pending.slot
    this.slots.splice(this.slots.indexOf(slot), 1)
    // The task fails once its thread has stopped: whoever cleans up after it (an import removing
    // its staging database and its copy of the file) must not race the thread still writing them.
    void slot.worker.terminate().then(
      () => pending.reject(cancelled()),
      () => pending.reject(cancelled()),
    )
    this.dispatch()
  }
}

/**
 * Built apps run the bundled worker.js. Tests run the TypeScript source, which Node cannot load by
 * itself: a tiny bootstrap loads it through tsx (a dev dependency, never reached in a built app).
 */
function startWorker(path: string): Worker {
  if (!path.endsWith('.ts')) return new Worker(path)
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
  const tsxApi = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(pathToFileURL(path).href)}, ${JSON.stringify(pathToFileURL(path).href)}))`
  return new Worker(bootstrap, { eval: true })
}

function cancelled(): WorkbenchError {
  return new WorkbenchError('cancelled', 'The job was cancelled; nothing it started was kept.')
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)
}
