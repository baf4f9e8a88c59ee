import { type CallResult, WorkbenchError, toErrorData } from '../../contract'
import type { HostAnswers, HostCapabilities, HostRequest } from './capabilities'

/**
 * How long the engine waits for each answer. A save dialog waits for a person, so it gets an hour;
 * printing a long report takes seconds, not minutes. A host that never answers (main busy, a
 * dialog left open overnight) ends in a clear error instead of a job that hangs for ever.
 */
export const HOST_TIMEOUTS_MS: Record<HostRequest['capability'], number> = {
  printToPdf: 120_000,
  saveFile: 60 * 60_000,
  notify: 10_000,
  openFile: 30_000,
}

export interface RemoteCapabilities {
  capabilities: HostCapabilities
  /** Hands the host's answer to the request waiting for it; answers to unknown ids are dropped. */
  receive(id: number, result: CallResult<unknown>): void
}

/**
 * The host's capabilities seen from an engine in another process (Electron's utility process):
 * each call becomes a `host` request with its own id, sent with `send`, and settles when `receive`
 * gets the answer of that id, or fails with `host-unavailable` when none comes in time or the
 * engine closes first.
 */
export function remoteCapabilities(
  send: (id: number, request: HostRequest) => void,
  timeouts: Record<HostRequest['capability'], number> = HOST_TIMEOUTS_MS,
): RemoteCapabilities {
  let nextId = 1
  let closed = false
  const pending = new Map<
    number,
    { settle: (result: CallResult<unknown>) => void; timer: NodeJS.Timeout }
  >()

  function request<C extends HostRequest['capability']>(
    req: HostRequest & { capability: C },
  ): Promise<HostAnswers[C]> {
    if (closed)
      return Promise.reject(
        new WorkbenchError(
          'host-unavailable',
          'The workbench is closing; try again after it restarts.',
        ),
      )
    const id = nextId++
    return new Promise<HostAnswers[C]>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(
          new WorkbenchError(
            'host-unavailable',
            `The app window did not answer a request to ${describe(req.capability)} within ${Math.round(timeouts[req.capability] / 1000)} s. Try again.`,
          ),
        )
      }, timeouts[req.capability])
      timer.unref()
      pending.set(id, {
        timer,
        settle: (result) => {
          clearTimeout(timer)
          pending.delete(id)
          if (!result.ok)
            reject(
              new WorkbenchError(result.error.code, result.error.message, result.error.details),
            )
          else {
            try {
              resolve(checkAnswer(req.capability, result.value) as HostAnswers[C])
            } catch (error) {
              reject(
                error instanceof WorkbenchError
                  ? error
                  : new WorkbenchError('internal', toErrorData(error).message),
              )
            }
          }
        },
      })
      try {
        send(id, req)
      } catch (error) {
        pending.get(id)?.settle({ ok: false, error: toErrorData(error) })
      }
    })
  }

  return {
    capabilities: {
      printToPdf: (html, options) => request({ capability: 'printToPdf', html, options }),
      saveFile: (file) => request({ capability: 'saveFile', file }),
      notify: (note) => request({ capability: 'notify', note }),
      openFile: (path) => request({ capability: 'openFile', path }),
      close() {
        closed = true
        for (const { settle } of [...pending.values()])
          settle({
            ok: false,
            error: {
              code: 'host-unavailable',
              message: 'The workbench closed before the app window answered.',
            },
          })
        return Promise.resolve()
      },
    },
    receive(id, result) {
      pending.get(id)?.settle(result)
    },
  }
}

function describe(capability: HostRequest['capability']): string {
  return {
    printToPdf: 'print a PDF',
    saveFile: 'save a file',
    notify: 'show a notification',
    openFile: 'open a file',
  }[capability]
}

/** The answer has the shape its request promises: main is another process, so it is checked. */
function checkAnswer(capability: HostRequest['capability'], value: unknown): unknown {
  const bad = () =>
    new WorkbenchError(
      'internal',
      `The app window answered a request to ${describe(capability)} with something unexpected.`,
    )
  if (capability === 'printToPdf') {
    if (value instanceof Uint8Array) return value
    if (value instanceof ArrayBuffer) return new Uint8Array(value)
    throw bad()
  }
  if (typeof value !== 'object' || value === null) throw bad()
  const v = value as Record<string, unknown>
  if (capability === 'saveFile') {
    if (typeof v.saved !== 'boolean') throw bad()
    return {
      saved: v.saved,
      ...(typeof v.path === 'string' ? { path: v.path } : {}),
      ...(typeof v.downloadId === 'string' ? { downloadId: v.downloadId } : {}),
    }
  }
  const flag = capability === 'notify' ? 'shown' : 'opened'
  if (typeof v[flag] !== 'boolean') throw bad()
  return { [flag]: v[flag] }
}
