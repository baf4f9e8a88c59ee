/**
 * How a model does on new measured values, next to its cross-validated figures: the "performance
 * drift" of a check. Pure: observed and predicted values in, figures out.
 */
import type { PerformanceDriftResult } from '../../contract/drift'
import { regressionMetrics } from '../regression-metrics'
import { createRng } from '../rng'

export interface CvFigures {
  rmse: number
  mae: number
  r2: number
  spearman: number
}

export interface PerformanceOptions {
  /** bootstrap resamples for the RMSE's confidence interval */
  resamples?: number
  seed?: number
  /** degraded when the interval coverage falls below this */
  minCoverage?: number
}

/**
 * The current figures over rows with both values finite, or null when there are fewer than 2.
 * `halfWidth` is the model's interval half-width (prediction +- q is the 90% interval).
 */
export function performanceDrift(
  observed: ArrayLike<number>,
  predicted: ArrayLike<number>,
  halfWidth: number,
  cv: CvFigures,
  options: PerformanceOptions = {},
): PerformanceDriftResult | null {
  const o: number[] = []
  const p: number[] = []
  for (let i = 0; i < observed.length; i++)
    if (Number.isFinite(observed[i]) && Number.isFinite(predicted[i])) {
      o.push(observed[i] as number)
      p.push(predicted[i] as number)
    }
  const n = o.length
  if (n < 2) return null
  const m = regressionMetrics(o, p)
  let inside = 0
  const se = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const e = (p[i] as number) - (o[i] as number)
    se[i] = e * e
    if (Math.abs(e) <= halfWidth) inside++
  }
  const coverage = inside / n
  const rng = createRng(options.seed ?? 1)
  const resamples = options.resamples ?? 2000
  const boot = new Float64Array(resamples)
  for (let b = 0; b < resamples; b++) {
    let s = 0
    for (let i = 0; i < n; i++) s += se[rng.int(n)] as number
    boot[b] = Math.sqrt(s / n)
  }
  boot.sort()
  const at = (q: number) => boot[Math.min(resamples - 1, Math.floor(q * resamples))] as number
  const rmseCi: [number, number] = [at(0.025), at(0.975)]
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
    rmse: m.rmse,
    rmseCi,
    mae: m.mae,
    r2: m.r2,
    spearman: m.spearman,
    coverage,
    cvRmse: cv.rmse,
    cvMae: cv.mae,
    cvR2: cv.r2,
    cvSpearman: cv.spearman,
    degraded: reasons.length > 0,
    reasons,
  }
}
