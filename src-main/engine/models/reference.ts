import type { Dataset } from '../../ml/dataset'

/** A feature's distribution in the training data, kept with the model for drift checks. */
export interface ReferenceDistribution {
  count: number
  missing: number
  mean: number
  std: number
  /** quantiles at 0, 5, ..., 100 % */
  quantiles: number[]
  /** up to 1000 values, evenly spaced in sorted order (enough for KS and PSI) */
  sample: number[]
}

export function distribution(values: ArrayLike<number>): ReferenceDistribution {
  const present = Array.from(values)
    .filter((v) => Number.isFinite(v))
    .sort((a, b) => a - b)
  const n = present.length
  const mean = n ? present.reduce((s, v) => s + v, 0) / n : NaN
  const std = n ? Math.sqrt(present.reduce((s, v) => s + (v - mean) ** 2, 0) / n) : NaN
  const at = (q: number) => (n ? (present[Math.min(n - 1, Math.round(q * (n - 1)))] ?? NaN) : NaN)
  const step = Math.max(1, n / 1000)
  const sample: number[] = []
  for (let i = 0; i < n && sample.length < 1000; i += step)
    sample.push(present[Math.floor(i)] ?? NaN)
  return {
    count: n,
    missing: values.length - n,
    mean,
    std,
    quantiles: Array.from({ length: 21 }, (_, k) => at(k / 20)),
    sample,
  }
}

/** Reference distributions of the label and of every feature in `columns`. */
export function referenceDistributions(data: Dataset, names: string[], columns: number[]) {
  const features: Record<string, ReferenceDistribution> = {}
  const column = new Float64Array(data.n)
  for (const j of columns) {
    for (let i = 0; i < data.n; i++) column[i] = data.x[i * data.f + j] ?? NaN
    features[names[j] ?? `feature_${j}`] = distribution(column)
  }
  return { label: distribution(data.y), features }
}
