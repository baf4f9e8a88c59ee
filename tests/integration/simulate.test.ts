import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ImportSummary, SimulationShift } from '../../src-main/contract'
import { SAMPLE_SEED, type SampleCopula } from '../../src-main/engine/sample/generate'
import { SAMPLE_FILE } from '../../src-main/engine/sample/sample'
import { parseShift, simulateSampleCsv } from '../../src-main/engine/sample/simulate'
import { REPO_ROOT, fileRef, runJob, startTestEngine, tempDir } from '../helpers'
import { assay } from '../cli-helpers'
import { readTable } from '../reference-csv'

const copula = JSON.parse(
  readFileSync(join(REPO_ROOT, 'resources/sample/copula.json'), 'utf8'),
) as SampleCopula

/** The simulated file read back with the independent CSV reader. */
function table(csv: string) {
  const dir = tempDir()
  try {
    const path = join(dir.path, 'sim.csv')
    writeFileSync(path, csv)
    return readTable(path, ';').rows
  } finally {
    dir.remove()
  }
}

const column = (rows: Record<string, string>[], name: string) => rows.map((r) => Number(r[name]))
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length
const sd = (xs: number[]) => {
  const m = mean(xs)
  return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1))
}

/**
 * The copula marginal's mean and standard deviation by brute force: the distribution a draw
 * follows is "a uniform probability p, read off the quantile table by linear interpolation", so
 * averaging that over a fine grid of p gives its moments (independent of the closed form the code
 * uses).
 */
function marginalByGrid(variable: string) {
  const q = copula.quantiles[copula.variables.indexOf(variable)]!
  const steps = 400_000
  let s1 = 0
  let s2 = 0
  for (let k = 0; k < steps; k++) {
    const pos = ((k + 0.5) / steps) * (q.length - 1)
    const j = Math.min(q.length - 2, Math.floor(pos))
    const v = q[j]! + (q[j + 1]! - q[j]!) * (pos - j)
    s1 += v
    s2 += v * v
  }
  const m = s1 / steps
  return { mean: m, sd: Math.sqrt(s2 / steps - m * m) }
}

const FEATURE_COLUMNS = {
  mw_freebase: 'Molecular Weight',
  alogp: 'AlogP',
  hba: 'HBA',
  hbd: 'HBD',
} as const

describe('simulated batches', () => {
  it('without a shift, draws exactly the compounds the bundled sample holds', () => {
    // the sample file is the copula drawn with SAMPLE_SEED: the same draws, other ids
    const sample = readTable(join(REPO_ROOT, SAMPLE_FILE), ';').rows
    const sim = table(simulateSampleCsv(copula, [], sample.length, SAMPLE_SEED))
    for (const name of [...Object.values(FEATURE_COLUMNS), 'pChEMBL Value', 'Standard Value'])
      expect(column(sim, name)).toEqual(column(sample, name))
    expect(sim.every((r) => r['Molecule ChEMBL ID']!.startsWith('SIMULATED-'))).toBe(true)
  })

  it('alogp +1 sd moves alogp by one standard deviation and leaves the other features alone', () => {
    const rows = 4000
    const seed = 77
    const plain = table(simulateSampleCsv(copula, [], rows, seed))
    const shifted = table(
      simulateSampleCsv(copula, [{ feature: 'alogp', by: 'sd', amount: 1 }], rows, seed),
    )
    const truth = marginalByGrid('alogp')
    // the sample's own spread agrees with the copula's (2,500 draws: the sd within a few percent)
    const sampleSd = sd(column(readTable(join(REPO_ROOT, SAMPLE_FILE), ';').rows, 'AlogP'))
    expect(Math.abs(sampleSd - truth.sd) / truth.sd).toBeLessThan(0.05)

    // Same seed, same draws: every compound moves by exactly one sd (each value is written with
    // two decimals, so a difference is off by at most 0.01).
    const before = column(plain, 'AlogP')
    const after = column(shifted, 'AlogP')
    for (let i = 0; i < rows; i++)
      expect(Math.abs(after[i]! - before[i]! - truth.sd)).toBeLessThanOrEqual(0.0100001)

    // Against the copula's own mean: the file's mean is mean + 1 sd within sampling error. The
    // standard error of a mean of 4,000 draws is sd / sqrt(4000) = 0.0158 sd; 4 standard errors
    // (0.064 sd) leave a false alarm once in ~16,000 runs, and a shift of 1 sd is far outside.
    const se = truth.sd / Math.sqrt(rows)
    expect(Math.abs(mean(after) - (truth.mean + truth.sd))).toBeLessThan(4 * se + 0.005)
    expect(Math.abs(sd(after) - truth.sd) / truth.sd).toBeLessThan(0.05)

    // the other three features are the very same values as without a shift
    for (const name of ['Molecular Weight', 'HBA', 'HBD'])
      expect(column(shifted, name)).toEqual(column(plain, name))
    // and follow the copula's marginals (4 standard errors)
    for (const f of ['mw_freebase', 'hba', 'hbd'] as const) {
      const m = marginalByGrid(f)
      // counts are rounded, which moves a mean by at most 0.5 and in practice far less; allow 0.1
      const rounding = f === 'mw_freebase' ? 0.005 : 0.1
      expect(Math.abs(mean(column(shifted, FEATURE_COLUMNS[f])) - m.mean), f).toBeLessThan(
        (4 * m.sd) / Math.sqrt(rows) + rounding,
      )
    }
  })

  it('moves potency the way the sample’s additive model says, with the same noise', () => {
    const rows = 500
    const seed = 5
    const shift: SimulationShift = { feature: 'alogp', by: 'sd', amount: 2 }
    const plain = table(simulateSampleCsv(copula, [], rows, seed))
    const shifted = table(simulateSampleCsv(copula, [shift], rows, seed))
    // the additive model evaluated by hand: mean + one effect per feature, the bin found from
    // its upper edges (the last bin open)
    const effect = (term: { edges: number[]; effects: number[] }, v: number) => {
      let b = 0
      while (b < term.edges.length && v > term.edges[b]!) b++
      return term.effects[b]!
    }
    const alogpTerm = copula.potency.terms[1]!
    const pBefore = column(plain, 'pChEMBL Value')
    const pAfter = column(shifted, 'pChEMBL Value')
    const aBefore = column(plain, 'AlogP')
    const aAfter = column(shifted, 'AlogP')
    let moved = 0
    for (let i = 0; i < rows; i++) {
      // Only alogp's effect changes; the noise is the same draw. The written alogp has two
      // decimals, so a value right at a bin edge may fall either side: skip those few.
      const expected = effect(alogpTerm, aAfter[i]!) - effect(alogpTerm, aBefore[i]!)
      const nearEdge = alogpTerm.edges.some(
        (e) => Math.abs(e - aAfter[i]!) < 0.006 || Math.abs(e - aBefore[i]!) < 0.006,
      )
      if (nearEdge) continue
      expect(Math.abs(pAfter[i]! - pBefore[i]! - expected)).toBeLessThanOrEqual(0.0200001)
      if (Math.abs(expected) > 0.05) moved++
    }
    // and it does move for many compounds
    expect(moved).toBeGreaterThan(rows / 4)
  })

  it('mw_freebase x2 doubles molecular weight; a negative count shift stays at or above 0', () => {
    const rows = 300
    const plain = table(simulateSampleCsv(copula, [], rows, 9))
    const heavy = table(
      simulateSampleCsv(
        copula,
        [
          { feature: 'mw_freebase', by: 'factor', amount: 2 },
          { feature: 'hbd', by: 'sd', amount: -3 },
        ],
        rows,
        9,
      ),
    )
    const before = column(plain, 'Molecular Weight')
    const after = column(heavy, 'Molecular Weight')
    for (let i = 0; i < rows; i++) expect(Math.abs(after[i]! - 2 * before[i]!)).toBeLessThan(0.011)
    const hbd = column(heavy, 'HBD')
    expect(hbd.every((v) => Number.isInteger(v) && v >= 0)).toBe(true)
    // -3 sd pushes nearly every donor count to the floor
    expect(hbd.filter((v) => v === 0).length).toBeGreaterThan(0.9 * rows)
  })

  it('labels every row synthetic, never with the sample’s ids, and repeats byte for byte', () => {
    const shifts: SimulationShift[] = [{ feature: 'alogp', by: 'sd', amount: 1 }]
    const a = simulateSampleCsv(copula, shifts, 200, 3)
    expect(simulateSampleCsv(copula, shifts, 200, 3)).toBe(a)
    expect(simulateSampleCsv(copula, shifts, 200, 4)).not.toBe(a)
    const rows = table(a)
    expect(rows).toHaveLength(200)
    for (const r of rows) {
      expect(r['Molecule ChEMBL ID']).toMatch(/^SIMULATED-/)
      expect(r['Molecule ChEMBL ID']).not.toMatch(/^SYNTH-/)
      expect(r['Molecule Name']).toMatch(/^Simulated compound \d+ \(alogp \+1 sd\)$/)
      expect(r.Comment).toMatch(/^SYNTHETIC: simulated .*alogp \+1 sd/)
      expect(r['Assay ChEMBL ID']).toMatch(/^SIMULATED-/)
    }
    expect(new Set(rows.map((r) => r['Molecule ChEMBL ID'])).size).toBe(200)
  })

  it('is imported with no rejections', async () => {
    const dir = tempDir()
    const engine = startTestEngine(join(dir.path, 'data'))
    try {
      for (const [i, shifts] of [
        [{ feature: 'alogp', by: 'sd', amount: 1 }],
        [{ feature: 'mw_freebase', by: 'factor', amount: 2 }],
        [
          { feature: 'hbd', by: 'sd', amount: -0.5 },
          { feature: 'alogp', by: 'sd', amount: -20 },
        ],
      ].entries() as Iterable<[number, SimulationShift[]]>) {
        const path = join(dir.path, `sim-${i}.csv`)
        writeFileSync(path, simulateSampleCsv(copula, shifts, 400, 11 + i))
        const finished = await runJob(engine, 'imports.start', {
          file: await fileRef(engine, path),
          computeDescriptors: false,
        })
        expect(finished.state).toBe('succeeded')
        const summary = finished.result as ImportSummary
        expect(summary.rowsTotal).toBe(400)
        expect(summary.rowsRejected).toBe(0)
        expect(summary.rowsAccepted).toBe(400)
        expect(summary.compoundsNew).toBe(400)
      }
    } finally {
      await engine.close()
      dir.remove()
    }
  }, 60_000)
})

describe('parseShift', () => {
  it('reads sd and factor shifts', () => {
    expect(parseShift('alogp=+1sd')).toEqual({ feature: 'alogp', by: 'sd', amount: 1 })
    expect(parseShift('hbd=-0.5sd')).toEqual({ feature: 'hbd', by: 'sd', amount: -0.5 })
    expect(parseShift('mw_freebase=x2')).toEqual({
      feature: 'mw_freebase',
      by: 'factor',
      amount: 2,
    })
    expect(parseShift(' HBA = 1.5sd ')).toEqual({ feature: 'hba', by: 'sd', amount: 1.5 })
  })

  it.each([
    'alogp',
    'alogp=1',
    'alogp=+1',
    'logp=+1sd',
    'alogp=+1 standard deviations',
    'mw_freebase=x0',
    'mw_freebase=x-2',
    'alogp=+21sd',
    'alogp=+1sd;drop',
    '',
  ])('refuses %j with a clear error', (text) => {
    expect(() => parseShift(text)).toThrow(
      expect.objectContaining({
        code: 'invalid-input',
        message: expect.stringMatching(/shift|factor|amount/),
      }),
    )
  })
})

describe('assay simulate', () => {
  it('writes the batch and says what it wrote', async () => {
    const dir = tempDir()
    try {
      const out = join(dir.path, 'shifted.csv')
      const r = await assay(
        'simulate',
        '--shift',
        'alogp=+1sd',
        '--shift',
        'mw_freebase=x2',
        '--rows',
        '150',
        '--seed',
        '42',
        '--out',
        out,
        '--json',
      )
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const shifts: SimulationShift[] = [
        { feature: 'alogp', by: 'sd', amount: 1 },
        { feature: 'mw_freebase', by: 'factor', amount: 2 },
      ]
      expect(JSON.parse(r.stdout)).toEqual({ file: out, rows: 150, shifts, seed: 42 })
      expect(readFileSync(out, 'utf8')).toBe(simulateSampleCsv(copula, shifts, 150, 42))

      const text = await assay('simulate', '--shift', 'hbd=-0.5sd', '--out', out)
      expect(text.code).toBe(0)
      expect(text.stdout).toMatch(/^Wrote 1,000 simulated compounds \(hbd -0\.5 sd, seed 1\) to /)
      expect(table(readFileSync(out, 'utf8'))).toHaveLength(1000)
    } finally {
      dir.remove()
    }
  })

  it('refuses a bad shift or count as a usage error and writes nothing', async () => {
    const bad = await assay('simulate', '--shift', 'alogp=up')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/"alogp=up" is not a shift/)
    const none = await assay('simulate')
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/at least one --shift/)
    const rows = await assay('simulate', '--shift', 'alogp=+1sd', '--rows', '0')
    expect(rows.code).toBe(2)
    expect(rows.stderr).toMatch(/--rows takes a whole number/)
  })
})
