import { resolve } from 'node:path'
import {
  type DriftCheck,
  type DriftRunSummary,
  type DriftSourceInput,
  driftRunInput,
} from '../contract'
import { startDriftCheck } from '../engine/drift/start-check'
import { type Command, UsageError, expectOk, waitForJob } from './cli-common'

export const DRIFT_HELP = `  assay drift --model VERSION (--import ID | --batch ID | --since ISO-DATE | --since-training | --input FILE)
              [--fail-on-drift] [--json] [--data-dir D]
                                             check new data against a model's training rows
                                             (exit 3 with --fail-on-drift when the dataset drifted)
  assay drift-history --model VERSION [--json] [--data-dir D]
                                             a model's stored drift checks, newest first
`

/** Exit status of `drift --fail-on-drift` when the dataset drifted: a result, not a failure. */
export const DRIFT_EXIT = 3

const positiveInteger = (value: unknown, name: string): number => {
  const n = Number(value)
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim()) || !(n > 0))
    throw new UsageError(`--${name} takes a positive whole number, not ${String(value)}`)
  return n
}

/** The check as the CLI prints it with --json (the shape scripts read). */
export function driftJson(c: DriftCheck) {
  return {
    driftRunId: c.driftRunId,
    modelVersion: c.modelVersion,
    source: c.source,
    referenceRows: c.referenceRows,
    currentRows: c.currentRows,
    features: c.features.map((f) => ({
      name: f.name,
      method: f.method,
      statistic: f.statistic,
      threshold: f.threshold,
      pValue: f.pValue,
      psi: f.psi,
      missing: f.missing,
      drifted: f.drifted,
    })),
    driftedShare: c.driftedShare,
    datasetDrift: c.datasetDrift,
    prediction: c.prediction && {
      method: c.prediction.method,
      statistic: c.prediction.statistic,
      threshold: c.prediction.threshold,
      pValue: c.prediction.pValue,
      psi: c.prediction.psi,
      drifted: c.prediction.drifted,
      referenceMean: c.prediction.referenceMean,
      currentMean: c.prediction.currentMean,
    },
    performance: c.performance && {
      rmse: c.performance.rmse,
      rmseCi: c.performance.rmseCi,
      mae: c.performance.mae,
      r2: c.performance.r2,
      spearman: c.performance.spearman,
      coverage: c.performance.coverage,
      cvRmse: c.performance.cvRmse,
      degraded: c.performance.degraded,
    },
    chemistry: c.chemistry && {
      medianNnSimilarity: c.chemistry.medianNnSimilarity,
      referenceMedianNnSimilarity: c.chemistry.referenceMedianNnSimilarity,
      outOfDomainShare: c.chemistry.outOfDomainShare,
      referenceOutOfDomainShare: c.chemistry.referenceOutOfDomainShare,
    },
    seconds: c.seconds,
  }
}

const fmt = (v: number | null, digits = 3) =>
  v === null || !Number.isFinite(v) ? '-' : v.toFixed(digits)
const pct = (v: number) => `${(v * 100).toFixed(0)}%`

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? '').length))) ?? []
  return rows
    .map((r) =>
      r
        .map((cell, k) => cell.padEnd(widths[k] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function formatCheck(c: DriftCheck): string {
  const lines = [
    `Drift check #${c.driftRunId}: ${c.source.label} against ${c.modelVersion} (${c.target})`,
    `${c.currentRows.toLocaleString('en')} current rows, ${c.referenceRows.toLocaleString('en')} training rows`,
    `${c.datasetDrift ? 'DATASET DRIFT' : 'No dataset drift'}: ${c.featuresDrifted} of ${c.featuresTested} features drifted (${pct(c.driftedShare)}; drift at ${pct(c.datasetShare)})`,
    '',
    table([
      ['feature', 'test', 'statistic', 'threshold', 'p-value', 'PSI', 'missing', 'drifted'],
      ...c.features.map((f) => [
        f.name,
        f.method,
        fmt(f.statistic, 4),
        String(f.threshold),
        fmt(f.pValue, 4),
        fmt(f.psi, 4),
        `${f.missing.reference}/${f.missing.current}`,
        f.notTested ? 'not tested' : f.drifted ? 'yes' : 'no',
      ]),
    ]),
  ]
  if (c.prediction)
    lines.push(
      '',
      `Predictions: mean ${fmt(c.prediction.currentMean, 2)} now, ${fmt(c.prediction.referenceMean, 2)} out-of-fold on the training rows; ${c.prediction.method} ${fmt(c.prediction.statistic, 4)}, ${c.prediction.drifted ? 'drifted' : 'not drifted'}`,
    )
  if (c.performance)
    lines.push(
      `Performance on ${c.performance.rows} measured compounds: RMSE ${fmt(c.performance.rmse)} (95% CI ${fmt(c.performance.rmseCi[0])} to ${fmt(c.performance.rmseCi[1])}; cross-validated ${fmt(c.performance.cvRmse)}), MAE ${fmt(c.performance.mae)}, R² ${fmt(c.performance.r2)}, Spearman ${fmt(c.performance.spearman)}, ${pct(c.performance.coverage)} inside the 90% interval${c.performance.degraded ? ` — DEGRADED: ${c.performance.reasons.join(' ')}` : ''}`,
    )
  if (c.chemistry)
    lines.push(
      `Chemistry: median nearest-neighbour similarity ${fmt(c.chemistry.medianNnSimilarity, 2)} (training set ${fmt(c.chemistry.referenceMedianNnSimilarity, 2)}), ${pct(c.chemistry.outOfDomainShare)} outside the applicability domain (training set ${pct(c.chemistry.referenceOutOfDomainShare)})`,
    )
  lines.push(`${c.seconds.toFixed(1)} s`)
  return `${lines.join('\n')}\n`
}

function formatHistory(rows: DriftRunSummary[]): string {
  if (rows.length === 0) return 'No drift checks.\n'
  return `${table([
    ['check', 'when', 'model', 'source', 'rows', 'drifted', 'dataset', 'RMSE', 'NN sim.'],
    ...rows.map((r) => [
      `#${r.driftRunId}`,
      r.createdAt.slice(0, 19).replace('T', ' '),
      `${r.modelVersion}${r.modelDeleted ? ' (deleted)' : ''}`,
      r.source.label,
      String(r.currentRows),
      `${r.featuresDrifted}/${r.featuresTested}`,
      r.datasetDrift ? 'DRIFT' : 'ok',
      fmt(r.rmse),
      fmt(r.medianNnSimilarity, 2),
    ]),
  ])}\n`
}

export const DRIFT_COMMANDS: Record<string, Command> = {
  drift: {
    options: {
      model: { type: 'string' },
      import: { type: 'string' },
      batch: { type: 'string' },
      since: { type: 'string' },
      'since-training': { type: 'boolean' },
      input: { type: 'string' },
      'fail-on-drift': { type: 'boolean' },
    },
    async run(engine, values, _p, io) {
      if (typeof values.model !== 'string') throw new UsageError('drift needs --model VERSION')
      const chosen = ['import', 'batch', 'since', 'since-training', 'input'].filter(
        (k) => values[k] !== undefined,
      )
      if (chosen.length !== 1)
        throw new UsageError(
          'drift takes one of --import ID, --batch ID, --since ISO-DATE, --since-training or --input FILE',
        )
      let source: DriftSourceInput
      if (values.import !== undefined)
        source = { kind: 'import', importId: positiveInteger(values.import, 'import') }
      else if (values.batch !== undefined)
        source = { kind: 'batch', batchId: positiveInteger(values.batch, 'batch') }
      else if (values.since !== undefined) source = { kind: 'window', from: String(values.since) }
      else if (values['since-training']) source = { kind: 'since-training' }
      else
        source = {
          kind: 'file',
          file: await engine.grantFile(resolve(String(values.input))),
        }
      const parsed = driftRunInput.safeParse({ model: values.model, source })
      if (!parsed.success)
        throw new UsageError(
          parsed.error.issues
            .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
            .join('; ')
            .replace(/^source\.from/, '--since'),
        )
      const { jobId } = await startDriftCheck(engine.context, parsed.data, 'cli')
      const check = await waitForJob(engine, 'drift.run', jobId)
      io.countRows?.(check.currentRows)
      io.stdout(values.json ? `${JSON.stringify(driftJson(check))}\n` : formatCheck(check))
      return values['fail-on-drift'] === true && check.datasetDrift ? DRIFT_EXIT : 0
    },
  },

  'drift-history': {
    options: { model: { type: 'string' } },
    async run(engine, values, _p, io) {
      if (typeof values.model !== 'string')
        throw new UsageError('drift-history needs --model VERSION')
      const history = await expectOk(engine.invoke('drift.history', { model: values.model }))
      io.stdout(values.json ? `${JSON.stringify(history)}\n` : formatHistory(history))
      return 0
    },
  },
}
