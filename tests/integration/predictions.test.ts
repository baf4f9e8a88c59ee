import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BatchSummary, SinglePrediction } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { BASELINE_ONNX, SAMPLE_FILE, seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { csvCell } from '../../src-main/contract/csv'
import { scoreOnce } from '../../src-main/ml/runtime'
import {
  REPO_ROOT,
  fileRef,
  sampleEngine,
  startTestEngine,
  tempDir,
  waitForFinished,
} from '../helpers'
import { readTable } from '../reference-csv'
import { cardHalfWidth } from '../card-interval'

/** The baseline model as shipped before per-model feature sources (tests/fixtures/legacy-model). */
const LEGACY = join(REPO_ROOT, 'tests/fixtures/legacy-model')

type Ok<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } }
async function ok<T>(p: Promise<Ok<T>>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/**
 * What ONNX Runtime says for these core4 rows, straight from the bundled model file. ONNX Runtime
 * sums a tree ensemble in float32 and splits the work differently for different batch sizes, so
 * the same row can come out one float32 step apart in a batch of 50 and one of 2,500: compare to
 * 1e-5, the parity bound, not bit for bit.
 */
async function reference(rows: number[][]): Promise<Float32Array> {
  const bytes = readFileSync(join(REPO_ROOT, BASELINE_ONNX))
  return scoreOnce(bytes, { n: rows.length, f: 4, x: Float32Array.from(rows.flat()) })
}

describe('predictions with the bundled baseline model', () => {
  let engine: Engine
  sampleEngine((e) => {
    engine = e
  })
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('seeds an empty data folder once: the sample data and the baseline as production', async () => {
    const models = await ok(engine.invoke('models.list', {}))
    expect(models).toHaveLength(1)
    expect(models[0]).toMatchObject({
      stage: 'production',
      isSynthetic: true,
      target: 'SYNTHETIC-SAMPLE',
    })
    // the sample file's own facts: 2,500 compounds, one IC50 each
    const sample = readTable(join(REPO_ROOT, SAMPLE_FILE), ';')
    expect(sample.rows).toHaveLength(2500)
    const status = await ok(engine.invoke('sample.status', {}))
    expect(status).toMatchObject({ present: true, activities: 2500 })
    expect(await seedSampleIfEmpty(engine.context, REPO_ROOT)).toBe(false)
  })

  it('predicts one compound from its four features as ONNX Runtime does, with an interval', async () => {
    const features = { mw_freebase: 350.4, alogp: 3.1, hba: 5, hbd: 1 }
    const r: SinglePrediction = await ok(engine.invoke('predictions.single', { features }))
    const [expected] = await reference([[350.4, 3.1, 5, 1]])
    expect(r.pActivity).toBeCloseTo(expected!, 5)
    expect(r.nM).toBeCloseTo(10 ** (9 - r.pActivity), 6)
    const card = JSON.parse(
      readFileSync(join(REPO_ROOT, BASELINE_ONNX.replace('.onnx', '.json')), 'utf8'),
    )
    // adaptive: this compound's own width, worked out from the card's calibration
    const half = cardHalfWidth(card.interval.calibration, [350.4, 3.1, 5, 1], r.pActivity)
    expect(r.interval[1] - r.pActivity).toBeCloseTo(half, 6)
    expect(r.interval[0]).toBeCloseTo(Math.max(0, r.pActivity - half), 6)
    expect(r.inDomain).toBe(true)
    expect(r.modelVersion).toBe('v1')
    expect(r.isSynthetic).toBe(true)
  })

  it('refuses a SMILES for the baseline, trained on file values, and says why', async () => {
    const r = await engine.invoke('predictions.single', { smiles: 'CC(=O)Oc1ccccc1C(=O)O' })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-input')
      expect(r.error.message).toMatch(/trained on MW, AlogP, HBA and HBD values from a file/)
    }
  })

  it('flags a compound unlike the training data as outside the domain', async () => {
    const r = await ok(
      engine.invoke('predictions.single', {
        features: { mw_freebase: 4900, alogp: 19, hba: 50, hbd: 50 },
      }),
    )
    expect(r.inDomain).toBe(false)
    expect(r.domain.outOfRange).toEqual(expect.arrayContaining(['mw_freebase', 'hbd']))
  })

  it('says exactly what is wrong with bad input', async () => {
    const cases: [unknown, RegExp][] = [
      [
        { features: { mw_freebase: -5, alogp: 1, hba: 1, hbd: 1 } },
        /MW must be a positive number below 5000/,
      ],
      [
        { features: { mw_freebase: 5000, alogp: 1, hba: 1, hbd: 1 } },
        /MW must be a positive number below 5000/,
      ],
      [
        { features: { mw_freebase: 300, alogp: 1, hba: 2.5, hbd: 1 } },
        /HBA must be a whole number from 0 to 50/,
      ],
      [
        { features: { mw_freebase: 300, alogp: 1, hba: 2, hbd: 51 } },
        /HBD must be a whole number from 0 to 50/,
      ],
      [{ features: { mw_freebase: '300', alogp: 1, hba: 2, hbd: 1 } }, /MW must be a number/],
      // the baseline is trained on file values: a SMILES alone is refused, readable or not
      [{ smiles: 'C1CC(' }, /trained on MW, AlogP, HBA and HBD values from a file/],
      [{}, /either the four features or a SMILES/],
      [{ smiles: 'CCO', model: 'v9' }, /no model version v9/],
    ]
    for (const [input, message] of cases) {
      const r = await engine.invoke('predictions.single', input)
      expect(r.ok, JSON.stringify(input)).toBe(false)
      if (!r.ok) expect(r.error.message, JSON.stringify(input)).toMatch(message)
    }
  })

  it('compares only with measured values of the model’s own standard type', async () => {
    const file = join(dir.path, 'log-types.csv')
    writeFileSync(
      file,
      [
        'molecule_chembl_id,mw_freebase,alogp,hba,hbd,standard_type,standard_relation,standard_value,standard_units',
        // the baseline is trained on IC50: a Log IC50 or a pIC50 is another standard type, not
        // compared with (as a training set would not mix them), however it is read
        'L1,350.4,3.1,5,1,Log IC50,=,3.45,nM',
        'L2,350.4,3.1,5,1,pIC50,=,7.2,',
        'L3,350.4,3.1,5,1,pIC50,=,0.155,uM',
        // hand-worked: 0.25 uM = 250 nM -> 9 - log10(250)
        'L4,350.4,3.1,5,1,IC50,=,0.25,uM',
      ].join('\n'),
    )
    const started = await ok(
      engine.invoke('predictions.batch', { file: await fileRef(engine, file) }),
    )
    const finished = await waitForFinished(engine, started.jobId)
    const s = finished.result as BatchSummary
    const { rows } = await ok(
      engine.invoke('predictions.rows', { batchId: s.batchId, failed: false }),
    )
    const observed = (id: string) => rows.find((r) => r.moleculeId === id)?.observed
    expect(observed('L1')).toBeNull()
    expect(observed('L2')).toBeNull()
    expect(observed('L3')).toBeNull()
    expect(observed('L4')).toBeCloseTo(9 - Math.log10(250), 12)
    expect(s.observed?.rows).toBe(1)
  })

  it('scores a dropped file, lists the rows it cannot score with reasons, and exports CSV', async () => {
    const file = join(dir.path, 'candidates.csv')
    writeFileSync(
      file,
      [
        'molecule_chembl_id,canonical_smiles,mw_freebase,alogp,hba,hbd,standard_type,standard_relation,standard_value,standard_units',
        'A1,,350.4,3.1,5,1,IC50,=,100,nM',
        'A2,,heavy,3.1,5,1,IC50,=,100,nM',
        'A3,,,,,,IC50,=,100,nM',
        'A4,C1CC(,,,,,,,,',
        'A5,,6000,3,5,1,,,,',
        '=HYPERLINK("x"),CCO,,,,,,,,',
        'A7,,410.2,2.2,6,2,IC50,=,2.5,uM',
        // ChEMBL and pandas write None / NaN for nothing: empty, as the importer reads them
        'A8,CCO,None,NaN,,None,IC50,=,,',
      ].join('\n'),
    )
    const started = await ok(
      engine.invoke('predictions.batch', { file: await fileRef(engine, file) }),
    )
    const finished = await waitForFinished(engine, started.jobId)
    expect(finished.state).toBe('succeeded')
    const s = finished.result as BatchSummary
    // the baseline is trained on file values: the three rows with a SMILES only (one that RDKit
    // cannot read among them) are not scored; a row with neither is still one with no structure
    expect(s.rowsScored).toBe(2)
    expect(s.failuresByReason).toEqual({
      'non-numeric-value': 1,
      'no-structure': 1,
      'out-of-range': 1,
      'file-values-model': 3,
    })
    const { rows } = await ok(
      engine.invoke('predictions.rows', { batchId: s.batchId, failed: false }),
    )
    const expected = await reference([
      [350.4, 3.1, 5, 1],
      [410.2, 2.2, 6, 2],
    ])
    expect(rows.find((r) => r.moleculeId === 'A1')?.pActivity).toBeCloseTo(expected[0]!, 5)
    expect(rows.find((r) => r.moleculeId === 'A7')?.pActivity).toBeCloseTo(expected[1]!, 5)
    // measured values: 100 nM -> 7, 2.5 uM -> 9 - log10(2500)
    expect(rows.find((r) => r.moleculeId === 'A7')?.observed).toBeCloseTo(9 - Math.log10(2500), 12)
    expect(s.observed?.rows).toBe(2)
    const csv = await ok(engine.invoke('predictions.csv', { batchId: s.batchId }))
    const lines = csv.csv.trim().split('\r\n')
    expect(lines).toHaveLength(9)
    expect(lines[0]).toContain('model_version')
    expect(csv.csv).toContain(`"'=HYPERLINK(""x"")"`)
    expect(lines.every((l, i) => i === 0 || l.endsWith(',v1'))).toBe(true)
    // with a filter, the rows it selects: the six the file could not score, in file order
    const failedCsv = await ok(
      engine.invoke('predictions.csv', { batchId: s.batchId, failed: true }),
    )
    const failedLines = failedCsv.csv.trim().split('\r\n')
    expect(failedLines.slice(1).map((l) => l.split(',')[1])).toEqual([
      'A2',
      'A3',
      'A4',
      'A5',
      `"'=HYPERLINK(""x"")"`,
      'A8',
    ])
    expect(failedCsv.fileName).toBe('candidates-predictions-v1-filtered.csv')
    const history = await ok(engine.invoke('predictions.batches', {}))
    expect(history[0]?.batchId).toBe(s.batchId)
  })

  it('scores every compound in the database and stores each prediction', async () => {
    const started = await ok(engine.invoke('predictions.batch', { database: {} }))
    const finished = await waitForFinished(engine, started.jobId)
    const s = finished.result as BatchSummary
    expect(s.rowsScored + s.rowsFailed).toBe(2500)
    expect(s.rowsFailed).toBe(0)
    const stored = engine.context.db
      .prepare(
        'SELECT count(*) AS n FROM predictions WHERE batch_id = ? AND p_activity IS NOT NULL',
      )
      .get(s.batchId) as { n: number }
    expect(stored.n).toBe(2500)
    // a sample of rows against ONNX Runtime directly
    const sample = engine.context.db
      .prepare(
        `SELECT p.p_activity AS p, c.mw_freebase, c.alogp, c.hba, c.hbd FROM predictions p
           JOIN compounds c ON c.id = p.compound_id WHERE p.batch_id = ? ORDER BY p.row_number LIMIT 50`,
      )
      .all(s.batchId) as {
      p: number
      mw_freebase: number
      alogp: number
      hba: number
      hbd: number
    }[]
    const expected = await reference(sample.map((r) => [r.mw_freebase, r.alogp, r.hba, r.hbd]))
    sample.forEach((r, i) => expect(r.p).toBeCloseTo(expected[i]!, 5))
    // every sample compound has its measured value as the observed one
    expect(s.observed?.rows).toBe(2500)
  })

  it('removes the sample in one action, with the models and predictions made from it', async () => {
    const removed = await ok(engine.invoke('sample.remove', {}))
    expect(removed).toEqual({ imports: 1, models: 1 })
    expect(await ok(engine.invoke('models.list', {}))).toEqual([])
    const counts = engine.context.db
      .prepare(
        `SELECT (SELECT count(*) FROM compounds) AS c, (SELECT count(*) FROM predictions) AS p, (SELECT count(*) FROM activities) AS a,
           (SELECT count(*) FROM activity_contexts) AS x`,
      )
      .get() as { c: number; p: number; a: number; x: number }
    expect(counts).toEqual({ c: 0, p: 0, a: 0, x: 0 })
    const r = await engine.invoke('predictions.single', { smiles: 'CCO' })
    expect(!r.ok && r.error.code).toBe('no-production-model')
    // and it does not come back at the next start
    expect(await seedSampleIfEmpty(engine.context, REPO_ROOT)).toBe(false)
  })
})

describe('predictions from a SMILES, with a model that takes structures', () => {
  // the old-format baseline keeps its old rule: RDKit computes the four features of a SMILES
  const dir = tempDir()
  let engine: Engine
  let model: string
  beforeAll(async () => {
    engine = startTestEngine(join(dir.path, 'data'))
    const imported = await ok(
      engine.invoke('models.import', {
        onnx: await fileRef(engine, join(LEGACY, 'baseline-core4-gbdt.onnx')),
        card: await fileRef(engine, join(LEGACY, 'baseline-core4-gbdt.json')),
      }),
    )
    model = imported.model.version
  }, 60_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  it('computes the features from a SMILES with RDKit for a model that takes structures', async () => {
    // the old-format baseline keeps its old rule: RDKit computes the four features of a SMILES
    // aspirin: RDKit average MW 180.159, Crippen logP 1.3101, HBA 3, HBD 1 (hand-checked in the descriptor test)
    const r = await ok(
      engine.invoke('predictions.single', { smiles: 'CC(=O)Oc1ccccc1C(=O)O', model }),
    )
    expect(r.features.mw_freebase).toBeCloseTo(180.159, 2)
    expect(r.features.alogp).toBeCloseTo(1.3101, 3)
    expect(r.features.hba).toBe(3)
    expect(r.features.hbd).toBe(1)
    const [exact] = await scoreOnce(readFileSync(join(LEGACY, 'baseline-core4-gbdt.onnx')), {
      n: 1,
      f: 4,
      x: Float32Array.of(
        r.features.mw_freebase!,
        r.features.alogp!,
        r.features.hba!,
        r.features.hbd!,
      ),
    })
    expect(r.pActivity).toBeCloseTo(exact!, 5)
    expect(r.modelVersion).toBe(model)
  })

  it('says RDKit cannot read a SMILES it cannot read', async () => {
    const r = await engine.invoke('predictions.single', { smiles: 'C1CC(', model })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toMatch(/RDKit cannot read the SMILES "C1CC\(/)
  })
})

describe('CSV cells', () => {
  it('neutralises text a spreadsheet would run as a formula, and leaves numbers numbers', () => {
    expect(csvCell('=1+1')).toBe("'=1+1")
    expect(csvCell('+33')).toBe("'+33")
    expect(csvCell('-2')).toBe("'-2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('CHEMBL25')).toBe('CHEMBL25')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell(-0.52)).toBe('-0.52')
  })
})
