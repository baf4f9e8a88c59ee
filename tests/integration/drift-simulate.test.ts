import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DriftCheck, DriftSettings } from '../../src-main/contract'
import { databasePath } from '../../src-main/engine/db/connection'
import type { Engine } from '../../src-main/engine/engine'
import { SAMPLE_TARGET, seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { REPO_ROOT, startTestEngine, tempDir, waitForFinished } from '../helpers'

// The synthetic sample and its bundled baseline model (production), as a first launch has them.

const dir = tempDir()
let engine: Engine
let baseline: string

async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await engine.call(method, input)
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
  return r.value as T
}

async function failure(method: string, input: unknown) {
  const r = await engine.call(method, input)
  if (r.ok) throw new Error(`${method} was accepted`)
  return r.error
}

async function simulate(input: unknown): Promise<DriftCheck> {
  const { jobId } = await call<{ jobId: string }>('drift.simulate', input)
  const finished = await waitForFinished(engine, jobId)
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  return finished.result as DriftCheck
}

const count = (sql: string) => {
  const db = new Database(databasePath(dir.path), { readonly: true })
  try {
    return db.prepare(sql).pluck().get() as number
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  engine = startTestEngine(dir.path)
  expect(await seedSampleIfEmpty(engine.context, REPO_ROOT)).toBe(true)
  const models = await call<{ version: string; stage: string }[]>('models.list', {})
  baseline = models.find((m) => m.stage === 'production')?.version as string
  // the sample's own first import starts no check: its model is registered after it
  await Promise.all(
    engine.context.jobs
      .list()
      .filter((j) => j.kind === 'drift.run')
      .map((j) => engine.context.jobs.waitFor('drift.run', j.id)),
  )
}, 300_000)

afterAll(async () => {
  await engine?.close()
  dir.remove()
})

describe('simulated data', () => {
  it('the first launch’s sample import started no drift check', () => {
    expect(engine.context.jobs.list().filter((j) => j.kind === 'drift.run')).toEqual([])
    expect(count('SELECT count(*) FROM drift_runs')).toBe(0)
  })

  it('flags alogp shifted by 2 standard deviations, not the unshifted draw, and imports nothing', async () => {
    const imports = count('SELECT count(*) FROM imports')
    const shifted = await simulate({
      shifts: [{ feature: 'alogp', by: 'sd', amount: 2 }],
      rows: 400,
      seed: 7,
    })
    expect(shifted.modelVersion).toBe(baseline)
    expect(shifted.target).toBe(SAMPLE_TARGET)
    expect(shifted.trigger).toBe('simulation')
    expect(shifted.isSynthetic).toBe(true)
    expect(shifted.source).toMatchObject({ kind: 'simulated', rows: 400, seed: 7 })
    expect(shifted.currentRows).toBe(400)
    const alogp = shifted.features.find((f) => f.name === 'alogp')
    expect(alogp?.drifted).toBe(true)
    expect(shifted.prediction?.drifted).toBe(true)
    // no structures in simulated rows
    expect(shifted.chemistry).toBeNull()

    const plain = await simulate({ shifts: [], rows: 400, seed: 7 })
    expect(plain.features.find((f) => f.name === 'alogp')?.drifted).toBe(false)
    expect(plain.datasetDrift).toBe(false)
    expect(count('SELECT count(*) FROM imports')).toBe(imports)
    const history = await call<{ trigger: string; isSynthetic: boolean }[]>('drift.history', {
      model: baseline,
    })
    expect(history.map((h) => [h.trigger, h.isSynthetic])).toEqual([
      ['simulation', true],
      ['simulation', true],
    ])
  }, 300_000)

  it('draws new compounds each time no seed is given, and keeps the seed it took', async () => {
    const first = await simulate({ shifts: [], rows: 200 })
    const second = await simulate({ shifts: [], rows: 200 })
    // two checks of simulated data came before these
    expect(first.source).toMatchObject({ kind: 'simulated', seed: 3 })
    expect(second.source).toMatchObject({ kind: 'simulated', seed: 4 })
    const shares = (c: DriftCheck) => c.features.map((f) => f.histogram.current)
    expect(shares(second)).not.toEqual(shares(first))
  }, 300_000)
})

describe('drift settings', () => {
  it('default to Evidently’s, refuse a feature the model lacks or a bad threshold, and are audited', async () => {
    expect(await call<DriftSettings>('drift.settings', { model: baseline })).toEqual({
      features: {},
      datasetShare: 0.5,
    })
    const unknown = await failure('drift.saveSettings', {
      model: baseline,
      settings: { features: { logd: { method: 'psi' } }, datasetShare: 0.5 },
    })
    expect(unknown.code).toBe('invalid-input')
    expect(unknown.message).toContain('logd')
    const badP = await failure('drift.saveSettings', {
      model: baseline,
      settings: { features: { alogp: { method: 'ks', threshold: 5 } }, datasetShare: 0.5 },
    })
    expect(badP.code).toBe('invalid-input')
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'drift-settings'")).toBe(0)

    const settings: DriftSettings = {
      features: { alogp: { method: 'psi', threshold: 0.2 }, hbd: { method: 'ks' } },
      datasetShare: 0.25,
    }
    expect(await call('drift.saveSettings', { model: baseline, settings })).toEqual(settings)
    expect(await call('drift.settings', { model: baseline })).toEqual(settings)
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'drift-settings'")).toBe(1)

    // the next check uses them
    const check = await simulate({ shifts: [], rows: 300, seed: 3 })
    const alogp = check.features.find((f) => f.name === 'alogp')
    expect(alogp).toMatchObject({ method: 'psi', threshold: 0.2, overridden: true })
    expect(alogp?.statistic).toBe(alogp?.psi)
    const hbd = check.features.find((f) => f.name === 'hbd')
    expect(hbd).toMatchObject({ method: 'ks', threshold: 0.05, overridden: true })
    expect(hbd?.pValue).not.toBeNull()
    expect(check.features.find((f) => f.name === 'mw_freebase')?.overridden).toBe(false)
    expect(check.datasetShare).toBe(0.25)
  }, 300_000)
})
