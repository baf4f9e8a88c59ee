import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SimulationShift } from '../../src-main/contract'
import type { SampleCopula } from '../../src-main/engine/sample/generate'
import { SAMPLE_FILE } from '../../src-main/engine/sample/sample'
import { simulateSampleCsv } from '../../src-main/engine/sample/simulate'
import { datasetDrift, featureDrift, prepareSample } from '../../src-main/ml/drift'
import { createRng, shuffledIndices } from '../../src-main/ml/rng'
import { REPO_ROOT } from '../helpers'
import { ACHE, AROMATASE, readTable } from '../reference-csv'

const PYTHON = process.env.RDKIT_REFERENCE_PYTHON ?? '/usr/bin/python3'
const FEATURES = ['mw_freebase', 'alogp', 'hba', 'hbd'] as const

/** [MolWt, MolLogP, NumHBA, NumHBD] of each SMILES from RDKit's Python API (null: unreadable). */
function rdkitCore4(smiles: string[]): ([number, number, number, number] | null)[] {
  const run = spawnSync(PYTHON, [join(REPO_ROOT, 'tests/fixtures/core4-reference.py')], {
    input: JSON.stringify(smiles),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  })
  if (run.status !== 0)
    throw new Error(
      `${PYTHON} could not compute descriptors (Debian: apt-get install python3-rdkit): ${run.stderr}`,
    )
  return JSON.parse(run.stdout) as ([number, number, number, number] | null)[]
}

/** One column per feature, one row per compound. */
type Columns = Record<(typeof FEATURES)[number], Float64Array>

const number = (text: string | undefined) =>
  text === undefined || text.trim() === '' ? Number.NaN : Number(text)

/** The feature columns of a file written in the sample's dialect (`"a";"b";...`). */
function sampleDialectColumns(csv: string): Columns {
  const [header, ...lines] = csv.trim().split('\n')
  const names = header!.slice(1, -1).split('";"')
  const at = (name: string) => names.indexOf(name)
  const cols = [at('Molecular Weight'), at('AlogP'), at('HBA'), at('HBD')]
  const out = FEATURES.map(() => new Float64Array(lines.length))
  lines.forEach((line, r) => {
    const fields = line.slice(1, -1).split('";"')
    cols.forEach((c, k) => (out[k]![r] = number(fields[c])))
  })
  return Object.fromEntries(FEATURES.map((f, k) => [f, out[k]])) as Columns
}

describe('drift calibration on real and simulated data', () => {
  // aromatase: one row per compound, MW and AlogP from the export, HBA/HBD from RDKit (the file
  // has none), as the importer takes them. AChE: the first 1,500 compounds with a structure,
  // all four from RDKit (the dump has no properties).
  let aromatase: Columns
  let ache: Columns
  beforeAll(() => {
    const first = new Map<string, Record<string, string>>()
    for (const row of readTable(AROMATASE, ';').rows) {
      const id = row['Molecule ChEMBL ID']!
      if (!first.has(id)) first.set(id, row)
    }
    const compounds = [...first.values()]
    const achIds = new Set<string>()
    const achSmiles: string[] = []
    for (const row of readTable(ACHE, ',').rows) {
      if (achSmiles.length === 1500) break
      if (!row.canonical_smiles || achIds.has(row.molecule_chembl_id!)) continue
      achIds.add(row.molecule_chembl_id!)
      achSmiles.push(row.canonical_smiles)
    }
    const rd = rdkitCore4([...compounds.map((r) => r.Smiles || 'not a smiles'), ...achSmiles])
    const aro = rd.slice(0, compounds.length)
    aromatase = {
      mw_freebase: Float64Array.from(compounds, (r) => number(r['Molecular Weight'])),
      alogp: Float64Array.from(compounds, (r) => number(r.AlogP)),
      hba: Float64Array.from(aro, (d) => d?.[2] ?? Number.NaN),
      hbd: Float64Array.from(aro, (d) => d?.[3] ?? Number.NaN),
    }
    const ac = rd.slice(compounds.length)
    ache = Object.fromEntries(
      FEATURES.map((f, k) => [f, Float64Array.from(ac, (d) => d?.[k] ?? Number.NaN)]),
    ) as Columns
  }, 60_000)

  it('KS flags about 5% of 200 random half-splits of the aromatase compounds, per feature', () => {
    // the data files' own facts (shared/data/README.md): 3,443 distinct molecules
    expect(aromatase.mw_freebase).toHaveLength(3443)
    const rng = createRng(20261203)
    const splits = 200
    const flagged = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<string, number>
    const n = aromatase.mw_freebase.length
    const half = n >> 1
    for (let s = 0; s < splits; s++) {
      const order = shuffledIndices(n, rng)
      for (const f of FEATURES) {
        const values = aromatase[f]
        const a = Float64Array.from(order.subarray(0, half), (i) => values[i]!)
        const b = Float64Array.from(order.subarray(half), (i) => values[i]!)
        if (featureDrift(a, b, { method: 'ks' }).drifted) flagged[f]!++
      }
    }
    // A half-split is a random permutation, so with no drift each split is flagged with
    // probability at most 0.05 (less with ties: KS is then conservative). Flags out of 200 are then
    // at most Binomial(200, 0.05): mean 10, sd 3.1, and P(X >= 21) = 0.0016. So a feature may be
    // flagged in at most 20 splits (10%); more means the p-values are too small.
    for (const f of FEATURES) expect(flagged[f], f).toBeLessThanOrEqual(20)
    // and the test does flag: a KS that never rejects would pass the bound. For the continuous
    // features P(X = 0) = 0.95^200 = 3.5e-5.
    expect(flagged.mw_freebase).toBeGreaterThan(0)
    expect(flagged.alogp).toBeGreaterThan(0)
  })

  it('flags aromatase against acetylcholinesterase compounds as dataset drift', () => {
    const d = datasetDrift(
      FEATURES.map((f) => ({ name: f, reference: aromatase[f], current: ache[f] })),
    )
    // 3,443 reference compounds: Evidently's large-reference tests
    expect(d.features.map((f) => f.test?.method)).toEqual([
      'wasserstein',
      'wasserstein',
      'wasserstein',
      'wasserstein',
    ])
    expect(d.datasetDrifted).toBe(true)
    expect(d.drifted).toBeGreaterThanOrEqual(2)
    // a missing AlogP in the export is counted, not dropped silently
    expect(d.features[1]!.reference.missing).toBe(
      Array.from(aromatase.alogp).filter(Number.isNaN).length,
    )
  })

  describe('simulated batches against the bundled sample', () => {
    const copula = JSON.parse(
      readFileSync(join(REPO_ROOT, 'resources/sample/copula.json'), 'utf8'),
    ) as SampleCopula
    const sample = sampleDialectColumns(readFileSync(join(REPO_ROOT, SAMPLE_FILE), 'utf8'))
    const prepared = Object.fromEntries(FEATURES.map((f) => [f, prepareSample(sample[f])]))
    /**
     * For each feature, in how many of 40 batches of 1,000 it was flagged (KS; default test).
     * A batch of 1,000: the default test against the sample's 2,500 rows is the Wasserstein
     * distance / std >= 0.1, a distance, not a test with a false-positive rate. For an unshifted
     * feature it measured about 0.05 +- 0.025 with batches of 500 (hba over 0.1 in 7 of 40) and
     * about 0.03 +- 0.01 with 2,500, so small batches of discrete counts are flagged by chance
     * far more often than KS would.
     */
    function flags(shifts: SimulationShift[], batches: number) {
      const ks = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<string, number>
      const byDefault = { ...ks }
      let datasets = 0
      for (let b = 0; b < batches; b++) {
        const batch = sampleDialectColumns(simulateSampleCsv(copula, shifts, 1000, 1000 + b))
        for (const f of FEATURES) {
          if (featureDrift(prepared[f]!, batch[f], { method: 'ks' }).drifted) ks[f]!++
        }
        const d = datasetDrift(
          FEATURES.map((f) => ({ name: f, reference: prepared[f]!, current: batch[f] })),
        )
        d.features.forEach((r) => {
          if (r.drifted) byDefault[r.name]!++
        })
        if (d.datasetDrifted) datasets++
      }
      return { ks, byDefault, datasets }
    }
    // Unshifted features of a simulated batch are fresh draws from the copula the sample was
    // drawn from, so they follow no drift: KS flags out of 40 batches are at most
    // Binomial(40, 0.05), mean 2, P(X >= 7) = 0.005, so at most 6; out of 20, mean 1,
    // P(X >= 5) = 0.003, so at most 4.
    const FALSE_POSITIVES: Record<number, number> = { 40: 6, 20: 4 }

    it('alogp +1 sd is flagged for alogp every time, the other features at chance', () => {
      const r = flags([{ feature: 'alogp', by: 'sd', amount: 1 }], 40)
      expect(r.ks.alogp).toBe(40)
      expect(r.byDefault.alogp).toBe(40)
      for (const f of ['mw_freebase', 'hba', 'hbd']) {
        expect(r.ks[f], `${f} by KS`).toBeLessThanOrEqual(FALSE_POSITIVES[40]!)
        expect(r.byDefault[f], `${f} by the default test`).toBeLessThanOrEqual(FALSE_POSITIVES[40]!)
      }
    })

    it('mw_freebase x2 is flagged for molecular weight every time', () => {
      const r = flags([{ feature: 'mw_freebase', by: 'factor', amount: 2 }], 20)
      expect(r.ks.mw_freebase).toBe(20)
      expect(r.byDefault.mw_freebase).toBe(20)
      for (const f of ['alogp', 'hba', 'hbd'])
        expect(r.ks[f], `${f} by KS`).toBeLessThanOrEqual(FALSE_POSITIVES[20]!)
      // one feature of four is below the dataset share of a half
      expect(r.datasets).toBeLessThanOrEqual(FALSE_POSITIVES[20]!)
    })

    it('two shifted features of four make the dataset drift', () => {
      const r = flags(
        [
          { feature: 'mw_freebase', by: 'factor', amount: 2 },
          { feature: 'alogp', by: 'sd', amount: 1 },
        ],
        20,
      )
      expect(r.datasets).toBe(20)
    })
  })
})
