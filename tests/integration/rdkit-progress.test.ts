import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src-main/engine/engine'
import { type Candidate, featuresFor } from '../../src-main/engine/predict/inputs'
import { resolveModel } from '../../src-main/engine/predict/loaded-model'
import { seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { taskHandlers } from '../../src-main/engine/workers/task-handlers'
import { REPO_ROOT, fileRef, startTestEngine, tempDir } from '../helpers'

/** Straight-chain alkanes C1 ... Cn: n different structures RDKit reads in no time. */
const alkanes = (n: number) => Array.from({ length: n }, (_, i) => 'C'.repeat(i + 1))

/** Each value at least the one before it. */
const nonDecreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x >= (xs[i - 1] as number))

describe('RDKit steps report the molecules they have done', () => {
  it('the worker says 0 as soon as RDKit is loaded, then counts to the last molecule', async () => {
    const done: number[] = []
    const result = await taskHandlers.computeMolecules({ smiles: alkanes(60) }, (n) => done.push(n))
    expect(result.molecules).toHaveLength(60)
    // before the first molecule: the import's bar names this step while RDKit loads (it stood at
    // the scan's "10%" for seconds)
    expect(done[0]).toBe(0)
    expect(done.at(-1)).toBe(60)
    expect(nonDecreasing(done)).toBe(true)
    // at least every 25 molecules
    expect(done).toEqual(expect.arrayContaining([25, 50]))
  })

  describe('scoring a batch that needs RDKit', () => {
    const dir = tempDir()
    let engine: Engine
    /** a model of the old format (no recorded feature source): RDKit computes what a row lacks */
    let legacy: string
    beforeAll(async () => {
      engine = startTestEngine(dir.path)
      await seedSampleIfEmpty(engine.context, REPO_ROOT)
      const fixture = join(REPO_ROOT, 'tests/fixtures/legacy-model')
      const imported = await engine.invoke('models.import', {
        onnx: await fileRef(engine, join(fixture, 'baseline-core4-gbdt.onnx')),
        card: await fileRef(engine, join(fixture, 'baseline-core4-gbdt.json')),
      })
      if (!imported.ok) throw new Error(imported.error.message)
      legacy = imported.value.model.version
    }, 60_000)
    afterAll(async () => {
      await engine.close()
      dir.remove()
    })

    it('counts structures through "computing features" instead of standing at one value', async () => {
      // the bundled baseline (file values) refuses SMILES-only rows; a model of the old format
      // computes its four features with RDKit for every row here
      const model = resolveModel(engine.context.db, legacy)
      expect(model.featureSource).toBeNull()
      // SMILES only: the model's four features come from RDKit for every row
      const candidates: Candidate[] = alkanes(80).map((smiles, i) => ({
        rowNumber: i + 2,
        moleculeId: `ALK${i + 1}`,
        compoundId: null,
        smiles,
        seed: { mw_freebase: null, alogp: null, hba: null, hbd: null },
        descriptors: null,
        morgan: null,
        observed: null,
        failure: null,
      }))
      const reports: { done: number; total: number }[] = []
      const rows = await featuresFor(engine.context, model, candidates, undefined, (d, t) =>
        reports.push({ done: d, total: t }),
      )
      expect(rows.index).toHaveLength(80)
      expect(reports.every((r) => r.total === 80)).toBe(true)
      const done = reports.map((r) => r.done)
      expect(done[0]).toBe(0)
      expect(done.at(-1)).toBe(80)
      expect(nonDecreasing(done)).toBe(true)
      // the two workers share the 80 structures and each reports as it goes
      expect(new Set(done).size).toBeGreaterThanOrEqual(4)
    })
  })
})
