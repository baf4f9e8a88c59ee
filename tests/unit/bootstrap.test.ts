import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { pairedRmseBootstrap, percentileSorted } from '../../src-main/ml/bootstrap'
import { createRng } from '../../src-main/ml/rng'
import { prng } from '../helpers'

const PYTHON = process.env.DRIFT_REFERENCE_PYTHON ?? '/usr/bin/python3'

// mulberry32 written again in Python (32-bit arithmetic by hand), the same index draw
// (floor(next() * n)), and numpy's percentile: an independent computation of the interval.
const NUMPY_BOOTSTRAP = `
import json, sys
import numpy as np
spec = json.load(sys.stdin)
a = np.array(spec['a'], dtype=np.float64)
b = np.array(spec['b'], dtype=np.float64)
n = len(a)
M = 0xFFFFFFFF
def imul(x, y):
    return (x * y) & M
state = (spec['seed'] & M) or 0x9E3779B9
def nxt():
    global state
    state = (state + 0x6D2B79F5) & M
    t = state
    t = imul(t ^ (t >> 15), t | 1)
    t ^= (t + imul(t ^ (t >> 7), t | 61)) & M
    return ((t ^ (t >> 14)) & M) / 4294967296.0
diffs = np.empty(spec['resamples'])
for r in range(spec['resamples']):
    idx = np.array([int(nxt() * n) for _ in range(n)])
    diffs[r] = np.sqrt(np.mean(a[idx] ** 2)) - np.sqrt(np.mean(b[idx] ** 2))
tail = (1 - spec['level']) / 2
lo, hi = np.percentile(diffs, [100 * tail, 100 * (1 - tail)], method='linear')
point = np.sqrt(np.mean(a ** 2)) - np.sqrt(np.mean(b ** 2))
print(json.dumps({'lo': repr(float(lo)), 'hi': repr(float(hi)), 'point': repr(float(point))}))
`

function numpyBootstrap(spec: {
  a: number[]
  b: number[]
  seed: number
  resamples: number
  level: number
}): { lo: number; hi: number; point: number } {
  const run = spawnSync(PYTHON, ['-c', NUMPY_BOOTSTRAP], {
    input: JSON.stringify(spec),
    encoding: 'utf8',
    timeout: 120_000,
  })
  if (run.status !== 0) throw new Error(`${PYTHON} with numpy failed: ${run.stderr}`)
  const r = JSON.parse(run.stdout) as Record<string, string>
  return { lo: Number(r.lo), hi: Number(r.hi), point: Number(r.point) }
}

describe('paired bootstrap of the RMSE difference', () => {
  it('gives numpy’s interval for the same mulberry32 draws (2,000 resamples)', () => {
    const rand = prng(7)
    const n = 137
    const a = Array.from({ length: n }, () => Math.abs(rand() * 1.2 - 0.3))
    const b = Array.from({ length: n }, () => Math.abs(rand() * 1.5 - 0.2))
    const spec = { a, b, seed: 20261203, resamples: 2000, level: 0.95 }
    const ours = pairedRmseBootstrap(a, b, spec)
    const ref = numpyBootstrap(spec)
    expect(Math.abs(ours.ci[0] - ref.lo)).toBeLessThan(1e-12)
    expect(Math.abs(ours.ci[1] - ref.hi)).toBeLessThan(1e-12)
    expect(Math.abs(ours.diff - ref.point)).toBeLessThan(1e-12)
    expect(ours.ci[0]).toBeLessThan(ours.ci[1])
  }, 120_000)

  it('agrees with numpy for another seed, level and size', () => {
    const rand = prng(99)
    const n = 53
    const a = Array.from({ length: n }, () => rand() * 2 - 1)
    const b = Array.from({ length: n }, () => rand() * 2 - 1)
    const spec = { a, b, seed: 1, resamples: 501, level: 0.9 }
    const ours = pairedRmseBootstrap(a, b, spec)
    const ref = numpyBootstrap(spec)
    expect(Math.abs(ours.ci[0] - ref.lo)).toBeLessThan(1e-12)
    expect(Math.abs(ours.ci[1] - ref.hi)).toBeLessThan(1e-12)
  }, 120_000)

  it('a hand-computable case: one row, and rows where every resample gives the same difference', () => {
    // one row: every resample is that row; RMSE = |error|
    const one = pairedRmseBootstrap([0.5], [2], { resamples: 10, seed: 3, level: 0.95 })
    expect(one.diff).toBe(-1.5)
    expect(one.ci).toEqual([-1.5, -1.5])
    // constant errors 1 and 3 on every row: sqrt(1) - sqrt(9) = -2 whatever is drawn
    const flat = pairedRmseBootstrap([1, -1, 1, -1], [3, 3, -3, 3], {
      resamples: 50,
      seed: 5,
      level: 0.95,
    })
    expect(flat.rmseA).toBe(1)
    expect(flat.rmseB).toBe(3)
    expect(flat.ci[0]).toBeCloseTo(-2, 14)
    expect(flat.ci[1]).toBeCloseTo(-2, 14)
  })

  it('draws exactly createRng(seed).int(n), as a plain loop over rng.ts gives', () => {
    const rand = prng(3)
    const a = Array.from({ length: 31 }, () => rand())
    const b = Array.from({ length: 31 }, () => rand())
    const rng = createRng(42)
    const diffs = Array.from({ length: 101 }, () => {
      let sa = 0
      let sb = 0
      for (let i = 0; i < 31; i++) {
        const k = rng.int(31)
        sa += (a[k] as number) ** 2
        sb += (b[k] as number) ** 2
      }
      return Math.sqrt(sa / 31) - Math.sqrt(sb / 31)
    }).sort((x, y) => x - y)
    const ours = pairedRmseBootstrap(a, b, { resamples: 101, seed: 42, level: 0.9 })
    // 101 resamples: the 5% and 95% percentiles fall on ranks 5 and 95 exactly
    expect(ours.ci[0]).toBe(diffs[5])
    expect(ours.ci[1]).toBe(diffs[95])
  })

  it('interpolates percentiles linearly between ranks, as numpy does', () => {
    const s = Float64Array.from([1, 2, 3, 4])
    // (m-1)q = 0.075 -> 1 + 0.075; 2.925 -> 3 + 0.925
    expect(percentileSorted(s, 0.025)).toBeCloseTo(1.075, 14)
    expect(percentileSorted(s, 0.975)).toBeCloseTo(3.925, 14)
    expect(percentileSorted(s, 0.5)).toBe(2.5)
  })

  it('refuses errors of different lengths, none, or not finite', () => {
    const o = { resamples: 10, seed: 1, level: 0.95 }
    expect(() => pairedRmseBootstrap([], [], o)).toThrow(RangeError)
    expect(() => pairedRmseBootstrap([1, 2], [1], o)).toThrow(RangeError)
    expect(() => pairedRmseBootstrap([1, NaN], [1, 2], o)).toThrow(/not a finite/)
  })
})
