import { z } from 'zod'
import { fileRefSchema } from './imports'

/**
 * Drift checks: does the data a model now meets still look like the rows it learned from, and
 * does it still predict well? Statistics follow Evidently's defaults (DESIGN.md section 7); every
 * check is stored and never changed afterwards.
 */

export const driftMethods = [
  'ks',
  'chi-square',
  'z',
  'wasserstein',
  'jensen-shannon',
  'psi',
] as const
export type DriftMethodName = (typeof driftMethods)[number]

const versionName = z
  .string()
  .trim()
  .regex(/^v\d{1,9}$/, 'a model version like v3')
const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date())

/** What a check compares with the model's training rows. */
export const driftSourceSchema = z.discriminatedUnion('kind', [
  /** the compounds one import brought (measured values of the model's target included) */
  z.object({ kind: z.literal('import'), importId: rowId }).strict(),
  /** the rows of one prediction batch */
  z.object({ kind: z.literal('batch'), batchId: rowId }).strict(),
  /** every prediction (single and batch) made in a time window; `to` defaults to now */
  z.object({ kind: z.literal('window'), from: isoDate, to: isoDate.optional() }).strict(),
  /** the compounds imported since the model was trained */
  z.object({ kind: z.literal('since-training') }).strict(),
  /** a file (any the importer reads); nothing of it is imported */
  z
    .object({
      kind: z.literal('file'),
      file: fileRefSchema,
      mapping: z.record(z.string().min(1).max(500), z.string().max(100)).optional(),
    })
    .strict(),
])
export type DriftSourceInput = z.infer<typeof driftSourceSchema>

/** How a stored check describes what it compared (the file itself is not kept). */
export type DriftSource =
  | { kind: 'import'; importId: number; label: string }
  | { kind: 'batch'; batchId: number; label: string }
  | { kind: 'window'; from: string; to: string; label: string }
  | { kind: 'since-training'; since: string; label: string }
  | { kind: 'file'; fileName: string; sha256: string; label: string }
  | { kind: 'simulated'; shifts: SimulationShift[]; rows: number; seed: number; label: string }

/** What started a check. */
export const driftTriggers = ['manual', 'import', 'batch', 'simulation', 'cli', 'watch'] as const
export type DriftTrigger = (typeof driftTriggers)[number]

/** A user's choice of test and threshold for one feature (either may be left to the default). */
export const featureDriftSettingSchema = z
  .object({
    method: z.enum(driftMethods).optional(),
    threshold: z.number().finite().min(0).max(1e6).optional(),
  })
  .strict()

/** Per-model drift settings: overrides per feature, and the share of drifted features that makes a dataset drift. */
export const driftSettingsSchema = z
  .object({
    features: z.record(z.string().min(1).max(200), featureDriftSettingSchema),
    /** the dataset has drifted when at least this share of its features has (Evidently: 0.5) */
    datasetShare: z.number().gt(0).lte(1),
  })
  .strict()
export type DriftSettings = z.infer<typeof driftSettingsSchema>

export const driftRunInput = z.object({ model: versionName, source: driftSourceSchema }).strict()
export const driftGetInput = z.object({ driftRunId: rowId }).strict()
export const driftHistoryInput = z
  .object({
    /** one model version's checks (a deleted model's too) */
    model: versionName.optional(),
    /** checks of one import's compounds, or of one batch (what the import summary and batch view show) */
    importId: rowId.optional(),
    batchId: rowId.optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()
export const driftSettingsGetInput = z.object({ model: versionName }).strict()
export const driftSettingsSetInput = z
  .object({ model: versionName, settings: driftSettingsSchema })
  .strict()

/** A shift of one seed feature for simulated data: `+1 sd` of alogp, or mw_freebase `x2`. */
export const simulationShiftSchema = z
  .object({
    feature: z.enum(['mw_freebase', 'alogp', 'hba', 'hbd']),
    /** `sd`: add amount x the sample's standard deviation; `factor`: multiply by amount */
    by: z.enum(['sd', 'factor']),
    amount: z.number().finite().min(-20).max(20),
  })
  .strict()
export type SimulationShift = z.infer<typeof simulationShiftSchema>

export const driftSimulateInput = z
  .object({
    /** default: the production model of the synthetic sample's target */
    model: versionName.optional(),
    shifts: z.array(simulationShiftSchema).max(4),
    rows: z.number().int().min(20).max(100_000).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
  })
  .strict()

/** Reference and current shares per bin over the same edges (each side sums to 1, or all 0 when empty). */
export interface DriftHistogram {
  /** bins + 1 ascending edges */
  edges: number[]
  reference: number[]
  current: number[]
}

export type PsiBand = 'stable' | 'moderate' | 'significant'

/** One feature's test in a check. */
export interface FeatureDriftResult {
  name: string
  method: DriftMethodName
  /** whether the method was the user's choice (else Evidently's default for the sizes) */
  overridden: boolean
  /** the test's statistic: KS D, chi-square, Z, normed Wasserstein, JS distance or PSI */
  statistic: number | null
  threshold: number
  /** for ks, chi-square and z; null for the distances */
  pValue: number | null
  psi: number | null
  psiBand: PsiBand | null
  /** rows of each side without a finite value, left out of every statistic */
  missing: { reference: number; current: number }
  /** distinct finite values of reference + current (what chose the method) */
  distinct: number
  drifted: boolean
  /** why the feature could not be tested (no finite values on a side), else null */
  notTested: string | null
  histogram: DriftHistogram
}

/** The model's predictions on the current rows against its out-of-fold predictions on the training rows. */
export interface PredictionDriftResult {
  method: DriftMethodName
  statistic: number | null
  threshold: number
  pValue: number | null
  psi: number | null
  drifted: boolean
  referenceMean: number
  currentMean: number
  histogram: DriftHistogram
}

/** How the model does on current rows with measured values, next to its cross-validated figures. */
export interface PerformanceDriftResult {
  /** current rows with a measured value of the model's target and standard types */
  rows: number
  rmse: number
  /** bootstrap 95% confidence interval of the current RMSE */
  rmseCi: [number, number]
  mae: number
  r2: number
  spearman: number
  /** share of measured values inside the 90% interval (expected about 0.9) */
  coverage: number
  cvRmse: number
  cvMae: number
  cvR2: number
  cvSpearman: number
  degraded: boolean
  /** plain sentences saying why it is degraded (empty when it is not) */
  reasons: string[]
}

export interface LeastSimilarCompound {
  compoundId: number | null
  moleculeId: string | null
  smiles: string
  similarity: number
  /** the most similar training compound */
  nearestCompoundId: number | null
  nearestMoleculeId: string | null
}

/** Nearest-neighbour Tanimoto (Morgan r2, 2048 bits) of current compounds to the training compounds. */
export interface ChemistryDriftResult {
  /** current rows with a structure */
  compared: number
  /** training compounds with a structure */
  referenceCompared: number
  medianNnSimilarity: number
  /** the training compounds' own leave-one-out nearest-neighbour similarities */
  referenceMedianNnSimilarity: number
  outOfDomainShare: number
  referenceOutOfDomainShare: number
  /** similarity histogram, current against the training set's leave-one-out */
  histogram: DriftHistogram
  leastSimilar: LeastSimilarCompound[]
}

/** One stored check (what `drift.run` answers and `drift.get` reads back). */
export interface DriftCheck {
  driftRunId: number
  modelVersion: string
  /** the model was deleted after the check; the check is kept */
  modelDeleted: boolean
  target: string
  isSynthetic: boolean
  source: DriftSource
  trigger: DriftTrigger
  referenceRows: number
  currentRows: number
  features: FeatureDriftResult[]
  featuresDrifted: number
  /** features tested (those with values on both sides) */
  featuresTested: number
  driftedShare: number
  datasetShare: number
  datasetDrift: boolean
  prediction: PredictionDriftResult | null
  performance: PerformanceDriftResult | null
  chemistry: ChemistryDriftResult | null
  createdAt: string
  seconds: number
}

/** A check as the timeline and history lists show it. */
export interface DriftRunSummary {
  driftRunId: number
  modelVersion: string
  modelDeleted: boolean
  target: string
  /** the model was trained on synthetic data, or the rows were simulated: label it so */
  isSynthetic: boolean
  source: DriftSource
  trigger: DriftTrigger
  createdAt: string
  referenceRows: number
  currentRows: number
  featuresDrifted: number
  featuresTested: number
  driftedShare: number
  datasetDrift: boolean
  predictionDrifted: boolean | null
  rmse: number | null
  coverage: number | null
  degraded: boolean | null
  medianNnSimilarity: number | null
}
