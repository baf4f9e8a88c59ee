import type { CallResult, EventName, Events, WorkbenchErrorData } from '../contract'

/**
 * Messages from Electron main to the engine's utility process. `grant` lets the engine read a file
 * main's dialog picked or the user dropped (answered by a `result` holding its FileRef); only main
 * sends it, so the page cannot name a file itself.
 */
export type ToEngine =
  | { type: 'call'; id: number; method: string; input: unknown }
  | { type: 'grant'; id: number; path: string }
  | { type: 'shutdown' }

/** Messages from the engine's utility process to Electron main. */
export type FromEngine =
  | { type: 'ready' }
  | { type: 'fatal'; error: WorkbenchErrorData }
  | { type: 'result'; id: number; result: CallResult<unknown> }
  | { [E in EventName]: { type: 'event'; event: E; payload: Events[E] } }[EventName]
