import { describe, expect, it } from 'vitest'
import { RETRAIN_BOOTSTRAP, type RetrainComparison } from '../../src-main/contract'
import { pairedRmseBootstrap } from '../../src-main/ml/bootstrap'
import { decide } from '../../src-main/engine/automation/retrain/decision'
import { prng } from '../helpers'

/** A comparison of two error vectors, through the real bootstrap. */
function compare(challenger: number[], champion: number[]): RetrainComparison {
  const b = pairedRmseBootstrap(challenger, champion, RETRAIN_BOOTSTRAP)
  return {
    rows: b.rows,
    rmseChallenger: b.rmseA,
    rmseChampion: b.rmseB,
    diff: b.diff,
    diffCi: b.ci,
    resamples: b.resamples,
    seed: b.seed,
  }
}

const rand = prng(11)
const noise = (n: number, scale: number) =>
  Array.from({ length: n }, () => Math.abs((rand() - 0.5) * 2 * scale))

describe('the retraining decision on constructed cases', () => {
  const n = 200
  const champion = noise(n, 1.6)
  const base = { challenger: 'v7', champion: 'v3', newCompounds: n }

  it('a clearly better challenger is promoted when the policy allows it', () => {
    // every error halved: the interval of the difference lies wholly below zero
    const c = compare(
      champion.map((e) => e / 2),
      champion,
    )
    expect(c.diffCi[1]).toBeLessThan(0)
    const d = decide({ ...base, autoPromote: true, comparison: c })
    expect(d.decision).toBe('promoted')
    expect(d.explanation).toMatch(/better/)
    expect(d.explanation).toContain(`on ${n} new compounds`)
  })

  it('the same challenger stays a candidate when automatic promotion is off', () => {
    const c = compare(
      champion.map((e) => e / 2),
      champion,
    )
    const d = decide({ ...base, autoPromote: false, comparison: c })
    expect(d.decision).toBe('kept-candidate')
    expect(d.significantlyBetter).toBe(true)
    expect(d.explanation).toContain('automatic promotion is off in the policy')
  })

  it('a challenger equal within noise is not promoted: the interval spans zero', () => {
    // the same errors on half the rows swapped between the models: lower RMSE by luck only
    const other = noise(n, 1.6)
    const challenger = champion.map((e, i) => (i % 2 === 0 ? other[i] : e) as number)
    const c = compare(challenger, champion)
    expect(c.diffCi[0]).toBeLessThan(0)
    expect(c.diffCi[1]).toBeGreaterThan(0)
    const d = decide({ ...base, autoPromote: true, comparison: c })
    expect(d.decision).toBe('kept-candidate')
    expect(d.explanation).toMatch(/not significant/)
  })

  it('a worse challenger is not promoted', () => {
    const c = compare(
      champion.map((e) => e * 1.5 + 0.1),
      champion,
    )
    expect(c.diffCi[0]).toBeGreaterThan(0)
    const d = decide({ ...base, autoPromote: true, comparison: c })
    expect(d.decision).toBe('kept-candidate')
    expect(d.explanation).toMatch(/worse/)
  })

  it('better by RMSE but with the interval reaching zero is not promoted', () => {
    const c: RetrainComparison = {
      rows: 312,
      rmseChallenger: 0.84,
      rmseChampion: 0.86,
      diff: -0.02,
      diffCi: [-0.05, 0.01],
      resamples: 2000,
      seed: 1,
    }
    const d = decide({ ...base, autoPromote: true, comparison: c })
    expect(d.decision).toBe('kept-candidate')
    expect(d.explanation).toBe(
      'challenger v7: RMSE 0.84 vs 0.86 (v3) on 312 new compounds, difference not significant (95% interval -0.050 to 0.010); it stays a candidate',
    )
  })

  it('fewer than 50 new compounds: no comparison, the challenger stays a candidate and the reason says so', () => {
    const d = decide({ ...base, newCompounds: 12, autoPromote: true, comparison: null })
    expect(d.decision).toBe('kept-candidate')
    expect(d.explanation).toBe(
      'challenger v7 stays a candidate: only 12 compounds were measured since v3; 50 are needed for a fair comparison',
    )
  })
})
