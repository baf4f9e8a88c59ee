import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { databasePath } from '../../src-main/engine/db/connection'
import type { BatchSummary, ModelDetail, TrainResult } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { fileRef, importOnce, runJob, startTestEngine, tempDir, waitForFinished } from '../helpers'
import { AROMATASE, readTable } from '../reference-csv'

const aromatase = readTable(AROMATASE, ';')

/**
 * A test engine in a fresh data folder with one CSV imported: `header` and `lines` are the file's
 * header and rows. Returns a getter for the engine, set once the import has succeeded.
 */
function engineWithImported(name: string, header: string, lines: () => string[]): () => Engine {
  const dir = tempDir()
  const files = tempDir()
  let engine: Engine
  beforeAll(async () => {
    engine = startTestEngine(dir.path)
    const path = join(files.path, name)
    writeFileSync(path, `${header}\n${lines().join('\n')}\n`)
    const finished = await runJob(engine, 'imports.start', { file: await fileRef(engine, path) })
    if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  }, 120_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
    files.remove()
  })
  return () => engine
}

describe('training on rows without a target', () => {
  // 40 IC50 rows of the aromatase file written without the target columns, as a lab's own
  // spreadsheet might be: the importer keeps them, but with no target.
  const rows = aromatase.rows
    .filter((r) => r['Standard Type'] === 'IC50' && r['Standard Units'] === 'nM' && r.Smiles)
    .filter((r) => r['Standard Relation'] === "'='" && Number(r['Standard Value']) > 0)
    .slice(0, 40)
  const engineOf = engineWithImported(
    'no-target.csv',
    'molecule_chembl_id,canonical_smiles,standard_type,standard_relation,standard_value,standard_units',
    () =>
      rows.map((r) =>
        [r['Molecule ChEMBL ID'], `"${r.Smiles}"`, 'IC50', '=', r['Standard Value'], 'nM'].join(
          ',',
        ),
      ),
  )

  it('says how many usable rows lack a target and how to map one', async () => {
    const engine = engineOf()
    const r = await engine.invoke('models.trainingSet', { featureSet: 'core4' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('not-enough-data')
    expect(r.error.message).toContain(`${rows.length} usable IC50 activities have no target`)
    expect(r.error.message).toContain('--map "COLUMN=target_chembl_id"')
    expect(r.error.message).toContain('mapping editor on the Import screen')
    expect(r.error.message).not.toContain('Import a ChEMBL export')
  })
})

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** Trains a quick model and returns its registry entry (with its training set's summary). */
async function train(engine: Engine, input: Record<string, unknown>): Promise<ModelDetail> {
  const started = await ok(engine.invoke('models.train', { learner: 'ridge', folds: 3, ...input }))
  const finished = await waitForFinished(engine, started.jobId)
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  const version = (finished.result as TrainResult).modelVersion
  return ok(engine.invoke('models.get', { version }))
}

/** Runs a batch prediction; returns its id. */
async function batch(engine: Engine, input: Record<string, unknown>): Promise<number> {
  const started = await ok(engine.invoke('predictions.batch', input))
  const finished = await waitForFinished(engine, started.jobId)
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  return (finished.result as BatchSummary).batchId
}

/** The aromatase salt the issue names: file AlogP 1.40, RDKit's Crippen logP -8.61 as written. */
function issueSalt(): Record<string, string> {
  const salts = aromatase.rows.filter((r) => r.AlogP === '1.40' && r.Smiles?.includes('.'))
  const salt = salts[0]
  if (!salt) throw new Error('the aromatase file has no salt with AlogP 1.40')
  return salt
}

describe('a model trained from structures', () => {
  let engine: Engine
  const files = tempDir()
  importOnce(AROMATASE, {}, (e) => {
    engine = e
  })
  afterAll(() => files.remove())

  it('records RDKit on the standardised structure as its feature source, for every row', async () => {
    const r = await train(engine, { featureSet: 'core4' })
    const source = r.trainingSet.featureSource
    expect(source?.kind).toBe('rdkit-standardised')
    // every aromatase compound has a SMILES, so no row took the file's values
    expect(source?.rdkitRows).toBe(r.trainingSet.compounds)
    expect(source?.fileRows).toBe(0)
    expect(source?.standardisation).toContain('Uncharger')
  }, 120_000)

  it('predicts the same value for the salt from the database, a CSV of SMILES and the single form', async () => {
    const model = await train(engine, { featureSet: 'core4' })
    const salt = issueSalt()
    const smiles = salt.Smiles as string
    const single = await ok(engine.invoke('predictions.single', { model: model.version, smiles }))
    const path = join(files.path, 'salt.csv')
    writeFileSync(path, `smiles\n"${smiles}"\n`)
    const fileBatch = await batch(engine, {
      model: model.version,
      file: await fileRef(engine, path),
    })
    const fromFile = (
      await ok(engine.invoke('predictions.rows', { batchId: fileBatch, failed: false }))
    ).rows
    const dbBatch = await batch(engine, { model: model.version, database: {} })
    const fromDb = engine.context.db
      .prepare(
        `SELECT p.p_activity FROM predictions p JOIN compounds c ON c.id = p.compound_id
          WHERE p.batch_id = ? AND c.chembl_id = ?`,
      )
      .pluck()
      .get(dbBatch, salt['Molecule ChEMBL ID']) as number
    expect(fromDb).toBeTypeOf('number')
    expect(fromFile[0]?.pActivity).toBeCloseTo(single.pActivity, 6)
    expect(fromDb).toBeCloseTo(single.pActivity, 6)
    // the input shown is RDKit's logP of the parent, near the file's 1.40, not -8.61
    expect(Math.abs((fromFile[0]?.inputs.alogp ?? 99) - 1.4)).toBeLessThan(0.5)
  }, 180_000)

  it('stores each compound’s parent, what changed and its 2D descriptors', () => {
    const salt = issueSalt()
    const row = engine.context.db
      .prepare(
        'SELECT smiles, standardised_smiles, standardisation_json, descriptors_2d_json FROM compounds WHERE chembl_id = ?',
      )
      .get(salt['Molecule ChEMBL ID']) as Record<string, string>
    expect(row.smiles).toBe(salt.Smiles)
    expect(row.standardised_smiles).not.toContain('.')
    const changes = JSON.parse(row.standardisation_json as string) as { rule: string }[]
    expect(changes.map((c) => c.rule)).toContain('fragment-removed')
    const d2 = JSON.parse(row.descriptors_2d_json as string) as Record<string, number>
    expect(Math.abs((d2.MolLogP ?? 99) - 1.4)).toBeLessThan(0.5)
    const missing = engine.context.db
      .prepare(
        'SELECT count(*) FROM compounds WHERE smiles IS NOT NULL AND (standardised_smiles IS NULL OR descriptors_2d_json IS NULL)',
      )
      .pluck()
      .get()
    expect(missing).toBe(0)
  })
})

describe('a model trained on file values', () => {
  const rows = aromatase.rows
    .filter((r) => r['Standard Type'] === 'IC50' && r['Standard Units'] === 'nM')
    .filter((r) => r['Standard Relation'] === "'='" && Number(r['Standard Value']) > 0)
    .filter((r) => r['Molecular Weight'] && r.AlogP)
    .slice(0, 60)
  // no structures: MW, AlogP, HBA and HBD as the file gives them
  const engineOf = engineWithImported(
    'values.csv',
    'molecule_chembl_id,mw_freebase,alogp,hba,hbd,target_chembl_id,standard_type,standard_relation,standard_value,standard_units',
    () =>
      rows.map((r, i) =>
        [
          r['Molecule ChEMBL ID'],
          r['Molecular Weight'],
          r.AlogP,
          // the file has no HBA/HBD columns; any counts do for a model of file values
          String(2 + (i % 5)),
          String(i % 3),
          'CHEMBL1978',
          'IC50',
          '=',
          r['Standard Value'],
          'nM',
        ].join(','),
      ),
  )

  it('says so, and refuses a SMILES-only prediction with the reason', async () => {
    const engine = engineOf()
    const model = await train(engine, { featureSet: 'core4' })
    expect(model.trainingSet.featureSource?.kind).toBe('file values')
    expect(model.trainingSet.featureSource?.rdkitRows).toBe(0)
    const r = await engine.invoke('predictions.single', {
      model: model.version,
      smiles: 'CC(=O)Oc1ccccc1C(=O)O',
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('invalid-input')
    expect(r.error.message).toContain('trained on MW, AlogP, HBA and HBD values from a file')
    const fromValues = await engine.invoke('predictions.single', {
      model: model.version,
      features: { mw_freebase: 300, alogp: 2, hba: 3, hbd: 1 },
    })
    expect(fromValues.ok).toBe(true)
  }, 120_000)
})

describe('a database from before standardisation (schema 9)', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  /** Every column schema 9 has of every compound, and every model's ONNX bytes, for comparison. */
  const snapshot = (db: Database.Database) => ({
    compounds: db
      .prepare(
        `SELECT id, molecule_key, chembl_id, name, smiles, mw_freebase, alogp, hba, hbd, feature_sources_json,
                rdkit_version, descriptors_json, hex(morgan_fp) AS morgan, first_import_id, created_at
           FROM compounds ORDER BY id`,
      )
      .all(),
    onnx: db
      .prepare('SELECT version, onnx_sha256, hex(onnx) FROM model_versions ORDER BY id')
      .all(),
    activities: db.prepare('SELECT count(*) FROM activity_records').pluck().get(),
  })

  const predictDatabase = async (engine: Engine, version: string) => {
    const id = await batch(engine, { model: version, database: {} })
    return engine.context.db
      .prepare(
        'SELECT compound_id, p_activity FROM predictions WHERE batch_id = ? ORDER BY compound_id',
      )
      .all(id) as { compound_id: number; p_activity: number | null }[]
  }

  it('standardises its compounds on open, loses nothing, and its physchem model predicts the same', async () => {
    let engine = startTestEngine(dir.path)
    const finished = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, AROMATASE),
    })
    if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
    const model = await train(engine, { featureSet: 'physchem-43' })
    const before = await predictDatabase(engine, model.version)
    await engine.close()

    // What the app wrote before migration 010: no standardisation columns, the 43-descriptor
    // model called "physchem" with no feature source, none of migration 011's automation
    // tables, schema version 9.
    const raw = new Database(databasePath(dir.path))
    raw.exec(`DROP INDEX compounds_unstandardised;
      ALTER TABLE compounds DROP COLUMN standardised_smiles;
      ALTER TABLE compounds DROP COLUMN standardisation_json;
      ALTER TABLE compounds DROP COLUMN rdkit_seed_json;
      ALTER TABLE compounds DROP COLUMN descriptors_2d_json;
      UPDATE model_versions SET feature_set = 'physchem',
        training_set_json = json_set(json_remove(training_set_json, '$.featureSource'), '$.featureSet', 'physchem');
      DELETE FROM predictions; DELETE FROM prediction_batches;
      DROP TABLE watch_files; DROP TABLE retrain_policies; DROP TABLE automation_events;
      PRAGMA user_version = 9;`)
    const old = snapshot(raw)
    raw.close()

    engine = startTestEngine(dir.path)
    try {
      // the engine starts the recomputation by itself; wait for it through the jobs list
      let job = (await ok(engine.invoke('jobs.list', {}))).find(
        (j) => j.kind === 'compounds.standardise',
      )
      expect(job).toBeDefined()
      while (job?.state === 'running') {
        await new Promise((r) => setTimeout(r, 200))
        job = (await ok(engine.invoke('jobs.list', {}))).find((j) => j.id === job?.id)
      }
      expect(job?.state).toBe('succeeded')
      const db = engine.context.db
      expect(snapshot(db)).toEqual(old)
      const unfilled = db
        .prepare(
          `SELECT count(*) FROM compounds WHERE smiles IS NOT NULL AND
             (standardised_smiles IS NULL OR rdkit_seed_json IS NULL OR descriptors_2d_json IS NULL)`,
        )
        .pluck()
        .get()
      expect(unfilled).toBe(0)
      const renamed = await ok(engine.invoke('models.get', { version: model.version }))
      expect(renamed.featureSet).toBe('physchem-43')
      const after = await predictDatabase(engine, model.version)
      expect(after).toHaveLength(before.length)
      after.forEach((r, i) => {
        expect(r.compound_id).toBe(before[i]?.compound_id)
        expect(r.p_activity).toBe(before[i]?.p_activity)
      })
    } finally {
      await engine.close()
    }
  }, 300_000)
})
