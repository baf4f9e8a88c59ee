import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers'
import { assay } from '../cli-helpers'
import { type Split, splitByYear } from '../retrain-helpers'

// The keys the issue documents for `assay retrain --json`, in its order, then the others.
const KEYS = [
  'target',
  'triggered',
  'reasons',
  'challenger',
  'champion',
  'comparison',
  'decision',
  'explanation',
  'dryRun',
  'triggers',
  'plan',
  'activityId',
  'at',
]

describe('assay retrain', () => {
  const dir = tempDir()
  const data = join(dir.path, 'data')
  let split: Split
  let champion: string

  beforeAll(async () => {
    split = splitByYear(dir.path, 2016)
    expect((await assay('import', split.oldPath, '--data-dir', data)).code).toBe(0)
    const trained = await assay(
      'train',
      '--target',
      'CHEMBL1978',
      '--types',
      'IC50',
      '--learner',
      'gbdt',
      '--promote',
      '--json',
      '--data-dir',
      data,
    )
    expect(trained.code, trained.stderr).toBe(0)
    champion = (JSON.parse(trained.stdout) as { modelVersion: string }).modelVersion
    expect((await assay('import', split.newPath, '--data-dir', data)).code).toBe(0)
  }, 300_000)
  afterAll(() => dir.remove())

  it('--dry-run --json with the policy off: not triggered, the issue’s keys, exit 0', async () => {
    const r = await assay(
      'retrain',
      '--target',
      'CHEMBL1978',
      '--dry-run',
      '--json',
      '--data-dir',
      data,
    )
    expect(r.code, r.stderr).toBe(0)
    const o = JSON.parse(r.stdout) as Record<string, unknown>
    expect(Object.keys(o)).toEqual(KEYS)
    expect(o.target).toBe('CHEMBL1978')
    expect(o.triggered).toBe(false)
    expect(o.decision).toBe('not-triggered')
    expect(o.champion).toBe(champion)
    expect(o.challenger).toBeNull()
    expect(o.comparison).toBeNull()
    expect(o.explanation).toBe('the retraining policy of CHEMBL1978 is off')
    // the default policy's count trigger (200) sees the newer file's rows, though the policy is off
    const count = (o.triggers as { kind: string; fired: boolean; detail: string }[]).find(
      (t) => t.kind === 'new-measurements',
    )
    expect(count?.detail).toBe(
      `${split.newRows} new usable IC50 measurements since ${champion} was trained (policy: 200)`,
    )
  }, 120_000)

  it('--dry-run --force --json: the plan on every compound, nothing trained', async () => {
    const r = await assay(
      'retrain',
      '--target',
      'CHEMBL1978',
      '--dry-run',
      '--force',
      '--json',
      '--data-dir',
      data,
    )
    expect(r.code, r.stderr).toBe(0)
    const o = JSON.parse(r.stdout) as Record<string, unknown>
    expect(o.decision).toBe('dry-run')
    expect(o.triggered).toBe(true)
    expect(o.reasons).toEqual(['retraining was asked for by hand'])
    expect(o.plan).toEqual({
      learner: 'gbdt',
      featureSet: 'core4',
      rows: split.oldMolecules.size + split.newMolecules.size,
      types: ['IC50'],
    })
    const list = await assay('models', '--json', '--data-dir', data)
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(1)
  }, 120_000)

  it('--force trains a challenger and compares it on the new compounds; readable output', async () => {
    const r = await assay('retrain', '--target', 'CHEMBL1978', '--force', '--data-dir', data)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Retraining policy of CHEMBL1978: kept-candidate\n/)
    expect(r.stdout).toContain(`on ${split.newMolecules.size} new compounds`)
    expect(r.stdout).toContain('2,000 resamples')
  }, 300_000)

  it('exit 2 without --target, 1 for a target with no data', async () => {
    const none = await assay('retrain', '--data-dir', data)
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('retrain needs --target ID')
    const unknown = await assay('retrain', '--target', 'CHEMBL999999', '--data-dir', data)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no activities of target CHEMBL999999')
  }, 120_000)
})
