import { create } from 'zustand'
import type { BatchSummary } from '../../src-main/contract'
import { call } from '../api/client'

interface PredictState {
  batches: BatchSummary[]
  /** the batch shown in the results table */
  current: BatchSummary | null
  /** the target whose models are offered; null until the screen picks its default */
  target: string | null
  /** the model version predictions use; null: the target's production model */
  model: string | null
  refresh(): Promise<void>
  open(batchId: number): Promise<void>
  /** another target: its production model is chosen again */
  setTarget(target: string): void
  setModel(version: string | null): void
}

export const usePredict = create<PredictState>((set) => ({
  batches: [],
  current: null,
  target: null,
  model: null,
  async refresh() {
    set({ batches: await call('predictions.batches', {}) })
  },
  async open(batchId) {
    set({ current: await call('predictions.get', { batchId }) })
  },
  setTarget: (target) => set({ target, model: null }),
  setModel: (model) => set({ model }),
}))
