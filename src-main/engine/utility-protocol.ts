import type { CallResult, EventName, Events, WorkbenchErrorData } from '../contract'
import type { HostRequest } from './host/capabilities'

/**
 * Messages from Electron main to the engine's utility process. `grant` lets the engine read a file
 * main's dialog picked or the user dropped (answered by a `result` holding its FileRef); only main
 * sends it, so the page cannot name a file itself. `host-result` answers the engine's `host`
 * request with the same id.
 */
export type ToEngine =
  | { type: 'call'; id: number; method: string; input: unknown }
  | { type: 'grant'; id: number; path: string }
  | { type: 'host-result'; id: number; result: CallResult<unknown> }
  | { type: 'shutdown' }

/**
 * Messages from the engine's utility process to Electron main. `host` asks main for one of the
 * host's capabilities (print to PDF, save, notify, open); main answers with a `host-result` of the
 * same id. The ids are the engine's own, counted apart from main's call ids.
 */
export type FromEngine =
  | { type: 'ready' }
  | { type: 'fatal'; error: WorkbenchErrorData }
  | { type: 'result'; id: number; result: CallResult<unknown> }
  | { type: 'host'; id: number; request: HostRequest }
  | { [E in EventName]: { type: 'event'; event: E; payload: Events[E] } }[EventName]
