import { contextBridge, ipcRenderer, webUtils } from 'electron'
import {
  type CallResult,
  type EventName,
  type FileRef,
  type WorkbenchApi,
  isEventName,
  isMethodName,
} from '../src-main/contract'

// Gives the page exactly `window.workbench = { call, on, fileRef, download }`, restricted to the
// contract's names. The page never sees ipcRenderer.

const listeners = new Map<EventName, Set<(payload: unknown) => void>>()

ipcRenderer.on('workbench:event', (_event, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return
  for (const listener of listeners.get(name) ?? []) listener(payload)
})

const api: WorkbenchApi = {
  call(method, input) {
    if (!isMethodName(method)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown-method', message: `No method named ${String(method)}.` },
      })
    }
    return ipcRenderer.invoke('workbench:call', method, input)
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`No event named ${String(event)}`)
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set)
    const l = listener as (payload: unknown) => void
    set.add(l)
    return () => set.delete(l)
  },
  async fileRef(file: File): Promise<FileRef> {
    // In Electron a dropped or picked file is read in place. Main asks the engine for a handle to
    // its path; the page only ever holds the handle. getPathForFile is empty for a File the page
    // built itself, so a page cannot make up a path to read.
    const path = webUtils.getPathForFile(file)
    if (!path)
      throw new Error('This file has no path on disk; save it first, then drop the saved file.')
    const granted = (await ipcRenderer.invoke('workbench:grant-file', path)) as CallResult<FileRef>
    if (!granted.ok)
      throw Object.assign(new Error(granted.error.message), { code: granted.error.code })
    return granted.value
  },
  download() {
    // Main saves through the save dialog and hands the page no download ids.
  },
}

contextBridge.exposeInMainWorld('workbench', api)
