import { describe, expect, it } from 'vitest'
import type { BatchSummary } from '../../src-main/contract'
import { MetricsRecorder, metricSource } from '../../src-main/engine/metrics/recorder'

function summary(rowsScored: number, rowsFailed: number, inDomain: number): BatchSummary {
  return {
    batchId: 1,
    modelVersion: 'v2',
    source: 'file',
    inputName: 'x.csv',
    rowsScored,
    rowsFailed,
    failuresByReason: rowsFailed > 0 ? { 'invalid-smiles': rowsFailed } : {},
    inDomain,
    seconds: 5,
    rowsPerSecond: 0,
    observed: null,
    inSample: null,
    outOfSample: null,
    otherTargetRows: null,
    onlyModelTarget: false,
    createdAt: '2026-12-03T10:00:00.000Z',
  }
}

const MODEL = { row: { version: 'v2', target_chembl_id: 'CHEMBL1978' } }

/** A histogram's values name their series (`_bucket`, `_sum`, `_count`). */
interface HistogramValue {
  metricName?: string
  labels: Record<string, string | number>
  value: number
}

async function values(
  recorder: MetricsRecorder,
  name: 'assay_prediction_duration_seconds',
): Promise<HistogramValue[]> {
  const metric = recorder.metric(name)
  if (!metric) throw new Error(`no ${name}`)
  return (await metric.get()).values as HistogramValue[]
}

describe('the metrics recorder', () => {
  it('labels where predictions came from: the screens, a batch, the API, the command line', () => {
    expect(metricSource('single', 'electron')).toBe('ui')
    expect(metricSource('single', 'web')).toBe('ui')
    expect(metricSource('file', 'electron')).toBe('batch')
    expect(metricSource('database', 'web')).toBe('batch')
    expect(metricSource('watch', 'electron')).toBe('batch')
    expect(metricSource('api', 'electron')).toBe('api')
    expect(metricSource('single', 'cli')).toBe('cli')
    expect(metricSource('file', 'cli')).toBe('cli')
    // `assay serve --predict`: a CLI engine answering the API
    expect(metricSource('api', 'cli')).toBe('api')
  })

  it("observes a large batch's per-compound time in slices, every compound counted in the end", async () => {
    // never scraped here, so the database is never read
    const recorder = new MetricsRecorder({
      db: () => {
        throw new Error('not read')
      },
      dataDir: '/nonexistent',
      host: 'electron',
    })
    recorder.predictionsStored(summary(49_000, 1_000, 48_000), MODEL)
    const count = async () =>
      (await values(recorder, 'assay_prediction_duration_seconds')).find(
        (v) => v.metricName === 'assay_prediction_duration_seconds_count',
      )?.value
    const sum = async () =>
      (await values(recorder, 'assay_prediction_duration_seconds')).find(
        (v) => v.metricName === 'assay_prediction_duration_seconds_sum',
      )?.value
    expect(await count()).toBe(20_000)
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r))
    expect(await count()).toBe(50_000)
    // 5 s over 50,000 compounds: 100 µs each, all in the 0.0005 s bucket
    expect(await sum()).toBeCloseTo(5, 6)
    const buckets = (await values(recorder, 'assay_prediction_duration_seconds')).filter(
      (v) => v.metricName === 'assay_prediction_duration_seconds_bucket',
    )
    expect(buckets.find((b) => b.labels.le === 0.0005)?.value).toBe(50_000)
    const predictions = await recorder.metric('assay_predictions_total')?.get()
    expect(predictions?.values).toEqual([
      {
        labels: { target: 'CHEMBL1978', model_version: 'v2', source: 'batch' },
        value: 49_000,
      },
    ])
    const ood = await recorder.metric('assay_predictions_out_of_domain_total')?.get()
    expect(ood?.values[0]?.value).toBe(1_000)
    const failures = await recorder.metric('assay_prediction_failures_total')?.get()
    expect(failures?.values).toEqual([
      { labels: { source: 'batch', reason: 'invalid-smiles' }, value: 1_000 },
    ])
  })
})
