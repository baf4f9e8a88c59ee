import type { CallResult } from './errors'
import type { EventName, Events } from './events'
import type { MethodInput, MethodName, MethodOutput } from './methods'

/**
 * A file handed to the engine: an opaque handle the host granted for a dropped file, a dialog pick
 * or an upload (see `fileRefSchema`), with its name and size for display.
 */
export interface FileRef {
  handle: string
  name: string
  size: number
}

/**
 * What the page sees as `window.workbench`, given by the preload in Electron and by the bridge
 * script in the web host. The renderer does not know which one it talks to.
 */
export interface WorkbenchApi {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<CallResult<MethodOutput<M>>>
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
  fileRef(file: File): Promise<FileRef>
}
