import type { WorkbenchApi } from '../src-main/contract'

declare global {
  interface Window {
    /** Given by the preload (Electron) or the bridge script (web host). */
    workbench: WorkbenchApi
  }
}
