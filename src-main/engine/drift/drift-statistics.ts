/**
 * The statistics of a drift check, run in a worker thread (sorting and merging 40+ columns of
 * thousands of rows would hold the engine's thread): every feature's test and PSI, the dataset's
 * verdict, the prediction drift and a histogram of each, in the contract's shapes.
 */
import type {
  DriftMethodName,
  FeatureDriftResult,
  PredictionDriftResult,
  PsiBand,
} from '../../contract/drift'
import {
  type FeatureDrift,
  type FeatureDriftOptions,
  DEFAULT_THRESHOLDS,
  datasetDrift,
  defaultDriftMethod,
  featureDrift,
} from '../../ml/drift'
import { sharedHistogram } from './histogram'

export interface DriftStatisticsInput {
  features: {
    name: string
    reference: Float32Array | Float64Array
    current: Float32Array | Float64Array
    options?: FeatureDriftOptions
  }[]
  /** the share of drifted features at which the dataset counts as drifted */
  share: number
  /** out-of-fold predictions of the training rows and the model's predictions of the current rows */
  prediction: { reference: Float64Array; current: Float64Array } | null
}

export interface DriftStatisticsOutput {
  features: FeatureDriftResult[]
  tested: number
  drifted: number
  driftedShare: number
  datasetDrift: boolean
  prediction: PredictionDriftResult | null
}

const band = (b: string | undefined): PsiBand | null =>
  b === undefined ? null : b === 'major' ? 'significant' : (b as PsiBand)

/** NaN (a chi-square without degrees of freedom) is stored and sent as null */
const numberOrNull = (v: number | undefined): number | null =>
  v === undefined || Number.isNaN(v) ? null : v

function methodOf(r: FeatureDrift, options: FeatureDriftOptions | undefined): DriftMethodName {
  return (
    r.test?.method ??
    options?.method ??
    defaultDriftMethod(r.reference.used, Math.max(0, r.distinctValues))
  )
}

function resultOf(
  name: string,
  r: FeatureDrift,
  options: FeatureDriftOptions | undefined,
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): FeatureDriftResult {
  const method = methodOf(r, options)
  const t = r.test
  return {
    name,
    method,
    overridden: options?.method !== undefined || options?.threshold !== undefined,
    statistic: t ? numberOrNull(t.statistic) : null,
    threshold: t?.threshold ?? options?.threshold ?? DEFAULT_THRESHOLDS[method],
    pValue: t && t.scoreKind === 'p-value' ? numberOrNull(t.score) : null,
    psi: numberOrNull(r.psi?.value),
    psiBand: band(r.psi?.band),
    missing: {
      reference: r.reference.missing + r.reference.infinite,
      current: r.current.missing + r.current.infinite,
    },
    distinct: r.distinctValues,
    drifted: r.drifted,
    notTested: r.notTested,
    histogram: sharedHistogram(reference, current),
  }
}

function mean(values: ArrayLike<number>): number {
  let s = 0
  let n = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (v - v === 0) {
      s += v
      n++
    }
  }
  return n === 0 ? NaN : s / n
}

export function driftStatistics(input: DriftStatisticsInput): DriftStatisticsOutput {
  const dataset = datasetDrift(
    input.features.map((f) => ({
      name: f.name,
      reference: f.reference,
      current: f.current,
      options: f.options,
    })),
    { share: input.share },
  )
  const features = dataset.features.map((r, k) => {
    const f = input.features[k] as DriftStatisticsInput['features'][number]
    return resultOf(r.name, r, f.options, f.reference, f.current)
  })
  let prediction: PredictionDriftResult | null = null
  if (input.prediction) {
    const { reference, current } = input.prediction
    const r = featureDrift(reference, current, undefined, 'the predictions')
    const base = resultOf('prediction', r, undefined, reference, current)
    prediction = {
      method: base.method,
      statistic: base.statistic,
      threshold: base.threshold,
      pValue: base.pValue,
      psi: base.psi,
      drifted: base.drifted,
      referenceMean: mean(reference),
      currentMean: mean(current),
      histogram: base.histogram,
    }
  }
  return {
    features,
    tested: dataset.tested,
    drifted: dataset.drifted,
    driftedShare: dataset.driftedShare,
    datasetDrift: dataset.datasetDrifted,
    prediction,
  }
}
