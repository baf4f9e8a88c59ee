import { binEdges, binOf, floorAtZero, normalisedQuantiles } from './conformal'
import { foldRows } from './cv'
import type { Matrix } from './dataset'
import { difficultyOf, fitDifficulty } from './difficulty'
import { pearson, ranks } from './regression-metrics'

/**
 * Interval coverage measured on rows whose residuals did not set the interval: the only coverage
 * worth showing (on the calibration residuals it is 1 - alpha by construction).
 */
export interface CoverageReport {
  rows: number
  /** share of rows whose observed value lies in its interval */
  coverage: number
  /** by fifth of predicted pActivity, lowest first */
  byFifth: { from: number; to: number; rows: number; coverage: number }[]
  /** Spearman correlation of interval width with absolute error (NaN when widths are constant) */
  widthErrorSpearman: number
  meanWidth: number
}

/** Coverage, per-fifth coverage and width/error correlation of given intervals. */
export function coverageReport(
  observed: ArrayLike<number>,
  predicted: ArrayLike<number>,
  low: ArrayLike<number>,
  high: ArrayLike<number>,
): CoverageReport {
  const idx: number[] = []
  for (let i = 0; i < observed.length; i++)
    if (Number.isFinite(observed[i]!) && Number.isFinite(predicted[i]!)) idx.push(i)
  const inside = (i: number) => observed[i]! >= low[i]! && observed[i]! <= high[i]!
  const edges = binEdges(
    idx.map((i) => predicted[i]!),
    5,
  )
  const fifths = Array.from({ length: edges.length + 1 }, () => ({
    from: Infinity,
    to: -Infinity,
    rows: 0,
    hit: 0,
  }))
  let hit = 0
  let width = 0
  for (const i of idx) {
    const p = predicted[i]!
    const b = fifths[binOf(edges, p)]!
    b.rows++
    b.from = Math.min(b.from, p)
    b.to = Math.max(b.to, p)
    if (inside(i)) {
      hit++
      b.hit++
    }
    width += high[i]! - low[i]!
  }
  const widths = idx.map((i) => high[i]! - low[i]!)
  const errors = idx.map((i) => Math.abs(observed[i]! - predicted[i]!))
  const constant = widths.every((w) => w === widths[0])
  return {
    rows: idx.length,
    coverage: idx.length ? hit / idx.length : NaN,
    byFifth: fifths
      .filter((b) => b.rows > 0)
      .map((b) => ({ from: b.from, to: b.to, rows: b.rows, coverage: b.hit / b.rows })),
    widthErrorSpearman: constant || idx.length < 3 ? NaN : pearson(ranks(widths), ranks(errors)),
    meanWidth: idx.length ? width / idx.length : NaN,
  }
}

export interface HeldOutInput {
  /** the features of every row */
  m: Matrix
  observed: ArrayLike<number>
  /** a prediction per row from a model that did not learn from that row */
  predicted: ArrayLike<number>
  /** rows whose residuals calibrate */
  calibrationRows: ArrayLike<number>
  /** rows whose coverage is measured */
  testRows: ArrayLike<number>
  alpha?: number
  bins?: number
  seed?: number
}

/**
 * Calibrates on `calibrationRows` alone (difficulty model and per-bin q), applies the intervals
 * to `testRows` and returns their bounds in the order of `testRows`.
 */
export function heldOutIntervals(input: HeldOutInput): { low: Float64Array; high: Float64Array } {
  const cal = Int32Array.from(input.calibrationRows)
  const test = Int32Array.from(input.testRows)
  const difficulty = fitDifficulty(input.m, input.observed, input.predicted, {
    rows: cal,
    seed: input.seed ?? 1,
  })
  const { edges, q } = normalisedQuantiles({
    observed: Array.from(cal, (r) => input.observed[r]!),
    predicted: Array.from(cal, (r) => input.predicted[r]!),
    sigma: difficulty.oofSigma,
    alpha: input.alpha ?? 0.1,
    bins: input.bins ?? 5,
  })
  const low = new Float64Array(test.length)
  const high = new Float64Array(test.length)
  test.forEach((r, i) => {
    const p = input.predicted[r]!
    const s = Math.max(
      difficulty.sigmaFloor,
      difficultyOf(difficulty.model, input.m.x, r * input.m.f),
    )
    const half = q[binOf(edges, p)]! * s
    low[i] = floorAtZero(p - half)
    high[i] = p + half
  })
  return { low, high }
}

/** Coverage on held-out rows of a calibration made without them. */
export function heldOutCoverage(input: HeldOutInput): CoverageReport {
  const { low, high } = heldOutIntervals(input)
  const test = Array.from(input.testRows)
  return coverageReport(
    test.map((r) => input.observed[r]!),
    test.map((r) => input.predicted[r]!),
    low,
    high,
  )
}

/**
 * Nested cross-validated coverage: for each outer fold, the difficulty model and q are fitted on
 * the other folds' out-of-fold residuals only and the fold's own rows are measured; the folds'
 * intervals are pooled into one report.
 */
export function nestedCoverage(
  m: Matrix,
  observed: ArrayLike<number>,
  oof: ArrayLike<number>,
  folds: Int32Array,
  k: number,
  options: { alpha?: number; bins?: number; seed?: number } = {},
): CoverageReport {
  const n = observed.length
  const low = new Float64Array(n).fill(NaN)
  const high = new Float64Array(n).fill(NaN)
  for (let fold = 0; fold < k; fold++) {
    const testRows = foldRows(folds, fold, true)
    if (testRows.length === 0) continue
    const r = heldOutIntervals({
      m,
      observed,
      predicted: oof,
      calibrationRows: foldRows(folds, fold, false),
      testRows,
      ...options,
      seed: (options.seed ?? 1) + fold,
    })
    testRows.forEach((row, i) => {
      low[row] = r.low[i]!
      high[row] = r.high[i]!
    })
  }
  return coverageReport(observed, oof, low, high)
}

/**
 * Coverage of a random split in one call (for benchmarks): calibrate on the training part's
 * out-of-fold predictions, then measure on the test part predicted by a model fitted on the
 * training part.
 */
export function splitCoverage(
  train: Matrix,
  trainY: ArrayLike<number>,
  trainOof: ArrayLike<number>,
  test: Matrix,
  testY: ArrayLike<number>,
  testPredicted: ArrayLike<number>,
  options: { alpha?: number; bins?: number; seed?: number } = {},
): CoverageReport {
  const difficulty = fitDifficulty(train, trainY, trainOof, { seed: options.seed ?? 1 })
  const { edges, q } = normalisedQuantiles({
    observed: trainY,
    predicted: trainOof,
    sigma: difficulty.oofSigma,
    alpha: options.alpha ?? 0.1,
    bins: options.bins ?? 5,
  })
  const low = new Float64Array(test.n)
  const high = new Float64Array(test.n)
  for (let i = 0; i < test.n; i++) {
    const p = testPredicted[i]!
    const s = Math.max(difficulty.sigmaFloor, difficultyOf(difficulty.model, test.x, i * test.f))
    const half = q[binOf(edges, p)]! * s
    low[i] = floorAtZero(p - half)
    high[i] = p + half
  }
  return coverageReport(testY, testPredicted, low, high)
}
