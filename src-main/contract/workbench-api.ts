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
  /**
   * Starts the browser's download of a file the engine saved for it (a `downloadId` from a save
   * in the web host). The desktop app saves through its own dialog and never hands out a
   * download id, so there this does nothing.
   */
  download(downloadId: string): void
}
