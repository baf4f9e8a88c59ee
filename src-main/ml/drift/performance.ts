/**
 * How a model does on new measured values, next to its cross-validated figures: the "performance
 * drift" of a check. Pure: observed and predicted values in, figures out.
 *
 * The figures are the ones scikit-learn and scipy give on the same arrays: RMSE
 * (sqrt(mean_squared_error)), MAE (mean_absolute_error), R² (r2_score; a constant observed value
 * gives 1 when predicted exactly, else 0, as r2_score's force_finite does) and Spearman's rho
 * (scipy.stats.spearmanr, ties sharing their average rank; NaN when either side is constant, as
 * scipy answers). The RMSE's 95% confidence interval is a percentile bootstrap: `resamples`
 * resamples of the rows with replacement from a seeded generator, and the 2.5th and 97.5th
 * percentiles of their RMSEs as numpy.percentile takes them (linear between order statistics).
 */
import type { PerformanceDriftResult } from '../../contract/drift'
import { pearson, ranks } from '../regression-metrics'
import { createRng } from '../rng'

export interface CvFigures {
  rmse: number
  mae: number
  r2: number
  spearman: number
}

export interface PerformanceOptions {
  /** bootstrap resamples for the RMSE's confidence interval (default 2000) */
  resamples?: number
  /** the bootstrap's seed (default 1): the same rows and seed give the same interval */
  seed?: number
  /** degraded when the interval coverage falls below this (default 0.8) */
  minCoverage?: number
}

/** numpy.percentile(sorted, 100 * q) with its default linear interpolation. */
export function percentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length
  if (n === 0) return Number.NaN
  // numpy's virtual index, n q + (1 - q) - 1, formed as numpy forms it
  const pos = n * q + (1 - q) - 1
  const lo = Math.floor(pos)
  const hi = Math.min(n - 1, lo + 1)
  const frac = pos - lo
  const a = sorted[lo]!
  const b = sorted[hi]!
  // numpy's _lerp: a + (b - a) * t, taken from the upper end when t >= 0.5
  return frac >= 0.5 ? b - (b - a) * (1 - frac) : a + (b - a) * frac
}

/**
 * The bootstrap distribution of the RMSE: `resamples` RMSEs of `n` squared errors drawn with
 * replacement (row k of resample b is `rng.int(n)`, drawn in that order), sorted.
 */
export function bootstrapRmse(
  squaredErrors: Float64Array,
  resamples: number,
  seed: number,
): Float64Array {
  const n = squaredErrors.length
  const rng = createRng(seed)
  const boot = new Float64Array(resamples)
  for (let b = 0; b < resamples; b++) {
    let s = 0
    for (let i = 0; i < n; i++) s += squaredErrors[rng.int(n)]!
    boot[b] = Math.sqrt(s / n)
  }
  return boot.sort()
}

/**
 * The current figures over rows with both values finite, or null when there are fewer than 2.
 * `halfWidth` is the model's interval half-width: prediction ± halfWidth is the 90% interval, or
 * for adaptive intervals each row's own bounds; a measured value on its edge counts as inside. "Degraded" exactly when the coverage is below
 * `minCoverage` (0.8) or the RMSE's whole 95% interval lies above the cross-validated RMSE.
 */
export function performanceDrift(
  observed: ArrayLike<number>,
  predicted: ArrayLike<number>,
  halfWidth: number | { low: ArrayLike<number>; high: ArrayLike<number> },
  cv: CvFigures,
  options: PerformanceOptions = {},
): PerformanceDriftResult | null {
  if (observed.length !== predicted.length)
    throw new RangeError(
      `observed and predicted values differ in number (${observed.length} and ${predicted.length})`,
    )
  const o: number[] = []
  const p: number[] = []
  const covered: boolean[] = []
  for (let i = 0; i < observed.length; i++)
    if (Number.isFinite(observed[i]) && Number.isFinite(predicted[i])) {
      const y = observed[i] as number
      o.push(y)
      p.push(predicted[i] as number)
      covered.push(
        typeof halfWidth === 'number'
          ? Math.abs((predicted[i] as number) - y) <= halfWidth
          : y >= (halfWidth.low[i] as number) && y <= (halfWidth.high[i] as number),
      )
    }
  const n = o.length
  if (n < 2) return null
  let sse = 0
  let sae = 0
  let mean = 0
  let inside = 0
  const se = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const e = p[i]! - o[i]!
    se[i] = e * e
    sse += e * e
    sae += Math.abs(e)
    mean += o[i]!
    if (covered[i]) inside++
  }
  mean /= n
  let tss = 0
  for (let i = 0; i < n; i++) tss += (o[i]! - mean) ** 2
  const rmse = Math.sqrt(sse / n)
  const r2 = tss > 0 ? 1 - sse / tss : sse === 0 ? 1 : 0
  const spearman = pearson(ranks(o), ranks(p))
  const coverage = inside / n

  const resamples = Math.max(1, Math.floor(options.resamples ?? 2000))
  const boot = bootstrapRmse(se, resamples, options.seed ?? 1)
  const rmseCi: [number, number] = [percentileSorted(boot, 0.025), percentileSorted(boot, 0.975)]

  const minCoverage = options.minCoverage ?? 0.8
  const reasons: string[] = []
  if (coverage < minCoverage)
    reasons.push(
      `Only ${(coverage * 100).toFixed(0)}% of measured values fall inside the 90% interval (below ${(minCoverage * 100).toFixed(0)}%).`,
    )
  if (rmseCi[0] > cv.rmse)
    reasons.push(
      `The RMSE's 95% interval (${rmseCi[0].toFixed(2)}–${rmseCi[1].toFixed(2)}) lies wholly above the cross-validated RMSE ${cv.rmse.toFixed(2)}.`,
    )
  return {
    rows: n,
    rmse,
    rmseCi,
    mae: sae / n,
    r2,
    spearman,
    coverage,
    cvRmse: cv.rmse,
    cvMae: cv.mae,
    cvR2: cv.r2,
    cvSpearman: cv.spearman,
    degraded: reasons.length > 0,
    reasons,
  }
}
