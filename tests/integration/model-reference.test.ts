import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type ModelDetail, type TrainResult, WorkbenchError } from '../../src-main/contract'
import { openDatabase } from '../../src-main/engine/db/connection'
import type { Engine } from '../../src-main/engine/engine'
import {
  type ReferenceData,
  readReference,
  modelReference,
} from '../../src-main/engine/models/reference-data'
import { REPO_ROOT, importOnce, waitForFinished } from '../helpers'
import { AROMATASE, aromataseIc50, readTable } from '../reference-csv'
import { referenceStandardised } from '../rdkit-reference'

// The expected training rows come from the file itself and RDKit's Python API: per molecule, the
// IC50 / nM / '=' values ChEMBL's curators do not doubt, their median as pIC50 (9 - log10 nM), and
// the molecular weight python3-rdkit gives the standardised parent of the file's SMILES (largest
// organic fragment, neutralised), which the model was fitted on as float32.
const file = readTable(AROMATASE, ';')
const byMolecule = new Map<string, { smiles: string; mw: number | null; p: number[] }>()
for (const r of aromataseIc50(file.rows).undoubted) {
  const id = r['Molecule ChEMBL ID'] as string
  const entry = byMolecule.get(id) ?? { smiles: r.Smiles ?? '', mw: null, p: [] }
  entry.p.push(9 - Math.log10(Number(r['Standard Value'])))
  byMolecule.set(id, entry)
}

/** MolWt of each SMILES from RDKit's Python API (null: unreadable). */
function rdkitMolWt(smiles: (string | null)[]): (number | null)[] {
  const python = process.env.RDKIT_REFERENCE_PYTHON ?? '/usr/bin/python3'
  const run = spawnSync(python, [join(REPO_ROOT, 'tests/fixtures/core4-reference.py')], {
    input: JSON.stringify(smiles.map((s) => s ?? '')),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  })
  if (run.status !== 0)
    throw new Error(`${python} could not compute descriptors (python3-rdkit): ${run.stderr}`)
  return (JSON.parse(run.stdout) as ([number, number, number, number] | null)[]).map((v, i) =>
    smiles[i] ? (v?.[0] ?? null) : null,
  )
}
{
  const entries = [...byMolecule.values()].filter((e) => e.smiles !== '')
  const parents = referenceStandardised(entries.map((e) => e.smiles))
  rdkitMolWt(parents).forEach((mw, i) => {
    ;(entries[i] as { mw: number | null }).mw = mw
  })
}
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

async function train(engine: Engine, input: Record<string, unknown>) {
  const started = await engine.invoke('models.train', input)
  if (!started.ok) throw new Error(started.error.message)
  return waitForFinished(engine, started.value.jobId)
}

describe('the training rows kept with a model as its drift reference', () => {
  let engine: Engine
  let dataDir: string
  importOnce(AROMATASE, {}, (e, _s, d) => {
    engine = e
    dataDir = d
  })

  let version: string
  let stored: ReferenceData
  const chemblIds: string[] = []

  it('are the exact feature values and labels of every row the model learned from', async () => {
    const finished = await train(engine, {
      featureSet: 'core4',
      learner: 'ridge',
      seed: 11,
    })
    expect(finished.state).toBe('succeeded')
    const trained = finished.result as TrainResult
    version = trained.modelVersion
    // the aromatase file has a structure for every row: RDKit's values of the parents are used
    const detail = await engine.invoke('models.get', { version })
    if (!detail.ok) throw new Error(detail.error.message)
    expect(detail.value.trainingSet.featureSource?.kind).toBe('rdkit-standardised')
    const db = openDatabase(dataDir)
    try {
      const ref = readReference(db, version)
      expect(ref).not.toBeNull()
      stored = ref as ReferenceData
      expect(stored.source).toBe('training')
      expect(stored.rows).toBe(trained.rows)
      expect(stored.featureNames).toEqual(['mw_freebase', 'alogp', 'hba', 'hbd'])
      expect(stored.fingerprints).toBeNull()
      const idOf = db.prepare('SELECT chembl_id FROM compounds WHERE id = ?').pluck()
      for (const id of stored.compoundIds) chemblIds.push(idOf.get(id) as string)
    } finally {
      db.close()
    }
    // every row is one molecule of the file, each once, with RDKit's values for its parent
    expect(new Set(chemblIds).size).toBe(stored.rows)
    // a few molecules lack an RDKit value and are left out; no more than that
    expect(stored.rows).toBeGreaterThan(byMolecule.size - 10)
    const mw = stored.columns[0] as Float32Array
    chemblIds.forEach((id, i) => {
      const expected = byMolecule.get(id)
      expect(expected, id).toBeDefined()
      expect(expected?.mw, id).not.toBeNull()
      expect(mw[i], id).toBeCloseTo(Math.fround(expected?.mw as number), 3)
      expect(stored.labels[i]).toBeCloseTo(median(expected?.p as number[]), 10)
    })
    const distinctMw = new Set(chemblIds.map((id) => Math.fround(byMolecule.get(id)?.mw as number)))
    expect(stored.counts.mw_freebase).toEqual({ distinct: distinctMw.size, missing: 0 })
  })

  it('keep the out-of-fold predictions the model card reports', async () => {
    const detail = await engine.invoke('models.get', { version })
    if (!detail.ok) throw new Error(detail.error.message)
    const oof = (detail.value as ModelDetail).oof
    expect(Array.from(stored.oof)).toEqual(oof.predicted)
    expect(Array.from(stored.labels)).toEqual(oof.observed)
  })

  it('are rebuilt exactly for a model registered before they were kept, and only then', () => {
    const db = openDatabase(dataDir)
    try {
      // as a model registered before migration 006 has it: no reference row
      db.prepare(
        'DELETE FROM model_reference WHERE model_version_id = (SELECT id FROM model_versions WHERE version = ?)',
      ).run(version)
      expect(readReference(db, version)).toBeNull()
      const rebuilt = modelReference(db, version)
      expect(rebuilt.source).toBe('rebuilt')
      expect(Array.from(rebuilt.compoundIds)).toEqual(Array.from(stored.compoundIds))
      rebuilt.columns.forEach((c, k) =>
        expect(Array.from(c)).toEqual(Array.from(stored.columns[k] as Float32Array)),
      )
      expect(Array.from(rebuilt.labels)).toEqual(Array.from(stored.labels))
      expect(Array.from(rebuilt.oof)).toEqual(Array.from(stored.oof))
      expect(readReference(db, version)?.source).toBe('rebuilt')

      // The data changes (one training compound's measurements corrected): the rows the model
      // saw can no longer be recovered, and the app says so instead of comparing with others.
      db.prepare(
        'DELETE FROM model_reference WHERE model_version_id = (SELECT id FROM model_versions WHERE version = ?)',
      ).run(version)
      db.prepare(
        'UPDATE activity_records SET p_activity = p_activity + 0.5 WHERE compound_id = ? AND usable = 1',
      ).run(stored.compoundIds[0])
      let error: unknown
      try {
        modelReference(db, version)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(WorkbenchError)
      expect((error as WorkbenchError).code).toBe('reference-unavailable')
      expect((error as WorkbenchError).message).toContain('has changed since it was trained')
    } finally {
      db.close()
    }
  })

  it('keep the Morgan bits of every row for a fingerprint model, as RDKit stored them', async () => {
    const finished = await train(engine, {
      featureSet: 'physchem+morgan',
      learner: 'ridge',
      seed: 13,
    })
    expect(finished.state).toBe('succeeded')
    const db = openDatabase(dataDir)
    try {
      const ref = readReference(db, (finished.result as TrainResult).modelVersion) as ReferenceData
      expect(ref.featureNames.some((n) => n.startsWith('morgan_'))).toBe(false)
      expect(ref.featureNames.length).toBeGreaterThan(40)
      const fp = ref.fingerprints as Uint8Array
      expect(fp.length).toBe(256 * ref.rows)
      const stored = db.prepare('SELECT morgan_fp FROM compounds WHERE id = ?').pluck()
      ref.compoundIds.forEach((id, i) =>
        expect(
          Buffer.from(fp.subarray(i * 256, (i + 1) * 256)).equals(stored.get(id) as Buffer),
        ).toBe(true),
      )
    } finally {
      db.close()
    }
    // RDKit computes 208 descriptors and the fingerprint of every training structure first
  }, 240_000)

  it('go with their model when it is deleted', async () => {
    const db = openDatabase(dataDir)
    try {
      const finished = await train(engine, {
        featureSet: 'core4',
        learner: 'ridge',
        seed: 12,
      })
      const second = (finished.result as TrainResult).modelVersion
      expect(readReference(db, second)).not.toBeNull()
      const deleted = await engine.invoke('models.delete', { version: second, reason: 'test' })
      expect(deleted.ok).toBe(true)
      const left = db
        .prepare(
          'SELECT count(*) FROM model_reference r LEFT JOIN model_versions m ON m.id = r.model_version_id WHERE m.id IS NULL',
        )
        .pluck()
        .get()
      expect(left).toBe(0)
    } finally {
      db.close()
    }
  })
})
