import { create } from 'zustand'
import { useApp } from './app-store'

interface DriftState {
  /** the model whose checks the timeline shows; null until the screen picks its default */
  model: string | null
  /** the check shown on its own page; null shows the timeline */
  openRunId: number | null
  setModel(model: string): void
  /** Shows a check's page (and its model's timeline behind it). */
  open(driftRunId: number, model?: string): void
  close(): void
}

/** The Drift screen's choices, kept here so a link from an import or a batch can open a check. */
export const useDrift = create<DriftState>((set) => ({
  model: null,
  openRunId: null,
  setModel: (model) => set({ model, openRunId: null }),
  open: (openRunId, model) => set((s) => ({ openRunId, model: model ?? s.model })),
  close: () => set({ openRunId: null }),
}))

/** Opens a check on the Drift screen from anywhere in the app. */
export function openDriftCheck(driftRunId: number, model: string): void {
  useDrift.getState().open(driftRunId, model)
  useApp.getState().go('drift')
}
