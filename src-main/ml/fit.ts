import type { Dataset } from './dataset'
import { FOREST_DEFAULTS, type ForestParams, fitForest } from './forest'
import { GBDT_DEFAULTS, type FitProgress, type GbdtParams, fitGbdt } from './gbdt'
import type { Model } from './model'
import { RIDGE_DEFAULTS, type RidgeParams, fitRidge } from './ridge'

export type LearnerName = 'gbdt' | 'rf' | 'ridge'
export type LearnerParams = Record<string, number | boolean>

export interface Fitted {
  model: Model
  /** out-of-bag predictions (forests only) */
  oob: Float64Array | null
  /** the parameters actually used, defaults filled in */
  params: LearnerParams
}

const DEFAULTS: Record<LearnerName, LearnerParams> = {
  gbdt: { ...GBDT_DEFAULTS },
  rf: { ...FOREST_DEFAULTS },
  ridge: { ...RIDGE_DEFAULTS },
}

export function withDefaults(learner: LearnerName, params: LearnerParams): LearnerParams {
  const out: LearnerParams = { ...DEFAULTS[learner] }
  for (const [k, v] of Object.entries(params)) {
    if (!(k in out)) throw new Error(`${learner} has no parameter "${k}"`)
    if (typeof v !== typeof out[k])
      throw new Error(`${learner} parameter "${k}" must be a ${typeof out[k]}`)
    out[k] = v
  }
  return out
}

/** Fits one learner; every choice it makes at random comes from `params.seed`. */
export function fitLearner(
  learner: LearnerName,
  params: LearnerParams,
  data: Dataset,
  onProgress?: (p: FitProgress) => void,
): Fitted {
  const full = withDefaults(learner, params)
  if (learner === 'gbdt') {
    return {
      model: fitGbdt(data, full as unknown as GbdtParams, onProgress).model,
      oob: null,
      params: full,
    }
  }
  if (learner === 'rf') {
    const r = fitForest(data, full as unknown as ForestParams, onProgress)
    return { model: r.model, oob: r.oob, params: full }
  }
  return { model: fitRidge(data, full as unknown as RidgeParams), oob: null, params: full }
}
