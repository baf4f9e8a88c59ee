import { create } from 'zustand'

interface CompoundPanelState {
  /** the compound whose page is open, over whichever screen opened it */
  compoundId: number | null
  open(compoundId: number): void
  close(): void
}

export const useCompoundPanel = create<CompoundPanelState>((set) => ({
  compoundId: null,
  open: (compoundId) => set({ compoundId }),
  close: () => set({ compoundId: null }),
}))
