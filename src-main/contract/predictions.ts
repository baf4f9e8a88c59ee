import { z } from 'zod'
import { fileRefSchema } from './imports'

export const predictionSources = ['single', 'file', 'database', 'api', 'watch'] as const
export type PredictionSource = (typeof predictionSources)[number]

/** A SMILES a person types: trimmed, present, and of a length RDKit is asked to read. */
export const smilesSchema = z
  .string()
  .trim()
  .min(1, 'Type a SMILES')
  .max(2000, 'That SMILES is too long')

const versionName = z
  .string()
  .trim()
  .regex(/^v\d{1,9}$/, 'a model version like v3')

/** The four seed features as a person types them, each checked with a message they can act on. */
export const seedFeaturesSchema = z
  .object({
    mw_freebase: z
      .number({ error: 'MW must be a number (g/mol)' })
      .gt(0, 'MW must be a positive number below 5000 (g/mol)')
      .lt(5000, 'MW must be a positive number below 5000 (g/mol)'),
    alogp: z
      .number({ error: 'AlogP must be a number' })
      .min(-20, 'AlogP must be between -20 and 20')
      .max(20, 'AlogP must be between -20 and 20'),
    hba: z
      .number({ error: 'HBA must be a whole number from 0 to 50' })
      .int('HBA must be a whole number from 0 to 50')
      .min(0, 'HBA must be a whole number from 0 to 50')
      .max(50, 'HBA must be a whole number from 0 to 50'),
    hbd: z
      .number({ error: 'HBD must be a whole number from 0 to 50' })
      .int('HBD must be a whole number from 0 to 50')
      .min(0, 'HBD must be a whole number from 0 to 50')
      .max(50, 'HBD must be a whole number from 0 to 50'),
  })
  .strict()
export type SeedFeatures = z.infer<typeof seedFeaturesSchema>

export const predictionsSingleInput = z
  .object({
    /** default: the production model (of `target`, or the only one) */
    model: versionName.optional(),
    target: z.string().trim().min(1).max(64).optional(),
    features: seedFeaturesSchema.optional(),
    smiles: smilesSchema.optional(),
  })
  .strict()
  .refine((v) => (v.features === undefined) !== (v.smiles === undefined), {
    message: 'Give either the four features or a SMILES, not both',
  })

export const predictionsBatchInput = z
  .object({
    model: versionName.optional(),
    target: z.string().trim().min(1).max(64).optional(),
    /** a dropped or chosen file in any format the importer reads */
    file: fileRefSchema.optional(),
    /** compounds already in the database (optionally only those of one import) */
    database: z.object({ importId: z.number().int().positive().optional() }).strict().optional(),
    mapping: z.record(z.string().min(1).max(500), z.string().max(100)).optional(),
    /** score only a file's rows that name the model's target */
    onlyModelTarget: z.boolean().optional(),
  })
  .strict()
  .refine((v) => (v.file === undefined) !== (v.database === undefined), {
    message: 'Give either a file or database compounds to score',
  })

/** A batch file's targets and types, against a model (default: as predictions.batch picks it). */
export const predictionsCheckFileInput = z
  .object({
    model: versionName.optional(),
    target: z.string().trim().min(1).max(64).optional(),
    file: fileRefSchema,
    mapping: z.record(z.string().min(1).max(500), z.string().max(100)).optional(),
  })
  .strict()

/** Which rows of a batch, in which order: what the results table shows, and what it exports. */
const predictionFilter = {
  batchId: z.number().int().positive(),
  sort: z.enum(['row', 'pActivity', '-pActivity']).default('row'),
  inDomain: z.boolean().optional(),
  minPActivity: z.number().optional(),
  failed: z.boolean().optional(),
}

export const predictionsRowsInput = z
  .object({
    ...predictionFilter,
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict()

/**
 * A batch as CSV: the rows a filter selects, in its order (what the table shows), or every row
 * when no filter is given.
 */
export const predictionsCsvInput = z.object(predictionFilter).strict()

export const predictionsBatchIdInput = z.object({ batchId: z.number().int().positive() }).strict()

export interface SinglePrediction {
  batchId: number
  modelVersion: string
  target: string
  isSynthetic: boolean
  pActivity: number
  nM: number
  /** 90% interval on the p-activity scale */
  interval: [number, number]
  /** the same interval in nM (high potency = low nM first) */
  intervalNm: [number, number]
  inDomain: boolean
  domain: {
    /** distance to the nearest training compound in standardised descriptor space */
    distance: number
    threshold: number
    outOfRange: string[]
    /**
     * Tanimoto similarity (Morgan radius 2, 2048 bits) to the nearest training compound; null when
     * it is unknown (no structure, or a model whose domain predates the structural check)
     */
    similarity: number | null
    /** similarities below this are outside the domain; null for a descriptor-only domain */
    similarityThreshold: number | null
    /** false for models whose domain checks descriptors only (trained before it checked structure) */
    structureAware: boolean
  }
  /** whether the interval's width is the compound's own (adaptive) or the same for every compound */
  intervalMethod: 'adaptive' | 'constant'
  /** the features the model saw */
  features: Record<string, number>
  /** the four seed features of the compound (typed, or computed by RDKit from the SMILES) */
  seed: SeedFeatures
  rdkitVersion: string | null
  /** the stored compound this prediction is of, when it is one (same SMILES, or identical) */
  compoundId: number | null
  /** the most similar compounds the model was trained on */
  neighbours: NeighbourReport
}

/** A training compound near a predicted one. */
export interface TrainingNeighbour {
  compoundId: number
  chemblId: string | null
  name: string | null
  smiles: string | null
  /** Tanimoto similarity of Morgan fingerprints (radius 2, 2048 bits), 0 to 1 */
  similarity: number
  /** its training label: the median pActivity of its measurements, as training takes it */
  measured: number
}

export interface NeighbourReport {
  /** why there are no neighbours, in words for the user; null when they were looked for */
  unavailable: string | null
  /** the three most similar training compounds, most similar first */
  items: TrainingNeighbour[]
  /** the predicted compound was itself in the training set: its label and its measurements */
  inTraining:
    | (TrainingNeighbour & {
        measurements: {
          standardType: string | null
          relation: string | null
          standardValue: number | null
          standardUnits: string | null
          pActivity: number | null
          /** whether training took it into the label (usable, or doubted and included on request) */
          used: boolean
          /** why not, when it was left out */
          unusableReason: string | null
        }[]
      })
    | null
  /** training compounds compared (those with a stored structure) */
  compared: number
  /**
   * false when the data behind the model's training definition changed since it was trained
   * (the rebuilt set's hash differs), so the neighbours are from today's data
   */
  matchesModel: boolean
}

export interface BatchSummary {
  batchId: number
  modelVersion: string
  source: PredictionSource
  inputName: string | null
  rowsScored: number
  rowsFailed: number
  failuresByReason: Record<string, number>
  inDomain: number
  seconds: number
  rowsPerSecond: number
  /** when the input had measured values: RMSE of those rows, and how many */
  observed: { rows: number; rmse: number } | null
  /**
   * RMSE on compounds the model was trained on (each compound once): in-sample, so flattering;
   * null when none had a measured value or the training set cannot be told
   */
  inSample: { compounds: number; rmse: number } | null
  /** RMSE on compounds new to the model (each compound once) */
  outOfSample: { compounds: number; rmse: number } | null
  /** rows of the file naming a target other than the model's (null: not a file, or no target column) */
  otherTargetRows: number | null
  /** true when only the rows naming the model's target were scored */
  onlyModelTarget: boolean
  createdAt: string
}

/** A batch file's targets and standard types, checked before scoring it. */
export interface BatchFileCheck {
  rows: number
  modelVersion: string
  modelTarget: string
  modelTargetName: string | null
  /** the model's standard types */
  modelTypes: string[]
  /** false when the file has no target column (nothing to check) */
  hasTargetColumn: boolean
  /** every target the file names, most rows first; rows naming none under targetChemblId null */
  targets: { targetChemblId: string | null; name: string | null; rows: number }[]
  /** rows that do not name the model's target (another target, or none when the file has the column) */
  otherTargetRows: number
  /** the file's standard types, most rows first, and whether the model was trained on each */
  standardTypes: { type: string | null; rows: number; modelType: boolean }[]
}

export interface PredictionRow {
  rowNumber: number
  /** the database compound scored (rows of database batches; null for rows of a file) */
  compoundId: number | null
  moleculeId: string | null
  smiles: string | null
  inputs: Record<string, number | null>
  pActivity: number | null
  nM: number | null
  intervalLow: number | null
  intervalHigh: number | null
  inDomain: boolean | null
  observed: number | null
  /** whether the model was trained on this compound (null: not known) */
  inTrainingSet: boolean | null
  failure: string | null
}

/** A batch as CSV, cells that a spreadsheet would run as formulas neutralised. */
export interface PredictionsCsv {
  fileName: string
  csv: string
}
