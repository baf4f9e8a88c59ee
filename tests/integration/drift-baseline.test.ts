import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DriftCheck, DriftRunSummary, ImportSummary } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import type { SampleCopula } from '../../src-main/engine/sample/generate'
import { SAMPLE_FILE, seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { simulateSampleCsv } from '../../src-main/engine/sample/simulate'
import copula from '../../resources/sample/copula.json'
import { REPO_ROOT, fileRef, startTestEngine, tempDir, waitForFinished } from '../helpers'

// The bundled baseline's training rows are kept at first launch. Rebuilt later, after more rows of
// the sample's target came in, they would not match the model and every check of it was refused.

const dir = tempDir()
const outside = tempDir()
let engine: Engine

async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await engine.call(method, input)
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
  return r.value as T
}

beforeAll(async () => {
  engine = startTestEngine(dir.path)
  expect(await seedSampleIfEmpty(engine.context, REPO_ROOT)).toBe(true)
}, 300_000)

afterAll(async () => {
  await engine?.close()
  dir.remove()
  outside.remove()
})

describe('the bundled baseline after more sample data came in', () => {
  it('is still checked, against the training rows kept at first launch', async () => {
    const path = join(outside.path, 'simulated-alogp.csv')
    const shift = [{ feature: 'alogp' as const, by: 'sd' as const, amount: 2 }]
    writeFileSync(path, simulateSampleCsv(copula as SampleCopula, shift, 400, 11))
    const { jobId } = await call<{ jobId: string }>('imports.start', {
      file: await fileRef(engine, path),
    })
    const imported = await waitForFinished(engine, jobId)
    expect(imported.state).toBe('succeeded')
    const { importId } = imported.result as ImportSummary
    const checks = engine.context.jobs.list().filter((j) => j.kind === 'drift.run')
    expect(checks).toHaveLength(1)
    const outcomes = await Promise.all(
      checks.map((j) =>
        engine.context.jobs.waitFor('drift.run', j.id).then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      ),
    )
    expect(outcomes).toEqual(['ok'])
    const history = await call<DriftRunSummary[]>('drift.history', { importId })
    expect(history).toHaveLength(1)
    const check = await call<DriftCheck>('drift.get', { driftRunId: history[0]?.driftRunId })
    // every line of the sample is a distinct compound with an '=' IC50: all are training rows
    const lines = readFileSync(join(REPO_ROOT, SAMPLE_FILE), 'utf8').trim().split('\n')
    expect(check.referenceRows).toBe(lines.length - 1)
    expect(check.currentRows).toBe(400)
    expect(check.features.find((f) => f.name === 'alogp')?.drifted).toBe(true)
  }, 300_000)
})
