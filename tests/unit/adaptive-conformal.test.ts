import { describe, expect, it } from 'vitest'
import {
  type ConformalCalibration,
  type NormalisedCalibration,
  binEdges,
  binOf,
  calibrateNormalised,
  conformalQuantile,
  conformalRank,
  intervalWith,
  intervalsFor,
  normalisedQuantiles,
} from '../../src-main/ml/conformal'
import { coverageReport } from '../../src-main/ml/coverage'
import { type DifficultyModel, difficultyOf } from '../../src-main/ml/difficulty'
import {
  FP_BYTES,
  fitSimilarityDomain,
  looNearestSimilarities,
  lowerQuantile,
  domainReport,
  nearestSimilarities,
} from '../../src-main/ml/similarity-domain'

/** A difficulty model of one stump: sigma 1 when feature 0 <= 0.5, else 3 (hand-made). */
const stump: DifficultyModel = {
  kind: 'gbdt-absolute-residual',
  f: 1,
  base: 0,
  trees: [
    {
      feature: [0, 0, 0],
      threshold: [0.5, 0, 0],
      left: [1, -1, -1],
      right: [2, -1, -1],
      missingLeft: [1, 0, 0],
      value: [0, 1, 3],
    },
  ],
}

describe('conformal ranks and quantiles', () => {
  it('uses the ceil((n + 1)(1 - alpha))-th smallest score', () => {
    // n = 9, alpha 0.1: ceil(10 * 0.9) = 9; n = 19: ceil(20 * 0.9) = 18; n = 8: ceil(8.1) = 9 > 8
    expect(conformalRank(9, 0.1)).toBe(9)
    expect(conformalRank(19, 0.1)).toBe(18)
    expect(conformalQuantile([5, 1, 4, 2, 3, 9, 8, 7, 6], 0.1)).toBe(9)
    expect(conformalQuantile([5, 1, 4, 2, 3, 9, 8, 7, 6], 0.5)).toBe(5)
    expect(conformalQuantile([1, 2, 3, 4, 5, 6, 7, 8], 0.1)).toBe(Infinity)
    // non-finite scores (a missing label) are not counted
    expect(conformalQuantile([NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.1)).toBe(9)
  })

  it('scores are |y - yhat| / sigma, so a hard row with a large error does not widen easy rows', () => {
    // 19 rows with prediction 5: errors 0.1..1.9 on easy rows (sigma 1) would give q = 1.8 by
    // rank 18; the same errors on hard rows (sigma 2) halve the scores: q = 0.9
    const observed = Array.from({ length: 19 }, (_, i) => 5 + (i + 1) / 10)
    const predicted = new Array<number>(19).fill(5)
    const easy = normalisedQuantiles({ observed, predicted, sigma: new Array(19).fill(1), bins: 1 })
    const hard = normalisedQuantiles({ observed, predicted, sigma: new Array(19).fill(2), bins: 1 })
    expect(easy.q[0]).toBeCloseTo(1.8, 12)
    expect(hard.q[0]).toBeCloseTo(0.9, 12)
  })
})

describe('Mondrian bins of predicted value', () => {
  it('cuts at the lower quantiles and puts a value on an edge in the lower bin', () => {
    const p = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    // fifths of 10 values: the 2nd, 4th, 6th and 8th smallest
    expect(binEdges(p, 5)).toEqual([2, 4, 6, 8])
    expect(binOf([2, 4, 6, 8], 2)).toBe(0)
    expect(binOf([2, 4, 6, 8], 2.0001)).toBe(1)
    expect(binOf([2, 4, 6, 8], 9)).toBe(4)
    expect(binOf([2, 4, 6, 8], -100)).toBe(0)
  })

  it('gives each bin its own q, and uses one bin when there are too few rows for five', () => {
    // 250 rows: predictions 0..9.96, the upper half with errors ten times larger
    const predicted = Array.from({ length: 250 }, (_, i) => i / 25)
    const observed = predicted.map((p, i) => p + (i >= 125 ? 10 : 1) * (((i * 7) % 10) / 10))
    const sigma = new Array<number>(250).fill(1)
    const r = normalisedQuantiles({ observed, predicted, sigma, bins: 5 })
    expect(r.edges).toHaveLength(4)
    expect(r.n).toEqual([50, 50, 50, 50, 50])
    // rows 0..49 have errors (i*7 % 10)/10: the rank-46 of 50 is 0.9; the top bin ten times that
    expect(r.q[0]).toBeCloseTo(0.9, 12)
    expect(r.q[4]).toBeCloseTo(9, 12)
    const small = normalisedQuantiles({
      observed: observed.slice(0, 99),
      predicted: predicted.slice(0, 99),
      sigma: sigma.slice(0, 99),
      bins: 5,
    })
    expect(small.edges).toHaveLength(0)
    expect(small.q).toHaveLength(1)
  })
})

describe('intervals', () => {
  const adaptive: NormalisedCalibration = {
    method: 'normalised-mondrian-cv-plus',
    alpha: 0.1,
    edges: [6],
    q: [1.5, 2],
    n: [50, 50],
    sigmaFloor: 0.2,
    medianHalfWidth: 1,
    difficulty: stump,
  }

  it('is prediction +- q(bin) * sigma(x), sigma never below its floor, never below 0 pActivity', () => {
    expect(intervalWith(adaptive, 5, 1)).toEqual([3.5, 6.5])
    expect(intervalWith(adaptive, 7, 1)).toEqual([5, 9])
    // sigma 0.05 is raised to the floor 0.2: 5 +- 0.3
    expect(intervalWith(adaptive, 5, 0.05)[1]).toBeCloseTo(5.3, 12)
    // 1 - 1.5 * 3 = -3.5 is floored at 0
    expect(intervalWith(adaptive, 1, 3)).toEqual([0, 5.5])
    const old: ConformalCalibration = {
      method: 'cv-plus-absolute-residual',
      alpha: 0.1,
      q: 2,
      n: 9,
    }
    // the old form ignores sigma: constant width, also floored
    expect(intervalWith(old, 5, 100)).toEqual([3, 7])
    expect(intervalWith(old, 1, 100)).toEqual([0, 3])
  })

  it('runs the stored difficulty model on each feature row, in float32 as trained', () => {
    const x = Float32Array.of(0.2, 0.9, NaN, 0.5)
    expect(Array.from(x, (_, i) => difficultyOf(stump, x, i))).toEqual([1, 3, 1, 1])
    const { low, high, sigma } = intervalsFor(adaptive, x, 1, [5, 5, 7, 7])
    expect(Array.from(sigma!)).toEqual([1, 3, 1, 1])
    expect(Array.from(low)).toEqual([3.5, 0.5, 5, 5])
    expect(Array.from(high)).toEqual([6.5, 9.5, 9, 9])
  })

  it('calibrates with out-of-fold sigmas and records the median half-width', () => {
    const observed = [1, 2, 3, 4]
    const predicted = [1.5, 2.5, 3.5, 4.5]
    const c = calibrateNormalised({
      observed,
      predicted,
      sigma: [0.5, 0.5, 1, 1],
      bins: 1,
      alpha: 0.5,
      difficulty: stump,
      sigmaFloor: 0.1,
    })
    // scores 1, 1, 0.5, 0.5; n = 4, alpha 0.5: rank ceil(5 * 0.5) = 3: q = 1
    expect(c.q).toEqual([1])
    // half-widths 0.5, 0.5, 1, 1: the median (upper middle) is 1
    expect(c.medianHalfWidth).toBe(1)
  })
})

describe('coverage report', () => {
  it('counts rows inside their interval overall and per fifth, and correlates width with error', () => {
    const predicted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    const observed = [1, 2.5, 3, 4, 6, 6, 7, 8, 9, 14]
    const half = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]
    const r = coverageReport(
      observed,
      predicted,
      predicted.map((p, i) => p - half[i]!),
      predicted.map((p, i) => p + half[i]!),
    )
    // outside: row 2 (error 0.5 > 0.2), row 5 (1 > 0.5), row 10 (4 > 1)
    expect(r.coverage).toBeCloseTo(0.7, 12)
    expect(r.byFifth.map((b) => b.coverage)).toEqual([0.5, 1, 0.5, 1, 0.5])
    expect(r.byFifth.map((b) => b.rows)).toEqual([2, 2, 2, 2, 2])
    // scipy.stats.spearmanr(half, |errors|).correlation = 0.1565900178643122
    expect(r.widthErrorSpearman).toBeCloseTo(0.1565900178643122, 12)
  })
})

/** A packed 2048-bit fingerprint with the given bits set. */
function fp(...bits: number[]): Uint8Array {
  const out = new Uint8Array(FP_BYTES)
  for (const b of bits) out[b >> 3]! |= 1 << (b & 7)
  return out
}

function pack(fps: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(fps.length * FP_BYTES)
  fps.forEach((f, i) => out.set(f, i * FP_BYTES))
  return out
}

describe('structural domain', () => {
  // A = {1,2,3,4}, B = {1,2,3,5}, C = {100,200}, D = {1,2,3,4,2047}
  const A = fp(1, 2, 3, 4)
  const B = fp(1, 2, 3, 5)
  const C = fp(100, 200)
  const D = fp(1, 2, 3, 4, 2047)
  const set = pack([A, B, C, D])

  it('finds each training compound its nearest other one (leave-one-out Tanimoto)', () => {
    // A-B 3/5, A-D 4/5, B-D 3/6, C shares nothing with anyone
    expect(Array.from(looNearestSimilarities(set, 4))).toEqual([0.8, 0.6, 0, 0.8])
  })

  it('sets the threshold from a low percentile of those similarities', () => {
    expect(lowerQuantile([0.8, 0.6, 0, 0.8], 0)).toBe(0)
    expect(lowerQuantile([0.8, 0.6, 0, 0.8], 0.5)).toBe(0.6)
    expect(lowerQuantile([0.8, 0.6, 0, 0.8], 1)).toBe(0.8)
    // floor(0.4 * 3) = 1: the second smallest
    expect(fitSimilarityDomain(set, 4, 0.4).threshold).toBe(0.6)
  })

  it('finds a query its nearest stored fingerprint', () => {
    const domain = fitSimilarityDomain(set, 4, 0.4)
    const stored = Buffer.from(domain.fingerprints, 'base64')
    expect(stored.equals(Buffer.from(set))).toBe(true)
    // {1,2,3,4}: A itself; {100,200,300}: C shares 2 of 3; {1500}: nothing in common
    const sims = nearestSimilarities(set, pack([fp(1, 2, 3, 4), fp(100, 200, 300), fp(1500)]))
    expect(sims[0]).toBe(1)
    expect(sims[1]).toBeCloseTo(2 / 3, 15)
    expect(sims[2]).toBe(0)
  })

  it('reports how the domain separates held-out errors', () => {
    // threshold at percentile 0.4 is 0.6 (above); queries: A itself (1), {100,200,300} (2/3),
    // {1500} (0), and A again but outside by its descriptors
    const r = domainReport({
      trainFingerprints: set,
      testFingerprints: pack([A, fp(100, 200, 300), fp(1500), A]),
      descriptorOutside: [0, 0, 0, 1],
      observed: [5, 5, 5, 5],
      predicted: [5.3, 4.9, 7, 6],
      percentile: 0.4,
    })
    expect(r.threshold).toBe(0.6)
    expect(r.outside).toBe(2)
    // inside: errors 0.3 and 0.1: sqrt((0.09 + 0.01) / 2); outside: 2 and 1: sqrt(5 / 2)
    expect(r.rmseInside).toBeCloseTo(Math.sqrt(0.05), 12)
    expect(r.rmseOutside).toBeCloseTo(Math.sqrt(2.5), 12)
    expect(r.lowSimilarityRows).toBe(1)
    expect(r.lowSimilarityFlagged).toBe(1)
  })
})
