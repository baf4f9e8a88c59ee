import { z } from 'zod'

const text = z.string().max(200)

export const activityFilterSchema = z
  .object({
    search: text.optional(),
    target: text.optional(),
    standardType: text.optional(),
    relation: text.optional(),
    /**
     * Whether a model may train on the activity: 'usable', 'excluded' (any reason), or one
     * reason code ('inactive', 'outside-typical-range', 'censored', ...).
     */
    reason: text.optional(),
  })
  .strict()

export const dataActivitiesInput = activityFilterSchema
  .extend({
    offset: z.number().int().nonnegative(),
    limit: z.number().int().min(1).max(1000),
    /** count the matching rows too (a full pass at a million rows: ask once per filter, not per page) */
    withTotal: z.boolean().optional(),
  })
  .strict()

export const dataCompoundsInput = z
  .object({
    search: text.optional(),
    offset: z.number().int().nonnegative(),
    limit: z.number().int().min(1).max(10_000),
    withTotal: z.boolean().optional(),
  })
  .strict()

export interface ActivityRow {
  id: number
  /** the compound measured (compounds.get) */
  compoundId: number
  chemblId: string | null
  name: string | null
  smiles: string | null
  standardType: string | null
  relation: string | null
  standardValue: number | null
  standardUnits: string | null
  valueNm: number | null
  pActivity: number | null
  targetChemblId: string | null
  usable: boolean
  unusableReason: string | null
}

export interface CompoundRow {
  id: number
  chemblId: string | null
  name: string | null
  smiles: string | null
  mw_freebase: number | null
  alogp: number | null
  hba: number | null
  hbd: number | null
  featureSources: Record<string, string>
  rdkitVersion: string | null
  activities: number
}

export interface Facets {
  compounds: number
  activities: number
  targets: { id: string; name: string | null; count: number }[]
  standardTypes: { type: string; count: number }[]
  relations: { relation: string; count: number }[]
  /** activities by whether a model may train on them: 'usable', or the reason it may not */
  training: { reason: string; count: number }[]
}

export interface Histogram {
  feature: string
  label: string
  /** left edges; bin i covers [edges[i], edges[i+1]) */
  edges: number[]
  counts: number[]
  n: number
}
