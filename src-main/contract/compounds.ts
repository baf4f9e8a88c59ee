import { z } from 'zod'
import { smilesSchema } from './predictions'

const compoundId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

/** One structure to draw: a stored compound, or a SMILES (exactly one of them). */
export const compoundsDepictInput = z
  .object({
    compoundId: compoundId.optional(),
    smiles: smilesSchema.optional(),
  })
  .strict()
  .refine((v) => (v.compoundId === undefined) !== (v.smiles === undefined), {
    message: 'Give either a compound or a SMILES to draw, not both',
  })

export const compoundsGetInput = z.object({ compoundId }).strict()

/** What standardising the stored compounds did (see compounds.standardise). */
export interface StandardiseResult {
  /** compounds with a structure that had no standardised parent yet */
  compounds: number
  /** of those, the ones whose parent differs from the structure as imported */
  changed: number
  /** structures RDKit could not read */
  unreadable: number
}

/**
 * A 2D depiction as SVG text that has passed the engine's allow-list sanitiser; null when there is
 * no structure to draw, with the reason in `error`.
 */
export interface Depiction {
  svg: string | null
  error?: string
}

export interface CompoundMeasurement {
  id: number
  standardType: string | null
  relation: string | null
  standardValue: number | null
  standardUnits: string | null
  pActivity: number | null
  targetChemblId: string | null
  targetName: string | null
  assayChemblId: string | null
  documentChemblId: string | null
  documentYear: number | null
  importId: number
  importFile: string
  lineNumber: number
  usable: boolean
  unusableReason: string | null
}

export interface CompoundPrediction {
  batchId: number
  source: string
  modelVersion: string
  target: string
  pActivity: number | null
  interval: [number, number] | null
  inDomain: boolean | null
  failure: string | null
  createdAt: string
}

/** Everything the workbench knows of one compound. */
export interface CompoundDetail {
  id: number
  chemblId: string | null
  name: string | null
  smiles: string | null
  moleculeKey: string
  /**
   * The standardised parent RDKit computes features on (largest organic fragment, charges
   * neutralised); null until the compound has been standardised
   */
  standardisedSmiles: string | null
  /** what standardisation changed, in words ("salt or solvent removed: [Na+]"); empty if nothing */
  standardisation: string[]
  /** the four seed features, named plainly, with where each value came from */
  seed: { feature: string; label: string; value: number | null; source: string | null }[]
  rdkitVersion: string | null
  /** RDKit's descriptors with plain names where there is one (RDKit's name otherwise) */
  descriptors: { name: string; label: string; value: number }[]
  /** every measurement across imports, oldest import first; at most `MEASUREMENTS_SHOWN` */
  measurements: CompoundMeasurement[]
  measurementsTotal: number
  /** predictions made for this compound, newest first; at most `PREDICTIONS_SHOWN` */
  predictions: CompoundPrediction[]
  predictionsTotal: number
}

export const MEASUREMENTS_SHOWN = 500
export const PREDICTIONS_SHOWN = 200

/** The seed features by the names a chemist reads (ChEMBL's molecule property names as keys). */
export const SEED_FEATURE_LABELS = {
  mw_freebase: 'Molecular weight (g/mol)',
  alogp: 'AlogP',
  hba: 'H-bond acceptors',
  hbd: 'H-bond donors',
} as const
