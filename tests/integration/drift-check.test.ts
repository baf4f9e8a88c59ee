import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DriftCheck, ImportSummary, TrainResult } from '../../src-main/contract'
import { openDatabase } from '../../src-main/engine/db/connection'
import type { Engine } from '../../src-main/engine/engine'
import { readReference } from '../../src-main/engine/models/reference-data'
import { type DomainModel, domainChecker } from '../../src-main/ml/domain'
import { relativeDifference, scipyReference } from '../drift-scipy'
import { fileRef, importOnce, recordEvents, runJob, tempDir, waitForFinished } from '../helpers'
import { ACHE, AROMATASE } from '../reference-csv'

// A model trained on aromatase (CHEMBL1978) inhibitors, checked against other data. The expected
// statistics come from scipy (tests/fixtures/drift-reference.py) on the two samples read straight
// from the database: the training rows stored with the model, and the compounds of the import.

async function run(engine: Engine, method: 'drift.run' | 'models.train', input: unknown) {
  const started = await engine.invoke(method, input)
  if (!started.ok) throw Object.assign(new Error(started.error.message), started.error)
  return waitForFinished(engine, (started.value as { jobId: string }).jobId)
}

async function check(engine: Engine, input: unknown): Promise<DriftCheck> {
  const finished = await run(engine, 'drift.run', input)
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  return finished.result as DriftCheck
}

const SEEDS = ['mw_freebase', 'alogp', 'hba', 'hbd'] as const

/**
 * The model's stored training rows and the seed features of an import's compounds, read from
 * SQLite: RDKit's values for the standardised structure where the compound has one, the file's
 * otherwise (one feature source per model).
 */
function storedSamples(dataDir: string, version: string, importId: number) {
  const db = openDatabase(dataDir)
  try {
    const ref = readReference(db, version)
    const current = db
      .prepare(
        `SELECT ${SEEDS.map((k) => `coalesce(json_extract(rdkit_seed_json, '$.${k}'), ${k}) AS ${k}`).join(', ')}
           FROM compounds
          WHERE id IN (SELECT compound_id FROM activities WHERE import_id = ?)
            AND ${SEEDS.map((k) => `coalesce(json_extract(rdkit_seed_json, '$.${k}'), ${k}) IS NOT NULL`).join(' AND ')}
          ORDER BY id`,
      )
      .all(importId) as Record<(typeof SEEDS)[number], number>[]
    return { ref, current }
  } finally {
    db.close()
  }
}

describe('a drift check against a model trained on aromatase', () => {
  let engine: Engine
  let dataDir: string
  importOnce(AROMATASE, {}, (e, _s, d) => {
    engine = e
    dataDir = d
  })
  const scratch = tempDir('assay-drift-files-')
  let version: string
  let acheImport: number

  it('flags the AChE compounds as drifted, with the statistics scipy gives on the same samples', async () => {
    const trained = await run(engine, 'models.train', {
      featureSet: 'core4',
      learner: 'ridge',
      seed: 11,
    })
    expect(trained.state).toBe('succeeded')
    version = (trained.result as TrainResult).modelVersion
    const imported = await runJob(engine, 'imports.start', { file: await fileRef(engine, ACHE) })
    expect(imported.state).toBe('succeeded')
    acheImport = (imported.result as ImportSummary).importId as number

    const result = await check(engine, {
      model: version,
      source: { kind: 'import', importId: acheImport },
    })
    // the two samples as the database holds them, independent of the check
    const { ref, current } = storedSamples(dataDir, version, acheImport)
    expect(ref).not.toBeNull()
    expect(result.referenceRows).toBe(ref?.rows)
    expect(result.currentRows).toBe(current.length)
    expect(result.modelVersion).toBe(version)
    expect(result.source).toMatchObject({ kind: 'import', importId: acheImport })

    const expected = scipyReference({
      cases: SEEDS.map((name, k) => ({
        id: name,
        reference: Array.from(ref?.columns[k] as Float32Array),
        // the model sees float32 values, and so does the check
        current: current.map((r) => Math.fround(r[name])),
      })),
    }).cases
    expect(result.features.map((f) => f.name)).toEqual([...SEEDS])
    for (const [k, f] of result.features.entries()) {
      const e = expected[k]!
      // more than 1000 training rows: Evidently's Wasserstein (normed) or Jensen-Shannon
      expect(f.method, f.name).toBe(e.distinct > 5 ? 'wasserstein' : 'jensen-shannon')
      expect(relativeDifference(f.statistic as number, e.wassersteinNormed), f.name).toBeLessThan(
        1e-9,
      )
      expect(relativeDifference(f.psi as number, e.psi), f.name).toBeLessThan(1e-9)
      expect(f.distinct).toBe(e.distinct)
      expect(f.drifted).toBe(e.wassersteinNormed >= 0.1)
      expect(f.missing).toEqual({ reference: 0, current: 0 })
      // the overlay's shares sum to 1 on each side
      expect(f.histogram.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9)
      expect(f.histogram.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9)
    }
    const drifted = expected.filter((e) => e.wassersteinNormed >= 0.1).length
    expect(result.featuresDrifted).toBe(drifted)
    expect(result.datasetDrift).toBe(drifted / 4 >= 0.5)
    expect(result.datasetDrift).toBe(true)
    // AChE data holds no aromatase measurement
    expect(result.performance).toBeNull()
    expect(result.prediction).not.toBeNull()
    expect(result.chemistry).not.toBeNull()
    expect(result.chemistry?.medianNnSimilarity).toBeLessThan(
      result.chemistry?.referenceMedianNnSimilarity as number,
    )
    expect(result.chemistry?.leastSimilar.length).toBe(20)

    // the training rows outside the model's own domain, each row whole as the model sees it
    const db2 = openDatabase(dataDir)
    const domain = JSON.parse(
      db2
        .prepare('SELECT domain_json FROM model_versions WHERE version = ?')
        .pluck()
        .get(version) as string,
    ) as DomainModel
    db2.close()
    const inside = domainChecker(domain)
    let outside = 0
    for (let i = 0; i < (ref?.rows ?? 0); i++)
      if (!inside(SEEDS.map((_, k) => (ref?.columns[k] as Float32Array)[i] as number)).inDomain)
        outside++
    expect(result.chemistry?.referenceOutOfDomainShare).toBe(outside / (ref?.rows ?? 1))
    // current rows: from the scoring's own flags
    expect(result.chemistry?.outOfDomainShare).toBeGreaterThan(
      result.chemistry?.referenceOutOfDomainShare as number,
    )

    // drift.get reads back what the check answered
    const got = await engine.invoke('drift.get', { driftRunId: result.driftRunId })
    expect(got.ok && got.value).toEqual(result)
  }, 300_000)

  it('finds no dataset drift in half of the training rows themselves', async () => {
    const db = openDatabase(dataDir)
    const ref = readReference(db, version)
    db.close()
    if (!ref) throw new Error('no reference')
    const lines = ['molecule_chembl_id,mw_freebase,alogp,hba,hbd']
    const half: number[][] = SEEDS.map(() => [])
    for (let i = 0; i < ref.rows; i += 2) {
      const values = SEEDS.map((_, k) => (ref.columns[k] as Float32Array)[i] as number)
      values.forEach((v, k) => half[k]!.push(v))
      lines.push([`ROW${i}`, ...values.map(String)].join(','))
    }
    const path = join(scratch.path, 'half.csv')
    writeFileSync(path, `${lines.join('\n')}\n`)
    const result = await check(engine, {
      model: version,
      source: { kind: 'file', file: await fileRef(engine, path) },
    })
    expect(result.currentRows).toBe(half[0]!.length)
    expect(result.datasetDrift).toBe(false)
    const expected = scipyReference({
      cases: SEEDS.map((name, k) => ({
        id: name,
        reference: Array.from(ref.columns[k] as Float32Array),
        current: half[k]!,
      })),
    }).cases
    result.features.forEach((f, k) => {
      expect(
        relativeDifference(f.statistic as number, expected[k]!.wassersteinNormed),
      ).toBeLessThan(1e-9)
      expect(f.drifted).toBe(false)
    })
    expect(result.source).toMatchObject({ kind: 'file', fileName: 'half.csv' })
    // no structures in the file
    expect(result.chemistry).toBeNull()
  }, 300_000)

  it('uses the model’s chosen tests, with the p-values scipy gives', async () => {
    const saved = await engine.invoke('drift.saveSettings', {
      model: version,
      settings: {
        features: {
          mw_freebase: { method: 'ks' },
          alogp: { method: 'ks', threshold: 0.01 },
          hba: { method: 'chi-square' },
          hbd: { method: 'psi', threshold: 0.2 },
        },
        datasetShare: 0.75,
      },
    })
    expect(saved.ok).toBe(true)
    const result = await check(engine, {
      model: version,
      source: { kind: 'import', importId: acheImport },
    })
    const { ref, current } = storedSamples(dataDir, version, acheImport)
    const expected = scipyReference({
      cases: SEEDS.map((name, k) => ({
        id: name,
        reference: Array.from(ref?.columns[k] as Float32Array),
        current: current.map((r) => Math.fround(r[name])),
      })),
    }).cases
    const [mw, alogp, hba, hbd] = result.features
    const [emw, ealogp, ehba, ehbd] = expected
    expect(mw).toMatchObject({ method: 'ks', threshold: 0.05, overridden: true })
    expect(relativeDifference(mw!.statistic as number, emw!.ksStatistic)).toBeLessThan(1e-9)
    expect(relativeDifference(mw!.pValue as number, emw!.ksPValue)).toBeLessThan(1e-6)
    expect(alogp).toMatchObject({ method: 'ks', threshold: 0.01 })
    expect(relativeDifference(alogp!.statistic as number, ealogp!.ksStatistic)).toBeLessThan(1e-9)
    expect(relativeDifference(alogp!.pValue as number, ealogp!.ksPValue)).toBeLessThan(1e-6)
    expect(alogp!.drifted).toBe(ealogp!.ksPValue <= 0.01)
    expect(hba).toMatchObject({ method: 'chi-square' })
    expect(relativeDifference(hba!.statistic as number, ehba!.chiStatistic)).toBeLessThan(1e-9)
    expect(hba!.pValue === null ? NaN : hba!.pValue).toBeCloseTo(ehba!.chiPValue, 6)
    expect(hbd).toMatchObject({ method: 'psi', threshold: 0.2, pValue: null })
    expect(relativeDifference(hbd!.statistic as number, ehbd!.psi)).toBeLessThan(1e-9)
    expect(hbd!.drifted).toBe(ehbd!.psi >= 0.2)
    expect(result.datasetShare).toBe(0.75)
    expect(result.datasetDrift).toBe(result.featuresDrifted / result.featuresTested >= 0.75)
    // back to Evidently's defaults for the tests after this one
    await engine.invoke('drift.saveSettings', {
      model: version,
      settings: { features: {}, datasetShare: 0.5 },
    })
  }, 300_000)

  it('reports its phases, and a cancelled check stores nothing', async () => {
    const events = recordEvents(engine)
    const done = await check(engine, {
      model: version,
      source: { kind: 'import', importId: acheImport },
    })
    const phases = new Set(
      events
        .filter((e) => e.event === 'job.progress')
        .map((e) => (e.payload as { phase: string }).phase),
    )
    // progress is throttled to one event per 100 ms: the first phase and the longest one always show
    for (const phase of ['reading', 'comparing structures'])
      expect(phases.has(phase), phase).toBe(true)

    const db = openDatabase(dataDir)
    const count = () => db.prepare('SELECT count(*) FROM drift_runs').pluck().get() as number
    const before = count()
    expect(before).toBeGreaterThanOrEqual(done.driftRunId)
    const started = await engine.invoke('drift.run', {
      model: version,
      source: { kind: 'import', importId: acheImport },
    })
    if (!started.ok) throw new Error(started.error.message)
    const cancel = await engine.invoke('jobs.cancel', { jobId: started.value.jobId })
    expect(cancel.ok).toBe(true)
    const finished = await waitForFinished(engine, started.value.jobId)
    expect(finished.state).toBe('cancelled')
    expect(count()).toBe(before)
    db.close()
  }, 300_000)
})
