import type { CallResult, EventName, Events, WorkbenchErrorData } from '../contract'

/** Messages from Electron main to the engine's utility process. */
export type ToEngine =
  { type: 'call'; id: number; method: string; input: unknown } | { type: 'shutdown' }

/** Messages from the engine's utility process to Electron main. */
export type FromEngine =
  | { type: 'ready' }
  | { type: 'fatal'; error: WorkbenchErrorData }
  | { type: 'result'; id: number; result: CallResult<unknown> }
  | { [E in EventName]: { type: 'event'; event: E; payload: Events[E] } }[EventName]
