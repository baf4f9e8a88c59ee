import { z } from 'zod'
import { fileRefSchema } from './imports'

/**
 * "physchem" is RDKit's 2D descriptor set (Descriptors.descList); "physchem-43" is MinimalLib's
 * 43 descriptors, the set "physchem" named before migration 010.
 */
export const featureSets = [
  'core4',
  'physchem',
  'physchem+morgan',
  'physchem-43',
  'physchem-43+morgan',
] as const
export type FeatureSet = (typeof featureSets)[number]
export const learners = ['gbdt', 'rf', 'ridge'] as const
export type Learner = (typeof learners)[number]
export const modelStages = ['candidate', 'production', 'archived'] as const
export type ModelStage = (typeof modelStages)[number]

const chemblId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a target id like CHEMBL1978')
const standardTypes = z.array(z.string().trim().min(1).max(100)).min(1).max(20)
const versionName = z
  .string()
  .trim()
  .regex(/^v\d{1,9}$/, 'a model version like v3')
const reason = z.string().trim().max(500).optional()

/** What a training set is made of; its hash (with the rows) identifies it. */
export const trainingSetInput = z
  .object({
    /** default: the target with the most usable activities */
    target: chemblId.optional(),
    /** default: IC50 */
    types: standardTypes.optional(),
    featureSet: z.enum(featureSets).default('core4'),
    /**
     * Also train on values ChEMBL's curators doubt (a data validity comment such as "Outside
     * typical range", or a potential duplicate); they are left out by default.
     */
    includeFlagged: z.boolean().optional(),
  })
  .strict()

export const modelsTrainInput = trainingSetInput
  .extend({
    learner: z.enum(['auto', ...learners]).default('auto'),
    folds: z.number().int().min(2).max(20).default(5),
    seed: z.number().int().min(0).max(2_147_483_647).default(1),
    /** seconds Auto may spend on its search; a single learner ignores it */
    budgetSeconds: z.number().min(1).max(3600).default(60),
    promote: z.boolean().default(false),
    reason,
  })
  .strict()

export interface TargetSummary {
  targetChemblId: string
  targetName: string | null
  activities: number
  usable: number
  /**
   * Standard types a model can learn, most usable first: potencies (IC50, Ki, pIC50, ...) and
   * kinetic constants (Km), which are concentrations but not potencies. Others (% inhibition,
   * ratios, rates) are left out.
   */
  types: { type: string; usable: number; kind: 'potency' | 'kinetic' }[]
}

export interface FeatureSource {
  kind: 'rdkit-standardised' | 'file values'
  /** training rows whose features RDKit computed from the standardised structure */
  rdkitRows: number
  /** training rows without a structure, whose features are the file's values */
  fileRows: number
  /** the standardisation rules applied before RDKit computed anything */
  standardisation: string
}

export interface TrainingSetSummary {
  target: string
  targetName: string | null
  types: string[]
  featureSet: FeatureSet
  featureNames: string[]
  /** activities of the target and types */
  activitiesConsidered: number
  /** activities that went into a label */
  activitiesUsed: number
  /** one row per compound */
  compounds: number
  /** activities left out, by reason (censored, inactive, outside-typical-range, missing-features, ...) */
  excluded: Record<string, number>
  /** present (true) when values ChEMBL's curators doubt were included on request */
  includeFlagged?: true
  /** compounds whose repeat measurements span more than one log unit */
  compoundsWithSpreadOver1: number
  /** RDKit versions behind computed values in the set; more than one means mixed definitions */
  rdkitVersions: string[]
  /** whether, for one seed feature, some compounds took it from the file and others from RDKit */
  mixedSources: boolean
  /**
   * Where the features came from (models trained before migration 010 have none): RDKit on the
   * standardised structure for every row with a structure, the file's values only for rows
   * without one. A model trained on file values alone predicts only from file values.
   */
  featureSource?: FeatureSource
  hasYears: boolean
  hash: string
}

export interface Metrics {
  rmse: number
  mae: number
  r2: number
  spearman: number
  n: number
}

export interface RunRecord {
  id: number
  jobId: string
  target: string
  learner: Learner
  params: Record<string, number | boolean>
  featureSet: FeatureSet
  trainingSetHash: string
  metrics: Metrics
  seconds: number
  seed: number
  chosen: boolean
  modelVersion: string | null
  createdAt: string
}

export interface ModelSummary {
  version: string
  target: string
  learner: Learner
  featureSet: FeatureSet
  trainingRows: number
  trainingSetHash: string
  cv: Metrics
  /** q of the 90% interval (prediction +- q, in log units) */
  intervalHalfWidth: number
  stage: ModelStage
  parentVersion: string | null
  /** for a production version: the version a rollback would put back (null when there is none) */
  rollbackTo: string | null
  /** for an imported version: its name and lineage in the registry it was exported from */
  importedFrom: { version: string; parentVersion: string | null; appVersion: string | null } | null
  isSynthetic: boolean
  onnxSha256: string
  createdAt: string
  promotedAt: string | null
}

export interface ModelDetail extends ModelSummary {
  params: Record<string, number | boolean>
  featureNames: string[]
  trainingSet: TrainingSetSummary
  rdkitVersion: string | null
  seed: number | null
  folds: number
  /** out-of-fold predictions for the predicted-vs-observed plot */
  oof: { observed: number[]; predicted: number[] }
  timeSplit: { cutYear: number; trainRows: number; testRows: number; metrics: Metrics } | null
  importance: { feature: string; value: number }[]
  /** share of out-of-fold observations inside their 90% interval */
  intervalCoverage: number
  onnxBytes: number
  /** largest |TypeScript - ONNX Runtime| over the training rows, checked before registering */
  onnxMaxDifference: number
  /** Auto's search when it trained this version; null for a single learner or an imported model */
  search: AutoSearch | null
  history: { at: string; action: string; reason: string | null }[]
}

/** One of Auto's candidates: a learner and its settings. */
export interface SearchCandidate {
  learner: Learner
  params: Record<string, number | boolean>
  /** cross-validated RMSE of a candidate that finished */
  rmse?: number
  /** folds finished when the budget ran out, for a candidate stopped part way */
  foldsDone?: number
}

/** What Auto did within its time budget. */
export interface AutoSearch {
  budgetSeconds: number
  /** candidates cross-validated on every fold, in the order they ran */
  tried: SearchCandidate[]
  /** candidates not run, or stopped part way and not compared, because the budget ran out */
  skipped: SearchCandidate[]
}

export interface TrainResult {
  modelVersion: string
  learner: Learner
  featureSet: FeatureSet
  rows: number
  cv: Omit<Metrics, 'n'>
  intervalCoverage: number
  seconds: number
  candidates: number
  /** Auto's search: what it tried and what it skipped for time; null for a single learner */
  search: AutoSearch | null
  promoted: boolean
  /** SHA-256 of the ONNX bytes ONNX Runtime checked on the training rows; the registry stores exactly these */
  onnxSha256: string
}

/** The model card written next to an exported `.onnx` file. */
export interface ModelCard {
  format: 'assay-workbench-model-card'
  formatVersion: 1
  version: string
  target: string
  learner: Learner
  params: Record<string, number | boolean>
  featureSet: FeatureSet
  featureNames: string[]
  units: Record<string, string>
  output: { name: string; meaning: string }
  trainingSet: TrainingSetSummary
  cv: Metrics
  folds: number
  seed: number | null
  timeSplit: ModelDetail['timeSplit']
  interval: { level: number; halfWidth: number; method: string }
  domain: unknown
  reference: unknown
  importance: ModelDetail['importance']
  /** out-of-fold predictions, their interval coverage, and the ONNX Runtime check at registration */
  evaluation: Pick<ModelDetail, 'oof' | 'intervalCoverage' | 'onnxMaxDifference'>
  lineage: { parentVersion: string | null; createdAt: string; appVersion: string }
  rdkitVersion: string | null
  isSynthetic: boolean
  onnxSha256: string
  onnxFile: string
}

export const modelsVersionInput = z.object({ version: versionName }).strict()
export const modelsStageInput = z.object({ version: versionName, reason }).strict()

/** Why production changes: kept in the audit log, so whoever reads it later knows. */
const changeReason = (what: string) =>
  z
    .string({ error: `Say why you ${what}: the reason is kept in the audit log.` })
    .trim()
    .min(1, `Say why you ${what}: the reason is kept in the audit log.`)
    .max(500, 'Keep the reason under 500 characters.')

/** Promoting changes what every prediction uses: it takes a reason, which the audit log keeps. */
export const modelsPromoteInput = z
  .object({ version: versionName, reason: changeReason('promote this version') })
  .strict()
/** Rolling back changes production too, so it takes a reason as well. */
export const modelsRollbackInput = z
  .object({ target: chemblId, reason: changeReason('roll back') })
  .strict()

/** A rollback's answer: the version back in production and the one it replaced. */
export interface RollbackResult {
  restored: ModelSummary
  /** the version that was in production until now (archived by the rollback) */
  replaced: string
}

/** A model import's answer: the version in the registry, and whether this import added it. */
export interface ModelImportResult {
  model: ModelSummary
  /**
   * true when a version with the same ONNX bytes (SHA-256) was already registered: nothing was
   * added, and `model` is that version
   */
  alreadyInRegistry: boolean
}
export const modelsRunsInput = z.object({ target: chemblId.optional() }).strict()

/** A model as files: the ONNX bytes and its card. The caller decides where they go. */
export interface ModelBundle {
  /** suggested file name without extension */
  fileBase: string
  card: ModelCard
  onnxBase64: string
}
export const modelsImportInput = z
  .object({ onnx: fileRefSchema, card: fileRefSchema, reason })
  .strict()
