import type {
  EventName,
  Events,
  MethodInput,
  MethodName,
  MethodOutput,
  WorkbenchErrorData,
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
