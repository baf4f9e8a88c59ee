/**
 * Split-conformal / CV+ calibration from out-of-fold residuals (DESIGN.md section 6): q is the
 * ceil((n + 1)(1 - alpha))-th smallest absolute residual, and every prediction's interval is
 * prediction +- q. With exchangeable data this covers the truth with probability >= 1 - alpha.
 */
export interface ConformalCalibration {
  method: 'cv-plus-absolute-residual'
  alpha: number
  q: number
  n: number
}

export function calibrate(
  observed: ArrayLike<number>,
  predicted: ArrayLike<number>,
  alpha = 0.1,
): ConformalCalibration {
  const residuals: number[] = []
  for (let i = 0; i < observed.length; i++) {
    const r = Math.abs(observed[i]! - predicted[i]!)
    if (Number.isFinite(r)) residuals.push(r)
  }
  residuals.sort((a, b) => a - b)
  const n = residuals.length
  const rank = Math.ceil((n + 1) * (1 - alpha))
  // with too few residuals for the rank the honest interval is unbounded
  const q = rank > n ? Infinity : residuals[rank - 1]!
  return { method: 'cv-plus-absolute-residual', alpha, q, n }
}

export function interval(prediction: number, c: ConformalCalibration): [number, number] {
  return [prediction - c.q, prediction + c.q]
}
