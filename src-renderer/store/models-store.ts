import { create } from 'zustand'
import type {
  FeatureSet,
  Learner,
  ModelDetail,
  ModelSummary,
  TargetSummary,
} from '../../src-main/contract'
import { call } from '../api/client'

/**
 * The train form's choices. They live here, not in the form, so they survive a visit to another
 * screen: the form is unmounted then, and a chosen feature set fell back to Core 4 on return.
 */
export interface TrainChoices {
  /** '' = the target with the most usable activities */
  target: string
  types: string[]
  featureSet: FeatureSet
  learner: Learner | 'auto'
  folds: number
  budget: number
  seed: number
}

const DEFAULT_CHOICES: TrainChoices = {
  target: '',
  types: ['IC50'],
  featureSet: 'core4',
  learner: 'auto',
  folds: 5,
  budget: 60,
  seed: 1,
}

interface ModelsState {
  trainChoices: TrainChoices
  setTrainChoices(patch: Partial<TrainChoices>): void
  targets: TargetSummary[] | null
  models: ModelSummary[]
  selected: ModelDetail | null
  error: string | null
  refresh(): Promise<void>
  select(version: string | null): Promise<void>
  setError(message: string | null): void
}

export const useModels = create<ModelsState>((set, get) => ({
  trainChoices: DEFAULT_CHOICES,
  setTrainChoices: (patch) => set((s) => ({ trainChoices: { ...s.trainChoices, ...patch } })),
  targets: null,
  models: [],
  selected: null,
  error: null,
  async refresh() {
    try {
      const [targets, models] = await Promise.all([
        call('models.targets', {}),
        call('models.list', {}),
      ])
      set({ targets, models })
      const selected = get().selected
      if (selected && !models.some((m) => m.version === selected.version)) set({ selected: null })
      else if (selected) await get().select(selected.version)
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) })
    }
  },
  async select(version) {
    if (!version) return set({ selected: null })
    try {
      set({ selected: await call('models.get', { version }) })
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) })
    }
  },
  setError: (error) => set({ error }),
}))
