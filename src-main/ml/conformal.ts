import { type DifficultyModel, difficultyOf } from './difficulty'

/**
 * Conformal intervals from out-of-fold residuals (DESIGN.md section 6).
 *
 * Two forms are stored with models. The old one (`cv-plus-absolute-residual`) gives every
 * prediction the same interval, prediction +- q, q the ceil((n + 1)(1 - alpha))-th smallest
 * absolute residual: models registered before adaptive intervals keep reading it as they did.
 * The new one (`normalised-mondrian-cv-plus`) scales the interval by a difficulty estimate
 * sigma(x): each calibration row's score is |y - yhat| / sigma(x), q is the same rank of the
 * scores, and the interval is yhat +- q * sigma(x). Scores are ranked separately in each bin of
 * predicted value (Mondrian), because one q over all rows covered the potent end of a set far
 * less often (54-75%) than the middle.
 */
export interface ConformalCalibration {
  method: 'cv-plus-absolute-residual'
  alpha: number
  q: number
  n: number
}

export interface NormalisedCalibration {
  method: 'normalised-mondrian-cv-plus'
  alpha: number
  /** bin edges over predicted pActivity: bin b holds predictions in (edges[b-1], edges[b]] */
  edges: number[]
  /** the score quantile of each bin (a multiplier of sigma); Infinity when a bin is too small */
  q: number[]
  /** calibration rows in each bin */
  n: number[]
  /** the smallest sigma a prediction is given, so an "easy" row never gets a zero-width interval */
  sigmaFloor: number
  /** median half-width on the calibration rows, for lists that show one number per model */
  medianHalfWidth: number
  difficulty: DifficultyModel
}

export type Calibration = ConformalCalibration | NormalisedCalibration

/** The CV+ rank: the ceil((n + 1)(1 - alpha))-th smallest score (1-based). */
export function conformalRank(n: number, alpha: number): number {
  return Math.ceil((n + 1) * (1 - alpha))
}

/** The conformal quantile of finite scores; Infinity when there are too few for the rank. */
export function conformalQuantile(scores: ArrayLike<number>, alpha: number): number {
  const s = Array.from(scores).filter((v) => Number.isFinite(v))
  s.sort((a, b) => a - b)
  const rank = conformalRank(s.length, alpha)
  return rank > s.length ? Infinity : (s[rank - 1] as number)
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
  return {
    method: 'cv-plus-absolute-residual',
    alpha,
    q: conformalQuantile(residuals, alpha),
    n: residuals.length,
  }
}

/**
 * Edges splitting predictions into `bins` groups of (nearly) equal size: the (b/bins)-quantiles,
 * b = 1 .. bins-1, each the value of a sorted prediction (lower quantile, no interpolation).
 */
export function binEdges(predicted: ArrayLike<number>, bins: number): number[] {
  const s = Array.from(predicted).filter((v) => Number.isFinite(v))
  s.sort((a, b) => a - b)
  const edges: number[] = []
  for (let b = 1; b < bins; b++) {
    if (s.length === 0) break
    edges.push(s[Math.max(0, Math.ceil((s.length * b) / bins) - 1)] as number)
  }
  return edges
}

/** The bin of a prediction: the first edge it does not exceed, else the last bin. */
export function binOf(edges: readonly number[], p: number): number {
  let b = 0
  while (b < edges.length && p > (edges[b] as number)) b++
  return b
}

/** Fewest calibration rows a Mondrian bin may have; smaller sets use one bin. */
export const MIN_ROWS_PER_BIN = 50

export interface NormalisedInput {
  observed: ArrayLike<number>
  predicted: ArrayLike<number>
  /** the difficulty of each row, each from a difficulty model that did not learn from that row */
  sigma: ArrayLike<number>
  alpha?: number
  /** Mondrian bins of predicted value (1: a single q) */
  bins?: number
}

/** q per bin from normalised scores, without the difficulty model (for held-out evaluations). */
export function normalisedQuantiles(input: NormalisedInput): {
  edges: number[]
  q: number[]
  n: number[]
} {
  const alpha = input.alpha ?? 0.1
  const n = input.observed.length
  const bins = Math.max(1, Math.min(input.bins ?? 5, Math.floor(n / MIN_ROWS_PER_BIN)))
  const edges = binEdges(input.predicted, bins)
  const scores: number[][] = Array.from({ length: edges.length + 1 }, () => [])
  for (let i = 0; i < n; i++) {
    const p = input.predicted[i] as number
    const s = Math.abs((input.observed[i] as number) - p) / (input.sigma[i] as number)
    if (Number.isFinite(s)) scores[binOf(edges, p)]!.push(s)
  }
  return {
    edges,
    q: scores.map((s) => conformalQuantile(s, alpha)),
    n: scores.map((s) => s.length),
  }
}

/** The full calibration stored with a model: bins, q per bin and the difficulty model. */
export function calibrateNormalised(
  input: NormalisedInput & { difficulty: DifficultyModel; sigmaFloor: number },
): NormalisedCalibration {
  const { edges, q, n } = normalisedQuantiles(input)
  const halves: number[] = []
  for (let i = 0; i < input.observed.length; i++) {
    const p = input.predicted[i] as number
    const h = (q[binOf(edges, p)] as number) * (input.sigma[i] as number)
    if (Number.isFinite(h)) halves.push(h)
  }
  halves.sort((a, b) => a - b)
  return {
    method: 'normalised-mondrian-cv-plus',
    alpha: input.alpha ?? 0.1,
    edges,
    q,
    n,
    sigmaFloor: input.sigmaFloor,
    medianHalfWidth: halves.length ? (halves[Math.floor(halves.length / 2)] as number) : NaN,
    difficulty: input.difficulty,
  }
}

/** pActivity cannot be negative (a value above 1 M); an interval never reaches below 0. */
export function floorAtZero(low: number): number {
  return low < 0 ? 0 : low
}

/** The interval of a prediction whose difficulty is `sigma` (ignored by the old, constant form). */
export function intervalWith(c: Calibration, prediction: number, sigma: number): [number, number] {
  const half =
    c.method === 'cv-plus-absolute-residual'
      ? c.q
      : (c.q[binOf(c.edges, prediction)] as number) * Math.max(sigma, c.sigmaFloor)
  return [floorAtZero(prediction - half), prediction + half]
}

/**
 * Intervals for rows of features (row-major, `f` per row) and their predictions: the difficulty
 * model runs on each row exactly as it was stored (see difficulty.ts).
 */
export function intervalsFor(
  c: Calibration,
  x: Float32Array,
  f: number,
  predictions: ArrayLike<number>,
): { low: Float64Array; high: Float64Array; sigma: Float64Array | null } {
  const n = predictions.length
  const low = new Float64Array(n)
  const high = new Float64Array(n)
  const sigma = c.method === 'cv-plus-absolute-residual' ? null : new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const p = predictions[i] as number
    const s = c.method === 'cv-plus-absolute-residual' ? 1 : difficultyOf(c.difficulty, x, i * f)
    if (sigma) sigma[i] = s
    const [lo, hi] = intervalWith(c, p, s)
    low[i] = lo
    high[i] = hi
  }
  return { low, high, sigma }
}

/** Old callers: the constant-width interval (floored at 0). */
export function interval(prediction: number, c: ConformalCalibration): [number, number] {
  return intervalWith(c, prediction, 1)
}

/** One number per model for lists: the constant half-width, or the median adaptive one. */
export function typicalHalfWidth(c: Calibration): number {
  return c.method === 'cv-plus-absolute-residual' ? c.q : c.medianHalfWidth
}
