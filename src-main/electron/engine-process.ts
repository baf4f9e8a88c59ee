import { type UtilityProcess, utilityProcess } from 'electron'
import {
  type CallResult,
  type EventName,
  type Events,
  type FileRef,
  toErrorData,
} from '../contract'
import { type HostCapabilities, answerHostRequest, hostRequest } from '../engine/host/capabilities'
import type { FromEngine, ToEngine } from '../engine/utility-protocol'

type EventSink = <E extends EventName>(event: E, payload: Events[E]) => void

/**
 * Starts the engine as a utility process (plain Node, no Electron API) and relays calls to it.
 * If the engine dies, pending calls fail with a message instead of hanging, and the next call
 * starts a fresh engine.
 */
export function startEngineProcess(
  enginePath: string,
  dataDir: string,
  appRoot: string,
  onEvent: EventSink,
  capabilities: HostCapabilities,
) {
  let child: UtilityProcess | null = null
  let nextId = 1
  const pending = new Map<number, (result: CallResult<unknown>) => void>()

  const spawn = (): UtilityProcess => {
    const proc = utilityProcess.fork(enginePath, ['--data-dir', dataDir, '--app-root', appRoot], {
      serviceName: 'Assay Workbench engine',
    })
    proc.on('message', (message: FromEngine) => {
      if (message.type === 'result') {
        pending.get(message.id)?.(message.result)
        pending.delete(message.id)
      } else if (message.type === 'event') {
        onEvent(message.event, message.payload as never)
      } else if (message.type === 'host') {
        void answerHost(proc, message.id, message.request)
      } else if (message.type === 'fatal') {
        console.error(`Engine could not start: ${message.error.message}`)
      }
    })
    proc.on('exit', (code) => {
      child = null
      for (const resolve of pending.values()) {
        resolve({
          ok: false,
          error: {
            code: 'internal',
            message: `The engine stopped unexpectedly (exit code ${code}). Try again.`,
          },
        })
      }
      pending.clear()
    })
    return proc
  }

  // The engine asks main for what only a host can do. The request is checked again here: main
  // holds the dialogs and the system viewer, and answers only well-formed requests.
  const answerHost = async (proc: UtilityProcess, id: unknown, request: unknown) => {
    if (typeof id !== 'number') return
    const parsed = hostRequest.safeParse(request)
    let result: CallResult<unknown>
    if (!parsed.success)
      result = {
        ok: false,
        error: { code: 'invalid-input', message: 'The engine sent a malformed host request.' },
      }
    else {
      try {
        result = { ok: true, value: await answerHostRequest(capabilities, parsed.data) }
      } catch (error) {
        result = { ok: false, error: toErrorData(error) }
      }
    }
    // An engine that stopped meanwhile has nobody waiting for the answer.
    if (child === proc) proc.postMessage({ type: 'host-result', id, result } satisfies ToEngine)
  }

  const send = (message: ToEngine & { id: number }): Promise<CallResult<unknown>> => {
    child ??= spawn()
    const proc = child
    return new Promise((resolve) => {
      pending.set(message.id, resolve)
      proc.postMessage(message)
    })
  }

  return {
    call(method: string, input: unknown): Promise<CallResult<unknown>> {
      return send({ type: 'call', id: nextId++, method, input })
    },
    /** Lets the engine read a file a dialog picked or the user dropped; answers its FileRef. */
    grant(path: string): Promise<CallResult<FileRef>> {
      return send({ type: 'grant', id: nextId++, path }) as Promise<CallResult<FileRef>>
    },
    stop(): void {
      child?.postMessage({ type: 'shutdown' } satisfies ToEngine)
    },
  }
}
