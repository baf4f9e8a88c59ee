import { create } from 'zustand'
import type { FileRef, ImportPreview, ImportRecord } from '../../src-main/contract'
import { call } from '../api/client'
import { startJob } from './app-store'

export interface ImportItem {
  key: string
  file: FileRef
  state: 'uploading' | 'previewing' | 'ready' | 'error'
  preview?: ImportPreview
  error?: string
  /** column name to field ('' = not used) */
  mapping: Record<string, string>
  duplicate: 'skip' | 'import'
  /** set when the user overrides the separator guessed from the header */
  delimiter?: Delimiter
}

/** The job slot an import card follows its import in. */
export const importSlot = (key: string) => `imports.start:${key}`

export type Delimiter = ',' | ';' | '\t'

interface ImportState {
  items: ImportItem[]
  history: ImportRecord[]
  /** the import a link (from the activity timeline) asked to show in the history */
  focusedImport: number | null
  focusImport(importId: number | null): void
  addFiles(files: File[]): Promise<void>
  addRefs(refs: FileRef[]): Promise<void>
  setField(key: string, column: string, field: string): void
  setDuplicate(key: string, duplicate: 'skip' | 'import'): void
  setDelimiter(key: string, delimiter: Delimiter): Promise<void>
  start(key: string): Promise<void>
  dismiss(key: string): void
  refreshHistory(): Promise<void>
}

let counter = 0
const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

export const useImports = create<ImportState>((set, get) => {
  const update = (key: string, patch: Partial<ImportItem>) =>
    set((s) => ({ items: s.items.map((i) => (i.key === key ? { ...i, ...patch } : i)) }))

  const preview = async (key: string, file: FileRef, delimiter?: Delimiter) => {
    update(key, { state: 'previewing', delimiter })
    try {
      const p = await call('imports.preview', { file, delimiter })
      const mapping: Record<string, string> = {}
      for (const column of p.header) mapping[column] = ''
      for (const [field, column] of Object.entries(p.mapping))
        if (column !== null && mapping[column] === '') mapping[column] = field
      update(key, {
        state: 'ready',
        preview: p,
        mapping,
        duplicate: p.previousImports.length > 0 ? 'skip' : 'import',
      })
    } catch (e) {
      update(key, { state: 'error', error: message(e) })
    }
  }

  return {
    items: [],
    history: [],
    focusedImport: null,
    focusImport: (focusedImport) => set({ focusedImport }),
    async addFiles(files) {
      await Promise.all(
        files.map(async (f) => {
          const key = `file-${++counter}`
          // No handle until the host has taken the file (an upload in the browser).
          const placeholder: FileRef = { handle: '', name: f.name, size: f.size }
          set((s) => ({
            items: [
              ...s.items,
              { key, file: placeholder, state: 'uploading', mapping: {}, duplicate: 'import' },
            ],
          }))
          try {
            const ref = await window.workbench.fileRef(f)
            update(key, { file: ref })
            await preview(key, ref)
          } catch (e) {
            update(key, { state: 'error', error: message(e) })
          }
        }),
      )
    },
    async addRefs(refs) {
      await Promise.all(
        refs.map(async (ref) => {
          const key = `file-${++counter}`
          set((s) => ({
            items: [
              ...s.items,
              { key, file: ref, state: 'previewing', mapping: {}, duplicate: 'import' },
            ],
          }))
          await preview(key, ref)
        }),
      )
    },
    setField(key, column, field) {
      const item = get().items.find((i) => i.key === key)
      if (!item) return
      const mapping = { ...item.mapping }
      // a field maps from one column at a time
      if (field) for (const c of Object.keys(mapping)) if (mapping[c] === field) mapping[c] = ''
      mapping[column] = field
      update(key, { mapping })
    },
    setDuplicate(key, duplicate) {
      update(key, { duplicate })
    },
    async setDelimiter(key, delimiter) {
      const item = get().items.find((i) => i.key === key)
      if (item) await preview(key, item.file, delimiter)
    },
    async start(key) {
      const item = get().items.find((i) => i.key === key)
      if (!item) return
      try {
        await startJob(importSlot(key), 'imports.start', {
          file: item.file,
          delimiter: item.delimiter,
          mapping: item.mapping,
          duplicate: item.duplicate,
        })
        update(key, { error: undefined })
      } catch (e) {
        update(key, { error: message(e) })
      }
    },
    dismiss(key) {
      set((s) => ({ items: s.items.filter((i) => i.key !== key) }))
    },
    async refreshHistory() {
      set({ history: await call('imports.list', {}) })
    },
  }
})
