import { describe, expect, it } from 'vitest'
import { applyBins, binAt, fitBins } from '../../src-main/ml/binning'
import { calibrate } from '../../src-main/ml/conformal'
import { kFolds, timeSplit } from '../../src-main/ml/cv'
import { domainChecker, fitDomain } from '../../src-main/ml/domain'
import type { Dataset } from '../../src-main/ml/dataset'
import { fitLearner } from '../../src-main/ml/fit'
import { FOREST_DEFAULTS, fitForest } from '../../src-main/ml/forest'
import { GBDT_DEFAULTS, fitGbdt } from '../../src-main/ml/gbdt'
import { regressionMetrics } from '../../src-main/ml/regression-metrics'
import { predict } from '../../src-main/ml/model'
import { exportOnnx } from '../../src-main/ml/onnx-export'
import { fitRidge } from '../../src-main/ml/ridge'
import { createRng } from '../../src-main/ml/rng'

const dataset = (rows: number[][], y: number[]): Dataset => ({
  n: rows.length,
  f: rows[0]!.length,
  x: Float32Array.from(rows.flat()),
  y: Float64Array.from(y),
})

/** Noisy nonlinear data with missing values in one feature. */
function synthetic(n: number, seed: number): Dataset {
  const rng = createRng(seed)
  const f = 4
  const x = new Float32Array(n * f)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) x[i * f + j] = rng.next() * 10
    if (rng.next() < 0.1) x[i * f + 1] = NaN
    const x1 = x[i * f + 1]!
    y[i] =
      Math.sin(x[i * f]!) +
      0.3 * x[i * f + 2]! +
      (Number.isNaN(x1) ? 2 : 0.1 * x1) +
      rng.next() * 0.2
  }
  return { n, f, x, y }
}

const oneTree = {
  ...GBDT_DEFAULTS,
  trees: 1,
  learningRate: 1,
  lambda: 0,
  minSamplesLeaf: 1,
  maxLeaves: 2,
  rowSubsample: 1,
  colSubsample: 1,
  earlyStoppingRounds: 0,
}

describe('binning', () => {
  it('puts each value in the first bin whose threshold is >= it, and NaN in the missing bin', () => {
    const m = { n: 6, f: 1, x: Float32Array.from([3, 1, 2, 2, NaN, 5]) }
    const mapper = fitBins(m)
    // distinct values 1, 2, 3, 5: thresholds are the largest value of each bin but the last
    expect(Array.from(mapper.thresholds[0]!)).toEqual([1, 2, 3])
    const binned = applyBins(mapper, m)
    expect([0, 1, 2, 3, 4, 5].map((i) => binAt(binned, i, 0))).toEqual([2, 0, 1, 1, 4, 3])
  })

  it('keeps at most 255 bins with float32 thresholds between neighbouring values', () => {
    const rng = createRng(3)
    const x = Float32Array.from({ length: 5000 }, () => rng.next() * 1e6)
    const mapper = fitBins({ n: x.length, f: 1, x })
    const t = mapper.thresholds[0]!
    expect(t.length).toBeLessThanOrEqual(254)
    for (let b = 1; b < t.length; b++) expect(t[b]!).toBeGreaterThan(t[b - 1]!)
    for (const v of t) expect(Math.fround(v)).toBe(v)
  })

  it('stores a mostly-zero feature sparse and reads the same bins back', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [i % 7, i % 10 === 0 ? 1 : 0])
    const m = dataset(
      rows,
      rows.map(() => 0),
    )
    const binned = applyBins(fitBins(m), m)
    expect(Array.from(binned.sparse)).toEqual([1])
    for (let i = 0; i < 50; i++) expect(binAt(binned, i, 1)).toBe(i % 10 === 0 ? 1 : 0)
  })
})

describe('gradient boosting', () => {
  it('makes the hand-calculated split and leaf values', () => {
    // mean 5; gradients (5, 5, -5, -5); the best split is x <= 2; leaves -G/H = -5 and +5
    const d = dataset([[1], [2], [3], [4]], [0, 0, 10, 10])
    const { model } = fitGbdt(d, oneTree)
    if (model.kind !== 'trees') throw new Error('expected trees')
    const tree = model.trees[0]!
    expect(model.base).toBe(5)
    expect(tree.threshold[0]).toBe(2)
    expect(tree.value[tree.left[0]!]).toBe(-5)
    expect(tree.value[tree.right[0]!]).toBe(5)
    expect(Array.from(predict(model, d))).toEqual([0, 0, 10, 10])
  })

  it('shrinks leaves by lambda: w = -G / (H + lambda)', () => {
    const d = dataset([[1], [2], [3], [4]], [0, 0, 10, 10])
    const { model } = fitGbdt(d, { ...oneTree, lambda: 2 })
    if (model.kind !== 'trees') throw new Error('expected trees')
    // left: G = 10, H = 2 -> -10 / 4 = -2.5
    expect(model.trees[0]!.value[model.trees[0]!.left[0]!]).toBe(-2.5)
  })

  it('learns which way missing values go', () => {
    const d = dataset([[1], [2], [NaN], [NaN], [8], [9]], [0, 0, 10, 10, 10, 10])
    const { model } = fitGbdt(d, oneTree)
    const p = predict(model, d)
    expect(Array.from(p)).toEqual([0, 0, 10, 10, 10, 10])
  })

  it('fits held-out data far better than the mean, and stops early', () => {
    const train = synthetic(3000, 1)
    const test = synthetic(1000, 2)
    const r = fitGbdt(train, { ...GBDT_DEFAULTS, trees: 2000, earlyStoppingRounds: 40 })
    const m = regressionMetrics(test.y, predict(r.model, test))
    expect(m.r2).toBeGreaterThan(0.9)
    expect(r.treesKept).toBeLessThan(2000)
  })

  it('gives the same model bytes for the same seed and different ones for another', () => {
    const d = synthetic(800, 4)
    const bytes = (seed: number) =>
      Buffer.from(exportOnnx(fitGbdt(d, { ...GBDT_DEFAULTS, trees: 50, seed }).model, {}))
    expect(bytes(7).equals(bytes(7))).toBe(true)
    expect(bytes(7).equals(bytes(8))).toBe(false)
  })
})

describe('random forest', () => {
  it('averages trees and gives out-of-bag predictions that generalise', () => {
    const d = synthetic(2000, 5)
    const test = synthetic(500, 6)
    const r = fitForest(d, { ...FOREST_DEFAULTS, trees: 60 })
    expect(regressionMetrics(test.y, predict(r.model, test)).r2).toBeGreaterThan(0.85)
    const oob = regressionMetrics(d.y, r.oob)
    // out-of-bag error estimates held-out error: it must not look like training error
    const trainR2 = regressionMetrics(d.y, predict(r.model, d)).r2
    expect(oob.r2).toBeLessThan(trainR2)
    expect(oob.r2).toBeGreaterThan(0.8)
  })

  it('without bootstrap or feature sampling and one tree, equals the mean of each leaf', () => {
    const d = dataset([[1], [2], [3], [4]], [0, 2, 10, 12])
    const r = fitForest(d, {
      ...FOREST_DEFAULTS,
      trees: 1,
      bootstrap: false,
      maxLeaves: 2,
      minSamplesLeaf: 1,
    })
    expect(Array.from(predict(r.model, d))).toEqual([1, 1, 11, 11])
  })
})

describe('ridge', () => {
  it('matches the closed-form solution on standardised features', () => {
    // y = 1 + 2 a - b exactly; with lambda = 0 the fit must be exact
    const rows = [
      [0, 1],
      [1, 0],
      [2, 3],
      [3, 1],
      [4, 4],
      [5, 2],
    ]
    const y = rows.map(([a, b]) => 1 + 2 * a! - b!)
    const d = dataset(rows, y)
    const exact = fitRidge(d, { lambda: 0 })
    expect(Array.from(predict(exact, d)).map((v) => Number(v.toFixed(9)))).toEqual(y)
    // one standardised feature: coef = S_zy / (S_zz + lambda) with S_zz = n
    const one = dataset([[1], [2], [3]], [1, 2, 6])
    const r = fitRidge(one, { lambda: 3 })
    const sd = Math.sqrt(2 / 3)
    const szy = ((1 - 2) / sd) * (1 - 3) + 0 + ((3 - 2) / sd) * (6 - 3)
    expect(r.coef[0]).toBeCloseTo(szy / (3 + 3), 10)
    expect(r.intercept).toBe(3)
  })
})

describe('evaluation', () => {
  it('computes RMSE, MAE, R² and Spearman as by hand', () => {
    const m = regressionMetrics([1, 2, 3, 4], [2, 2, 3, 5])
    expect(m.rmse).toBeCloseTo(Math.sqrt(2 / 4), 12)
    expect(m.mae).toBe(0.5)
    expect(m.r2).toBeCloseTo(1 - 2 / 5, 12)
    // ranks (1,2,3,4) vs (1.5,1.5,3,4): Pearson of ranks
    expect(m.spearman).toBeCloseTo(0.9486832980505138, 12)
  })

  it('deals rows into k folds of near-equal size, the same for the same seed', () => {
    const folds = kFolds(103, 5, 9)
    const sizes = [0, 1, 2, 3, 4].map((k) => folds.filter((v) => v === k).length)
    expect(sizes.sort()).toEqual([20, 20, 21, 21, 21])
    expect(Array.from(kFolds(103, 5, 9))).toEqual(Array.from(folds))
  })

  it('splits by time: the newest years test', () => {
    const years = [2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, NaN]
    const split = timeSplit(years, 0.2)!
    expect(Array.from(split)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0])
  })

  it('takes the ceil((n+1)(1-alpha))-th smallest residual as the conformal quantile', () => {
    const observed = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    const predicted = observed.map((v, i) => v + (i % 2 ? 1 : -1) * (i + 1))
    // |residuals| 1..9, n = 9, alpha 0.1: ceil(10 * 0.9) = 9th -> 9
    expect(calibrate(observed, predicted, 0.1).q).toBe(9)
    // alpha 0.5: ceil(10 * 0.5) = 5th -> 5
    expect(calibrate(observed, predicted, 0.5).q).toBe(5)
    // too few residuals for the level: an unbounded interval, never a falsely narrow one
    expect(calibrate([1, 2], [1, 2], 0.1).q).toBe(Infinity)
  })

  it('rejects a parameter the learner does not have', () => {
    expect(() => fitLearner('ridge', { trees: 3 }, synthetic(20, 1))).toThrow(
      /no parameter "trees"/,
    )
  })
})

describe('applicability domain', () => {
  it('finds the same nearest training compound as a brute-force search', () => {
    const train = synthetic(600, 21)
    const domain = fitDomain(train, [0, 1, 2, 3], 1)
    const check = domainChecker(domain)
    const probe = synthetic(200, 22)
    const buf = Buffer.from(domain.points, 'base64')
    const points = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
    for (let i = 0; i < probe.n; i++) {
      const row = probe.x.subarray(i * 4, i * 4 + 4)
      const q = [0, 1, 2, 3].map((k) =>
        Number.isNaN(row[k]!) ? 0 : (row[k]! - domain.mean[k]!) / domain.scale[k]!,
      )
      let best = Infinity
      for (let p = 0; p < domain.pointCount; p++) {
        let d = 0
        for (let k = 0; k < 4; k++) d += (points[p * 4 + k]! - q[k]!) ** 2
        best = Math.min(best, d)
      }
      expect(check(row).distance).toBeCloseTo(Math.sqrt(best), 5)
    }
    // far outside every range: out of the domain, naming the features
    const far = check(Float32Array.from([1e3, 1e3, 5, 5]))
    expect(far.inDomain).toBe(false)
    expect(far.outOfRange).toEqual([0, 1])
  })
})
