import { create } from 'zustand'
import type { BatchSummary } from '../../src-main/contract'
import { call } from '../api/client'

interface PredictState {
  batches: BatchSummary[]
  /** the batch shown in the results table */
  current: BatchSummary | null
  /** the batch job this screen started, kept while the user visits other screens */
  batchJobId: string | null
  refresh(): Promise<void>
  open(batchId: number): Promise<void>
  setBatchJob(id: string | null): void
}

export const usePredict = create<PredictState>((set) => ({
  batches: [],
  current: null,
  batchJobId: null,
  async refresh() {
    set({ batches: await call('predictions.batches', {}) })
  },
  async open(batchId) {
    set({ current: await call('predictions.get', { batchId }) })
  },
  setBatchJob: (batchJobId) => set({ batchJobId }),
}))
