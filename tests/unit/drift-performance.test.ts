import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { performanceDrift } from '../../src-main/ml/drift/performance'
import { createRng } from '../../src-main/ml/rng'
import { normals, relativeDifference } from '../drift-scipy'
import { REPO_ROOT } from '../helpers'
import { AROMATASE, readTable } from '../reference-csv'

const PYTHON = process.env.DRIFT_REFERENCE_PYTHON ?? '/usr/bin/python3'

interface Reference {
  rmse: number
  mae: number
  r2: number
  spearman: number
  ciGiven?: [number, number]
  ciNumpy: [number, number]
  bootSd: number
}

function reference(spec: {
  observed: number[]
  predicted: number[]
  indices: number[][] | null
  resamples: number
  seed: number
}): Reference {
  const run = spawnSync(PYTHON, [join(REPO_ROOT, 'tests/fixtures/performance-reference.py')], {
    input: JSON.stringify(spec),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  })
  if (run.status !== 0)
    throw new Error(
      `${PYTHON} could not compute the reference figures (Debian: apt-get install python3-sklearn python3-scipy): ${run.stderr}`,
    )
  const raw = JSON.parse(run.stdout) as Record<string, string | string[]>
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.map(Number) : Number(v)]),
  ) as unknown as Reference
}

const close = (ours: number, theirs: number, tol: number, label: string) =>
  expect(
    relativeDifference(ours, theirs),
    `${label}: ours ${ours}, reference ${theirs}`,
  ).toBeLessThanOrEqual(tol)

const CV = { rmse: 0.7, mae: 0.55, r2: 0.6, spearman: 0.75 }

describe('performance drift equals scikit-learn, scipy and numpy on the same arrays', () => {
  // real measured potencies (aromatase pChEMBL values), and predictions that follow them with
  // noise, written with two decimals so both sides have ties
  let observed: number[]
  let predicted: number[]
  const resamples = 2000
  const seed = 7
  let ref: Reference
  beforeAll(() => {
    observed = readTable(AROMATASE, ';')
      .rows.map((r) => r['pChEMBL Value'] ?? '')
      .filter((v) => v !== '')
      .map(Number)
      .slice(0, 600)
    const noise = normals(observed.length, 0, 0.8, 3)
    predicted = observed.map((o, i) => Number((0.6 * o + 2.4 + noise[i]!).toFixed(2)))
    // the resamples our bootstrap draws: row k of resample b is the k-th rng.int(n) of seed 7
    const rng = createRng(seed)
    const n = observed.length
    const indices = Array.from({ length: resamples }, () =>
      Array.from({ length: n }, () => rng.int(n)),
    )
    ref = reference({ observed, predicted, indices, resamples, seed })
  }, 60_000)

  it('RMSE, MAE, R² and Spearman', () => {
    expect(observed).toHaveLength(600)
    const r = performanceDrift(observed, predicted, 1.2, CV, { seed })!
    expect(r.rows).toBe(600)
    close(r.rmse, ref.rmse, 1e-9, 'RMSE')
    close(r.mae, ref.mae, 1e-9, 'MAE')
    close(r.r2, ref.r2, 1e-9, 'R²')
    close(r.spearman, ref.spearman, 1e-9, 'Spearman')
    expect(r.cvRmse).toBe(0.7)
    expect(r.cvSpearman).toBe(0.75)
  })

  it('the bootstrap interval is numpy.percentile of the resampled RMSEs', () => {
    const r = performanceDrift(observed, predicted, 1.2, CV, { seed, resamples })!
    close(r.rmseCi[0], ref.ciGiven![0], 1e-9, 'CI low')
    close(r.rmseCi[1], ref.ciGiven![1], 1e-9, 'CI high')
    expect(r.rmseCi[0]).toBeLessThan(r.rmse)
    expect(r.rmseCi[1]).toBeGreaterThan(r.rmse)
  })

  it('agrees with a numpy bootstrap of its own draws within Monte Carlo error', () => {
    const r = performanceDrift(observed, predicted, 1.2, CV, { seed, resamples })!
    // A percentile of B resampled RMSEs has standard error sqrt(p (1 - p) / B) / f(x_p); with the
    // bootstrap distribution close to normal (sd s), f at the 2.5% point is phi(1.96) / s =
    // 0.0584 / s, so the standard error is 0.00349 / 0.0584 s = 0.060 s, and the difference of
    // two independent estimates sqrt(2) * 0.060 s = 0.085 s. Four of those: 0.34 s.
    const tol = 4 * 0.085 * ref.bootSd
    expect(Math.abs(r.rmseCi[0] - ref.ciNumpy[0])).toBeLessThan(tol)
    expect(Math.abs(r.rmseCi[1] - ref.ciNumpy[1])).toBeLessThan(tol)
    // and the interval is not trivially wide: about 2 x 1.96 s
    expect(r.rmseCi[1] - r.rmseCi[0]).toBeGreaterThan(3.5 * ref.bootSd)
    expect(r.rmseCi[1] - r.rmseCi[0]).toBeLessThan(4.4 * ref.bootSd)
  })

  it('a constant measured value: R² as r2_score gives it, Spearman NaN as spearmanr', () => {
    const o = [5, 5, 5, 5]
    const p = [5.1, 4.8, 5.3, 5]
    const r = performanceDrift(o, p, 1, CV)!
    const e = reference({ observed: o, predicted: p, indices: null, resamples: 10, seed: 1 })
    expect(r.r2).toBe(e.r2)
    expect(r.r2).toBe(0)
    expect(e.spearman).toBeNaN()
    expect(r.spearman).toBeNaN()
    expect(performanceDrift(o, o, 1, CV)!.r2).toBe(1)
  })
})

describe('coverage and the degraded verdict, by hand', () => {
  // errors (predicted - observed): 0.5, 0, 1, 0.9, 1.2
  const observed = [1, 2, 3, 4, 5]
  const predicted = [1.5, 2, 4, 4.9, 6.2]

  it('counts a measured value inside the interval, its edge included', () => {
    expect(performanceDrift(observed, predicted, 1, CV)!.coverage).toBe(4 / 5)
    expect(performanceDrift(observed, predicted, 0.95, CV)!.coverage).toBe(3 / 5)
    expect(performanceDrift(observed, predicted, 2, CV)!.coverage).toBe(1)
  })

  it('is degraded exactly when coverage < 0.8 or the RMSE interval lies wholly above the CV RMSE', () => {
    // coverage 0.8 exactly, and a CV RMSE above the whole interval: not degraded
    const atEdge = performanceDrift(observed, predicted, 1, { ...CV, rmse: 5 })!
    expect(atEdge.degraded).toBe(false)
    expect(atEdge.reasons).toEqual([])
    // coverage 0.6: degraded, for that reason alone
    const low = performanceDrift(observed, predicted, 0.95, { ...CV, rmse: 5 })!
    expect(low.degraded).toBe(true)
    expect(low.reasons).toHaveLength(1)
    expect(low.reasons[0]).toMatch(/Only 60% of measured values fall inside the 90% interval/)

    // the interval against the CV RMSE: 300 rows with errors of 0.5 to 1.5
    const n = 300
    const o = Array.from({ length: n }, (_, i) => 5 + (i % 7) * 0.3)
    const p = o.map((v, i) => v + 0.5 + (i % 11) / 10)
    const r = performanceDrift(o, p, 10, CV)!
    const [low95, high95] = r.rmseCi
    expect(low95).toBeLessThan(high95)
    const at = (cvRmse: number) => performanceDrift(o, p, 10, { ...CV, rmse: cvRmse })!
    expect(at(low95 * 0.999).degraded).toBe(true)
    expect(at(low95 * 0.999).reasons[0]).toMatch(/lies wholly above the cross-validated RMSE/)
    // the CV RMSE on the interval's lower end or inside it: not wholly above
    expect(at(low95).degraded).toBe(false)
    expect(at((low95 + high95) / 2).degraded).toBe(false)
    expect(at(high95 * 1.5).degraded).toBe(false)
    // both reasons at once
    const both = performanceDrift(o, p, 0.1, { ...CV, rmse: 0.1 })!
    expect(both.reasons).toHaveLength(2)
  })

  it('uses rows with both values, needs two, and is repeatable', () => {
    const r = performanceDrift([1, NaN, 3, 4, Infinity], [1.5, 2, NaN, 4.5, 5], 1, CV)!
    expect(r.rows).toBe(2)
    expect(r.rmse).toBeCloseTo(0.5, 12)
    expect(performanceDrift([1, NaN], [1, 2], 1, CV)).toBeNull()
    expect(() => performanceDrift([1, 2], [1], 1, CV)).toThrow(/differ in number/)
    const o = normals(200, 6, 1, 9)
    const p = normals(200, 6, 1, 10)
    expect(performanceDrift(o, p, 1.5, CV, { seed: 4 })).toEqual(
      performanceDrift(o, p, 1.5, CV, { seed: 4 }),
    )
    expect(performanceDrift(o, p, 1.5, CV, { seed: 4 })!.rmseCi).not.toEqual(
      performanceDrift(o, p, 1.5, CV, { seed: 5 })!.rmseCi,
    )
  })
})
