import { fileURLToPath } from 'node:url'
import { type CallResult, type WorkbenchErrorData, toErrorData } from '../contract'
import { type Engine, createEngine } from './engine'
import type { FromEngine, ToEngine } from './utility-protocol'
import { remoteCapabilities } from './host/remote-capabilities'
import { seedSampleIfEmpty } from './sample/sample'

// The engine as Electron's utility process. It talks to main through `process.parentPort`;
// Electron adds that property, so it is described here instead of importing electron's types.
interface ParentPort {
  on(event: 'message', listener: (e: { data: ToEngine }) => void): void
  postMessage(message: FromEngine): void
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
if (!parentPort) throw new Error('utility-entry must run as an Electron utility process')
const port: ParentPort = parentPort

const argument = (name: string) => {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const dataDir = argument('--data-dir')
const appRoot = argument('--app-root')

// Printing, saving, notifying and opening files are main's: each is a `host` request answered by
// a `host-result` of the same id.
const host = remoteCapabilities((id, request) => port.postMessage({ type: 'host', id, request }))

let engine: Engine | null = null
let startupError: WorkbenchErrorData | null = null
try {
  if (!dataDir) throw new Error('the engine was started without --data-dir')
  engine = createEngine({
    dataDir,
    host: 'electron',
    exclusive: true,
    maintenance: true,
    workerPath: fileURLToPath(new URL('./worker.js', import.meta.url)),
    capabilities: host.capabilities,
  })
  engine.subscribe((event, payload) =>
    port.postMessage({ type: 'event', event, payload } as FromEngine),
  )
  // First launch: the bundled sample and baseline model, so Predict works at once.
  const ready = appRoot ? seedSampleIfEmpty(engine.context, appRoot) : Promise.resolve(false)
  ready.then(
    () => port.postMessage({ type: 'ready' }),
    (error: unknown) => {
      console.error(`The sample data could not be added: ${String(error)}`)
      port.postMessage({ type: 'ready' })
    },
  )
} catch (error) {
  startupError = toErrorData(error)
  port.postMessage({ type: 'fatal', error: startupError })
}

port.on('message', ({ data }) => {
  if (data.type === 'shutdown') {
    void (engine?.close() ?? Promise.resolve()).finally(() => process.exit(0))
    return
  }
  if (data.type === 'host-result') {
    host.receive(data.id, data.result)
    return
  }
  const running = engine
  if (!running) {
    port.postMessage({
      type: 'result',
      id: data.id,
      result: {
        ok: false,
        error: startupError ?? { code: 'internal', message: 'The engine is not running.' },
      },
    })
    return
  }
  const answer: Promise<CallResult<unknown>> =
    data.type === 'grant'
      ? running.grantFile(data.path).then(
          (value) => ({ ok: true, value }),
          (error: unknown) => ({ ok: false, error: toErrorData(error) }),
        )
      : running.call(data.method, data.input)
  void answer.then((result) => port.postMessage({ type: 'result', id: data.id, result }))
})
