import { kFolds, foldRows } from './cv'
import type { Dataset, Matrix } from './dataset'
import { takeDataset, takeRows } from './dataset'
import { GBDT_DEFAULTS, fitGbdt } from './gbdt'
import { type TreeEnsemble, predict } from './model'

/**
 * The difficulty model of normalised conformal intervals: a small gradient-boosted model on the
 * model's own features that predicts a compound's absolute out-of-fold error. Stored in the model
 * JSON as plain arrays and evaluated by `difficultyOf` in float32 comparisons, exactly as the
 * trees were trained, so every prediction path (single, batch, HTTP, an exported bundle) gives
 * the same interval without a second ONNX graph.
 */
export interface DifficultyModel {
  kind: 'gbdt-absolute-residual'
  f: number
  base: number
  trees: DifficultyTree[]
}

export interface DifficultyTree {
  feature: number[]
  /** float32 values, compared in float32 */
  threshold: number[]
  left: number[]
  right: number[]
  missingLeft: number[]
  value: number[]
}

/** Small on purpose: it learns a trend of error size, and runs for every prediction. */
export const DIFFICULTY_PARAMS = {
  ...GBDT_DEFAULTS,
  trees: 150,
  learningRate: 0.05,
  maxLeaves: 8,
  maxDepth: 4,
  minSamplesLeaf: 20,
  colSubsample: 0.5,
  earlyStoppingRounds: 20,
}

/** The share of the mean absolute error below which sigma is not allowed to fall. */
export const SIGMA_FLOOR_SHARE = 0.25

export function toDifficultyModel(m: TreeEnsemble): DifficultyModel {
  return {
    kind: 'gbdt-absolute-residual',
    f: m.f,
    base: Math.fround(m.base),
    trees: m.trees.map((t) => ({
      feature: Array.from(t.feature),
      threshold: Array.from(t.threshold),
      left: Array.from(t.left),
      right: Array.from(t.right),
      missingLeft: Array.from(t.missingLeft),
      value: Array.from(t.value, (v) => Math.fround(v)),
    })),
  }
}

/** The model's estimate for the row starting at `at` in `x` (float32 features, as trained). */
export function difficultyOf(m: DifficultyModel, x: Float32Array, at: number): number {
  let s = 0
  for (const t of m.trees) {
    let node = 0
    while (t.left[node]! !== -1) {
      const v = x[at + t.feature[node]!]!
      const goLeft = Number.isNaN(v) ? t.missingLeft[node] === 1 : v <= t.threshold[node]!
      node = goLeft ? t.left[node]! : t.right[node]!
    }
    s += Math.fround(t.value[node]!)
  }
  return Math.fround(s + m.base)
}

function fitOn(data: Dataset, seed: number): TreeEnsemble {
  return fitGbdt(data, { ...DIFFICULTY_PARAMS, seed }).model
}

export interface FittedDifficulty {
  model: DifficultyModel
  /** sigma of each row from a difficulty model that did not learn from that row, floored */
  oofSigma: Float64Array
  sigmaFloor: number
}

/**
 * Fits the difficulty model on (features, |observed - out-of-fold prediction|): once on every
 * row for prediction time, and k-fold so that each row's own sigma comes from a model that never
 * saw its residual; scoring a row with a sigma that learnt its residual would make its score
 * smaller than a new compound's, and the interval too narrow.
 */
export function fitDifficulty(
  m: Matrix,
  observed: ArrayLike<number>,
  oof: ArrayLike<number>,
  options: { folds?: number; seed?: number; rows?: ArrayLike<number> } = {},
): FittedDifficulty {
  const seed = options.seed ?? 1
  const rows = options.rows ? Int32Array.from(options.rows) : null
  const all: Dataset = {
    n: m.n,
    f: m.f,
    x: m.x,
    y: Float64Array.from({ length: m.n }, (_, i) => Math.abs(observed[i]! - oof[i]!)),
  }
  const data = rows ? takeDataset(all, rows) : all
  let meanAbs = 0
  for (let i = 0; i < data.n; i++) meanAbs += data.y[i]!
  meanAbs = data.n ? meanAbs / data.n : 0
  const sigmaFloor = Math.max(1e-6, SIGMA_FLOOR_SHARE * meanAbs)
  const k = Math.min(options.folds ?? 5, data.n)
  const folds = kFolds(data.n, k, seed ^ 0x5bd1e995)
  const oofSigma = new Float64Array(data.n)
  for (let fold = 0; fold < k; fold++) {
    const test = foldRows(folds, fold, true)
    const model = fitOn(takeDataset(data, foldRows(folds, fold, false)), seed + fold)
    const p = predict(model, takeRows(data, test))
    test.forEach((r, i) => (oofSigma[r] = Math.max(sigmaFloor, p[i]!)))
  }
  return { model: toDifficultyModel(fitOn(data, seed)), oofSigma, sigmaFloor }
}
