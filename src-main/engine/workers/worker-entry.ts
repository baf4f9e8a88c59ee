import { parentPort } from 'node:worker_threads'
import { WorkbenchError } from '../../contract'
import { taskHandlers } from './task-handlers'
import type { RunMessage, TaskName, WorkerMessage } from './tasks'

// A worker thread: runs one task at a time for the pool and reports progress and the result.
const port = parentPort
if (!port) throw new Error('worker-entry must run in a worker thread')

const send = (message: WorkerMessage) => port.postMessage(message)

port.on('message', (message: RunMessage) => {
  const handler = taskHandlers[message.task as TaskName] as (
    input: unknown,
    progress: (p: unknown) => void,
  ) => Promise<unknown>
  if (!handler) {
    send({ type: 'error', taskId: message.taskId, message: `Unknown worker task ${message.task}` })
    return
  }
  // A handler that throws before its first await fails its task, not the whole thread.
  Promise.resolve()
    .then(() =>
      handler(message.input, (progress) =>
        send({ type: 'progress', taskId: message.taskId, progress }),
      ),
    )
    .then((value) => send({ type: 'result', taskId: message.taskId, value }))
    .catch((error: unknown) =>
      send({
        type: 'error',
        taskId: message.taskId,
        message: error instanceof Error ? error.message : String(error),
        // WorkbenchErrors keep their code across the thread boundary
        code: error instanceof WorkbenchError ? error.code : undefined,
        details: error instanceof WorkbenchError ? error.details : undefined,
      }),
    )
})
