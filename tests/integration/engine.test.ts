import initRDKitModule from '@rdkit/rdkit'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppStatus, Events, SelfTestResult } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { LATEST_SCHEMA_VERSION } from '../../src-main/engine/db/migrations'
import { REPO_ROOT, recordEvents, startTestEngine, tempDir, waitForFinished } from '../helpers'

interface Reference {
  rdkit: string
  molecules: { smiles: string; mw: number; alogp: number; hba: number; hbd: number }[]
}
// Computed by Debian's python3-rdkit (tests/fixtures/make-reference-descriptors.py).
const reference = JSON.parse(
  readFileSync(join(REPO_ROOT, 'tests/fixtures/reference-descriptors.json'), 'utf8'),
) as Reference

/**
 * RDKit's NumHBA definition changed after the 2022 release the reference comes from. For caffeine
 * the 2022 build counts 6 acceptors (every N and O); the current one counts 3 by hand: the two
 * carbonyl oxygens and the imine nitrogen of the imidazole (N=C). The three N-methyl nitrogens
 * are not acceptors.
 */
const HBA_CURRENT_DEFINITION: Record<string, number> = { 'CN1C=NC2=C1C(=O)N(C(=O)N2C)C': 3 }

describe('engine', () => {
  let dir: ReturnType<typeof tempDir>
  let engine: Engine
  beforeEach(() => {
    dir = tempDir()
    engine = startTestEngine(dir.path)
  })
  afterEach(async () => {
    await engine.close()
    dir.remove()
  })

  it('reports its status', async () => {
    const result = await engine.invoke('app.status', {})
    if (!result.ok) throw new Error(result.error.message)
    const status: AppStatus = result.value
    expect(status.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    expect(status.dataDir).toBe(dir.path)
    expect(status.versions.node).toBe(process.versions.node)
    expect(status.versions.sqlite).toMatch(/^3\.\d+\.\d+$/)
    expect(status.appVersion).toBe(
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version,
    )
    expect(status.versions.onnxruntime).toBe(
      JSON.parse(
        readFileSync(join(REPO_ROOT, 'node_modules/onnxruntime-node/package.json'), 'utf8'),
      ).version,
    )
    expect(status.engineUptimeSeconds).toBeGreaterThanOrEqual(0)
  })

  it("writes RDKit's version one way: status, self-test and the RDKit build agree", async () => {
    // RDKit names its own release (year.two-digit month.patch); npm's copy of the number drops
    // the month's zero, which the Settings screen used to show beside the other form
    const build = (await initRDKitModule()).version()
    expect(build).toMatch(/^\d{4}\.\d{2}\.\d+$/)
    const npm = JSON.parse(
      readFileSync(join(REPO_ROOT, 'node_modules/@rdkit/rdkit/package.json'), 'utf8'),
    ).version as string
    expect(npm.split('.').map(Number)).toEqual(build.split('.').map(Number))
    const status = await engine.invoke('app.status', {})
    expect(status.ok && status.value.versions.rdkit).toBe(build)
    const started = await engine.invoke('app.selfTest', { smiles: ['CCO'] })
    if (!started.ok) throw new Error(started.error.message)
    const finished = await waitForFinished(engine, started.value.jobId)
    expect((finished.result as SelfTestResult).rdkitVersion).toBe(build)
  })

  it('answers an unknown method with unknown-method, not an exception', async () => {
    const result = await engine.call('models.nonexistent', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    const proto = await engine.call('__proto__', {})
    expect(proto).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
  })

  it('answers a wrong input type with invalid-input and the zod issues', async () => {
    const result = await engine.call('jobs.cancel', { jobId: 12 })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('invalid-input')
    expect(result.error.message).toMatch(/jobs\.cancel/)
    expect(result.error.details).toEqual([expect.objectContaining({ path: ['jobId'] })])
    for (const bad of [null, 'text', [1, 2], { key: 'theme' }]) {
      const r = await engine.call('settings.set', bad)
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
  })

  it('stores settings and keeps them across restarts', async () => {
    expect(await engine.invoke('settings.get', {})).toMatchObject({
      ok: true,
      value: { theme: 'system' },
    })
    expect(await engine.invoke('settings.set', { key: 'theme', value: 'dark' })).toMatchObject({
      ok: true,
      value: { theme: 'dark' },
    })
    await engine.close()
    engine = startTestEngine(dir.path)
    expect(await engine.invoke('settings.get', {})).toMatchObject({
      ok: true,
      value: { theme: 'dark', 'metrics.enabled': false },
    })
  })

  it('runs the self-test in worker threads with progress and one finished event', async () => {
    const events = recordEvents(engine)
    const started = await engine.invoke('app.selfTest', {})
    if (!started.ok) throw new Error(started.error.message)
    const finished = await waitForFinished(engine, started.value.jobId)
    expect(finished.state).toBe('succeeded')
    const result = finished.result as SelfTestResult
    expect(result.workersUsed).toBe(Math.min(engine.context.pool.size, reference.molecules.length))
    expect(result.molecules.map((m) => m.smiles)).toEqual(reference.molecules.map((m) => m.smiles))
    for (const [i, m] of result.molecules.entries()) {
      const ref = reference.molecules[i]!
      expect(m.mw, m.smiles).toBeCloseTo(ref.mw, 3)
      expect(m.alogp, m.smiles).toBeCloseTo(ref.alogp, 3)
      expect(m.hba, m.smiles).toBe(HBA_CURRENT_DEFINITION[m.smiles] ?? ref.hba)
      expect(m.hbd, m.smiles).toBe(ref.hbd)
    }
    // Hand-checked: ethanol C2H6O = 2(12.011) + 6(1.008) + 15.999; glucose C6H12O6 has five OH donors.
    expect(result.molecules[0]!.mw).toBeCloseTo(46.069, 3)
    expect(result.molecules[5]!.mw).toBeCloseTo(6 * 12.011 + 12 * 1.008 + 6 * 15.999, 3)
    expect(result.molecules[5]!.hbd).toBe(5)

    const mine = events.filter(
      (e) => (e.payload as { jobId?: string }).jobId === started.value.jobId,
    )
    expect(mine.filter((e) => e.event === 'job.finished')).toHaveLength(1)
    expect(mine.at(-1)!.event).toBe('job.finished')
    const fractions = mine
      .filter((e) => e.event === 'job.progress')
      .map((e) => (e.payload as Events['job.progress']).fraction)
    expect(fractions.length).toBeGreaterThan(0)
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions)

    const jobs = await engine.invoke('jobs.list', {})
    expect(jobs).toMatchObject({
      ok: true,
      value: [{ id: started.value.jobId, kind: 'app.selfTest', state: 'succeeded' }],
    })
  })

  it('cancels a running job and stays usable afterwards', async () => {
    const smiles = Array.from({ length: 40 }, () => 'CCO')
    const started = await engine.invoke('app.selfTest', { smiles, delayMs: 100 })
    if (!started.ok) throw new Error(started.error.message)
    const jobId = started.value.jobId
    const finishedPromise = waitForFinished(engine, jobId)
    await new Promise<void>((resolve) => {
      const off = engine.subscribe((event) => {
        if (event === 'job.progress') {
          off()
          resolve()
        }
      })
    })
    expect(await engine.invoke('jobs.cancel', { jobId })).toEqual({
      ok: true,
      value: { cancelled: true },
    })
    const finished = await finishedPromise
    expect(finished.state).toBe('cancelled')
    expect(finished.error?.code).toBe('cancelled')
    expect(await engine.invoke('jobs.cancel', { jobId })).toEqual({
      ok: true,
      value: { cancelled: false, reason: 'already finished' },
    })
    expect(await engine.invoke('jobs.cancel', { jobId: 'no-such-job' })).toMatchObject({
      ok: false,
      error: { code: 'job-not-found' },
    })

    const again = await engine.invoke('app.selfTest', { smiles: ['c1ccccc1'] })
    if (!again.ok) throw new Error(again.error.message)
    const second = await waitForFinished(engine, again.value.jobId)
    expect(second.state).toBe('succeeded')
    expect((second.result as SelfTestResult).molecules[0]!.hba).toBe(0)
  })

  it('fails a job with a message a person can act on when a SMILES cannot be read', async () => {
    const started = await engine.invoke('app.selfTest', { smiles: ['CCO', 'C1CC(('] })
    if (!started.ok) throw new Error(started.error.message)
    const finished = await waitForFinished(engine, started.value.jobId)
    expect(finished.state).toBe('failed')
    expect(finished.error).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('C1CC(('),
    })
  })

  it('refuses a second long-running engine on the same data folder', async () => {
    const first = startTestEngine(join(dir.path, 'shared'), { exclusive: true })
    expect(() => startTestEngine(join(dir.path, 'shared'), { exclusive: true })).toThrow(
      /already running with this data folder/,
    )
    await first.close()
    const next = startTestEngine(join(dir.path, 'shared'), { exclusive: true })
    await next.close()
  })
})
