import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers'
import { assay } from '../cli-helpers'
import { ACHE, AROMATASE } from '../reference-csv'

// The keys the issue documents for `assay drift --json`, in its order.
const KEYS = [
  'driftRunId',
  'modelVersion',
  'source',
  'referenceRows',
  'currentRows',
  'features',
  'driftedShare',
  'datasetDrift',
  'prediction',
  'performance',
  'chemistry',
  'seconds',
]
const FEATURE_KEYS = [
  'name',
  'method',
  'statistic',
  'threshold',
  'pValue',
  'psi',
  'missing',
  'drifted',
]

describe('assay drift', () => {
  const dir = tempDir()
  const data = join(dir.path, 'data')
  let half: string

  beforeAll(async () => {
    expect((await assay('import', AROMATASE, '--data-dir', data)).code).toBe(0)
    const trained = await assay(
      'train',
      '--features',
      'core4',
      '--learner',
      'ridge',
      '--json',
      '--data-dir',
      data,
    )
    expect(trained.code).toBe(0)
    expect((await assay('import', ACHE, '--data-dir', data)).code).toBe(0)
    // every other row of the aromatase file, as a file to check
    const lines = readFileSync(AROMATASE, 'utf8').trimEnd().split('\n')
    half = join(dir.path, 'every-other-row.csv')
    writeFileSync(half, `${lines.filter((_, i) => i % 2 === 0).join('\n')}\n`)
  }, 300_000)
  afterAll(() => dir.remove())

  it('prints the documented JSON and exits 0 though the AChE import drifted', async () => {
    const r = await assay('drift', '--model', 'v1', '--import', '2', '--json', '--data-dir', data)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as Record<string, unknown>
    expect(Object.keys(out)).toEqual(KEYS)
    expect(out.modelVersion).toBe('v1')
    expect(out.datasetDrift).toBe(true)
    const features = out.features as Record<string, unknown>[]
    expect(features.map((f) => f.name)).toEqual(['mw_freebase', 'alogp', 'hba', 'hbd'])
    for (const f of features) expect(Object.keys(f)).toEqual(FEATURE_KEYS)
    // no aromatase measurement in the AChE file; structures in both
    expect(out.performance).toBeNull()
    expect(Object.keys(out.chemistry as object)).toEqual([
      'medianNnSimilarity',
      'referenceMedianNnSimilarity',
      'outOfDomainShare',
      'referenceOutOfDomainShare',
    ])
  }, 300_000)

  it('exits 3 with --fail-on-drift when the dataset drifted, 0 when it did not', async () => {
    const drifted = await assay(
      'drift',
      '--model',
      'v1',
      '--import',
      '2',
      '--fail-on-drift',
      '--data-dir',
      data,
    )
    expect(drifted.code).toBe(3)
    expect(drifted.stdout).toContain('DATASET DRIFT')
    expect(drifted.stdout).toMatch(/mw_freebase\s+wasserstein/)
    const same = await assay(
      'drift',
      '--model',
      'v1',
      '--input',
      half,
      '--fail-on-drift',
      '--json',
      '--data-dir',
      data,
    )
    expect(same.stderr).toBe('')
    expect(same.code).toBe(0)
    const out = JSON.parse(same.stdout) as {
      datasetDrift: boolean
      performance: { rmse: number } | null
    }
    expect(out.datasetDrift).toBe(false)
    // the file measures aromatase: the model's own performance on it
    expect(out.performance?.rmse).toBeGreaterThan(0)
  }, 300_000)

  it('exits 1 for an unknown model or an empty source, 2 for a usage error', async () => {
    const unknown = await assay('drift', '--model', 'v99', '--import', '2', '--data-dir', data)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('v99')
    const none = await assay('drift', '--model', 'v1', '--since', '2020-01-01', '--data-dir', data)
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('No predictions')
    expect((await assay('drift', '--model', 'v1', '--data-dir', data)).code).toBe(2)
    expect((await assay('drift', '--model', 'v1', '--import', 'x', '--data-dir', data)).code).toBe(
      2,
    )
    expect(
      (await assay('drift', '--model', 'v1', '--since', 'yesterday', '--data-dir', data)).code,
    ).toBe(2)
    expect((await assay('drift', '--import', '2', '--data-dir', data)).code).toBe(2)
  }, 120_000)

  it('lists the history, newest first', async () => {
    const r = await assay('drift-history', '--model', 'v1', '--json', '--data-dir', data)
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout) as { driftRunId: number; trigger: string }[]
    // three checks ran through the CLI above; failed ones stored nothing
    expect(rows.map((x) => x.trigger)).toEqual(['cli', 'cli', 'cli'])
    expect(rows.map((x) => x.driftRunId)).toEqual([3, 2, 1])
    const text = await assay('drift-history', '--model', 'v1', '--data-dir', data)
    expect(text.stdout).toContain('#3')
  }, 120_000)

  it('waits for the automatic check an import starts before it exits', async () => {
    expect((await assay('promote', 'v1', '--reason', 'drift test', '--data-dir', data)).code).toBe(
      0,
    )
    // new measurements of the model's target: the import touches CHEMBL1978
    const some = join(dir.path, 'new-measurements.csv')
    writeFileSync(
      some,
      [
        'molecule_chembl_id,canonical_smiles,standard_type,standard_relation,standard_value,standard_units,target_chembl_id',
        'TEST-1,N#Cc1ccc(C(c2ccc(C#N)cc2)n2cncn2)cc1,IC50,=,12,nM,CHEMBL1978',
        'TEST-2,CC(C)(C#N)c1cc(Cn2cncn2)cc(C(C)(C)C#N)c1,IC50,=,40,nM,CHEMBL1978',
        'TEST-3,CC12CCC3C(CCC4=CC(=O)C=CC43C)C1CCC2=O,IC50,=,300,nM,CHEMBL1978',
        'TEST-4,O=C1CCC(=O)N1c1ccc(N)cc1,IC50,=,5000,nM,CHEMBL1978',
        'TEST-5,Clc1ccc(C(c2ccc(Cl)cc2)n2ccnc2)cc1,IC50,=,80,nM,CHEMBL1978',
      ].join('\n') + '\n',
    )
    const imported = await assay('import', some, '--json', '--data-dir', data)
    expect(imported.code).toBe(0)
    const history = JSON.parse(
      (await assay('drift-history', '--model', 'v1', '--json', '--data-dir', data)).stdout,
    ) as { trigger: string; source: { kind: string; importId?: number } }[]
    const summary = JSON.parse(imported.stdout) as { importId: number | null }
    if (summary.importId === null) throw new Error('the import was skipped')
    expect(history[0]).toMatchObject({
      trigger: 'import',
      source: { kind: 'import', importId: summary.importId },
    })
  }, 300_000)
})
