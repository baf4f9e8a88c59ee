import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  BatchSummary,
  ModelDetail,
  SinglePrediction,
  TrainResult,
} from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { readReference } from '../../src-main/engine/models/reference-data'
import {
  REPO_ROOT,
  fileRef,
  importOnce,
  startTestEngine,
  tempDir,
  waitForFinished,
  sampleEngine,
} from '../helpers'
import { AROMATASE } from '../reference-csv'

/** The baseline model as shipped before adaptive intervals (tests/fixtures/legacy-model/README.md). */
const LEGACY = join(REPO_ROOT, 'tests/fixtures/legacy-model')

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
) {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

async function job(engine: Engine, method: string, input: Record<string, unknown>) {
  const started = await ok(engine.invoke(method as 'models.train', input as never))
  const finished = await waitForFinished(engine, (started as { jobId: string }).jobId)
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  return finished.result
}

/**
 * Nearest-neighbour Tanimoto (Morgan radius 2, 2048 bits) of each query to a set of SMILES, by
 * python3-rdkit: the reference the app's structural domain is checked against.
 */
function rdkitNearest(queries: string[], training: string[]): number[] {
  const script = `
import json, sys
from rdkit import Chem, DataStructs, RDLogger
from rdkit.Chem import AllChem
RDLogger.DisableLog('rdApp.*')
d = json.load(sys.stdin)
fp = lambda s: AllChem.GetMorganFingerprintAsBitVect(Chem.MolFromSmiles(s), 2, 2048)
train = [fp(s) for s in d['training'] if Chem.MolFromSmiles(s) is not None]
print(json.dumps([max(DataStructs.BulkTanimotoSimilarity(fp(q), train)) for q in d['queries']]))
`
  const r = spawnSync('/usr/bin/python3', ['-c', script], {
    input: JSON.stringify({ queries, training }),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as number[]
}

describe('adaptive intervals and the structural domain, trained on the aromatase export', () => {
  let engine: Engine
  let trained: TrainResult
  // files handed to the engine live outside its data folder, as a user's would
  const files = tempDir()
  afterAll(() => files.remove())
  let detail: ModelDetail
  importOnce(AROMATASE, {}, (e) => {
    engine = e
  })

  beforeAll(async () => {
    trained = (await job(engine, 'models.train', {
      featureSet: 'physchem',
      learner: 'gbdt',
      seed: 7,
      promote: true,
    })) as TrainResult
    detail = await ok(engine.invoke('models.get', { version: trained.modelVersion }))
  }, 600_000)

  it('reports coverage measured on held-out rows, inside the target band overall and per fifth', () => {
    expect(detail.interval.method).toBe('adaptive')
    const nested = detail.interval.nested!
    // every training compound is measured once, in the outer fold that held it out
    expect(nested.rows).toBe(detail.trainingRows)
    expect(nested.coverage).toBeGreaterThanOrEqual(0.88)
    expect(nested.coverage).toBeLessThanOrEqual(0.92)
    expect(nested.byFifth).toHaveLength(5)
    for (const fifth of nested.byFifth) expect(fifth.coverage).toBeGreaterThanOrEqual(0.85)
    expect(nested.byFifth.reduce((s, b) => s + b.rows, 0)).toBe(nested.rows)
    // wider intervals where errors are larger: the point of adaptive intervals
    expect(nested.widthErrorSpearman).toBeGreaterThan(0.2)
    expect(trained.intervalCoverage).toBe(nested.coverage)
    // the time split's newest compounds are scored by a model fitted on older ones only
    expect(detail.interval.timeSplit?.rows).toBe(detail.timeSplit?.testRows)
  })

  it('gives each compound its own interval, never below 0, and says how similar it is to the training set', async () => {
    const smiles = [
      // letrozole and anastrozole are aromatase inhibitors in the file; the others are not
      'N#Cc1ccc(C(c2ccc(C#N)cc2)n2cncn2)cc1',
      'CC(C)(C#N)c1cc(Cn2cncn2)cc(C(C)(C)C#N)c1',
      'FC(F)(F)C(F)(F)C(F)(F)C(F)(F)F',
      'OCC1OC(O)C(O)C(O)C1O',
    ]
    const file = join(files.path, 'queries.csv')
    writeFileSync(file, ['canonical_smiles', ...smiles].join('\n'))
    const summary = (await job(engine, 'predictions.batch', {
      file: await fileRef(engine, file),
    })) as BatchSummary
    const { rows } = await ok(
      engine.invoke('predictions.rows', { batchId: summary.batchId, failed: false }),
    )
    expect(rows).toHaveLength(smiles.length)
    const widths = rows.map((r) => r.intervalHigh! - r.intervalLow!)
    expect(new Set(widths.map((w) => w.toFixed(6))).size).toBeGreaterThan(1)
    for (const r of rows) expect(r.intervalLow!).toBeGreaterThanOrEqual(0)

    const singles: SinglePrediction[] = []
    for (const s of smiles)
      singles.push(await ok(engine.invoke('predictions.single', { smiles: s })))
    const ids = Array.from(readReference(engine.context.db, trained.modelVersion)!.compoundIds)
    const trainingSmiles = engine.context.db
      .prepare(
        'SELECT smiles FROM compounds WHERE id IN (SELECT value FROM json_each(?)) AND smiles IS NOT NULL',
      )
      .pluck()
      .all(JSON.stringify(ids)) as string[]
    const expected = rdkitNearest(smiles, trainingSmiles)
    singles.forEach((p, i) => {
      expect(p.intervalMethod).toBe('adaptive')
      expect(p.domain.structureAware).toBe(true)
      expect(p.domain.similarity).toBeCloseTo(expected[i]!, 12)
      expect(p.domain.similarityThreshold).toBe(detail.domain.similarityThreshold)
      expect(p.interval[0]).toBeLessThanOrEqual(p.pActivity)
      expect(p.interval[1]).toBeGreaterThanOrEqual(p.pActivity)
      const batchRow = rows[i]!
      expect(batchRow.intervalLow).toBeCloseTo(p.interval[0], 5)
      expect(batchRow.inDomain).toBe(p.inDomain)
    })
    // a compound whose nearest training compound (by python3-rdkit) is below the threshold is
    // outside the domain, whatever its descriptors say; a perfluoroalkane and a sugar are
    const threshold = detail.domain.similarityThreshold!
    expect(expected.filter((v) => v < threshold).length).toBeGreaterThanOrEqual(2)
    singles.forEach((p, i) => {
      if (expected[i]! < threshold) expect(p.inDomain).toBe(false)
    })
    // letrozole is in the training set
    expect(singles[0]!.domain.similarity).toBe(1)
  })

  it('carries the adaptive calibration and the structural domain through a bundle export and import', async () => {
    const bundle = await ok(engine.invoke('models.export', { version: trained.modelVersion }))
    expect(bundle.card.interval.method).toBe('normalised-mondrian-cv-plus')
    const dir = tempDir()
    const other = startTestEngine(dir.path)
    try {
      const onnx = join(files.path, 'm.onnx')
      const card = join(files.path, 'm.json')
      writeFileSync(onnx, Buffer.from(bundle.onnxBase64, 'base64'))
      writeFileSync(card, JSON.stringify(bundle.card))
      const imported = await ok(
        other.invoke('models.import', {
          onnx: await fileRef(other, onnx),
          card: await fileRef(other, card),
        }),
      )
      const smiles = 'FC(F)(F)C(F)(F)C(F)(F)C(F)(F)F'
      const here = await ok(engine.invoke('predictions.single', { smiles }))
      const there = await ok(
        other.invoke('predictions.single', { smiles, model: imported.model.version }),
      )
      expect(there.interval).toEqual(here.interval)
      expect(there.domain.similarity).toBe(here.domain.similarity)
      expect(there.inDomain).toBe(here.inDomain)
      const importedDetail = await ok(
        other.invoke('models.get', { version: imported.model.version }),
      )
      expect(importedDetail.interval.nested?.coverage).toBe(detail.interval.nested?.coverage)
    } finally {
      await other.close()
      dir.remove()
    }
  })
})

describe('a model with the old constant-width calibration and descriptor-only domain', () => {
  let engine: Engine
  sampleEngine((e) => {
    engine = e
  })

  it('loads and predicts as before, and says its interval is constant and its domain descriptor-only', async () => {
    const card = JSON.parse(readFileSync(join(LEGACY, 'baseline-core4-gbdt.json'), 'utf8')) as {
      interval: { halfWidth: number; method: string }
      domain: Record<string, unknown>
    }
    // the file is the old format: one half-width, no fingerprints
    expect(card.interval.method).toBe('cv-plus-absolute-residual')
    expect(card.domain.similarity).toBeUndefined()
    const imported = await ok(
      engine.invoke('models.import', {
        onnx: await fileRef(engine, join(LEGACY, 'baseline-core4-gbdt.onnx')),
        card: await fileRef(engine, join(LEGACY, 'baseline-core4-gbdt.json')),
      }),
    )
    const model = imported.model.version
    const r = await ok(
      engine.invoke('predictions.single', { smiles: 'CC(=O)Oc1ccccc1C(=O)O', model }),
    )
    expect(r.intervalMethod).toBe('constant')
    expect(r.interval[1] - r.pActivity).toBeCloseTo(card.interval.halfWidth, 12)
    expect(r.interval[0]).toBeCloseTo(Math.max(0, r.pActivity - card.interval.halfWidth), 12)
    expect(r.domain.structureAware).toBe(false)
    expect(r.domain.similarity).toBeNull()
    const detail = await ok(engine.invoke('models.get', { version: r.modelVersion }))
    expect(detail.interval).toMatchObject({ method: 'constant', nested: null, timeSplit: null })
    expect(detail.domain.structureAware).toBe(false)
  })
})
