import { writeFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import {
  type FeatureSet,
  type ModelSummary,
  type TrainResult,
  featureSets,
  learners,
} from '../contract'
import { assertWritableOutside } from '../engine/files/data-folder-guard'
import { type Command, UsageError, expectOk, waitForJob } from './cli-common'

export const MODELS_HELP = `  assay train [--target ID] [--types IC50,...] [--features core4|physchem|physchem+morgan|physchem-43|physchem-43+morgan]
              [--learner auto|gbdt|rf|ridge] [--folds 5] [--seed N] [--budget SECONDS]
              [--include-flagged] [--promote] [--json] [--data-dir D]
                                             train and register a potency model (--include-flagged:
                                             also values ChEMBL's curators doubt)
  assay models [--json] [--data-dir D]       the model registry
  assay promote VERSION --reason TEXT [--data-dir D]
                                             make a version its target's production model
                                             (the reason is kept in the audit log)
  assay export-model VERSION --out FILE [--data-dir D]
                                             write FILE.onnx and FILE.json (the model card)
`

function intOption(value: unknown, name: string, min: number, max: number, fallback: number) {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max}, not ${String(value)}`,
    )
  return n
}

function oneOf<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback
  if (!allowed.includes(value as T))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not ${String(value)}`)
  return value as T
}

/** The documented `assay train --json` object. */
function trainJson(r: TrainResult) {
  const round = (v: number) => Number(v.toFixed(4))
  return {
    modelVersion: r.modelVersion,
    learner: r.learner,
    featureSet: r.featureSet,
    rows: r.rows,
    cv: {
      rmse: round(r.cv.rmse),
      mae: round(r.cv.mae),
      r2: round(r.cv.r2),
      spearman: round(r.cv.spearman),
    },
    intervalCoverage: round(r.intervalCoverage),
    seconds: Number(r.seconds.toFixed(2)),
    candidates: r.candidates,
    promoted: r.promoted,
  }
}

function formatModels(models: ModelSummary[]): string {
  if (models.length === 0) return 'No models yet. Train one with: assay train\n'
  const lines = models.map(
    (m) =>
      `${m.version.padEnd(6)} ${m.stage.padEnd(10)} ${m.target.padEnd(14)} ${m.learner.padEnd(5)} ${m.featureSet.padEnd(15)} ${String(m.trainingRows).padStart(6)}  RMSE ${m.cv.rmse.toFixed(3)}  R² ${m.cv.r2.toFixed(3)}  ±${m.intervalHalfWidth.toFixed(2)}${m.isSynthetic ? '  (synthetic data)' : ''}`,
  )
  return `${'version stage      target         learner features         rows  cross-validated'}\n${lines.join('\n')}\n`
}

export const MODEL_COMMANDS: Record<string, Command> = {
  train: {
    options: {
      target: { type: 'string' },
      types: { type: 'string' },
      features: { type: 'string' },
      learner: { type: 'string' },
      folds: { type: 'string' },
      seed: { type: 'string' },
      budget: { type: 'string' },
      'include-flagged': { type: 'boolean' },
      promote: { type: 'boolean' },
      reason: { type: 'string' },
    },
    async run(engine, values, _p, io) {
      const types =
        typeof values.types === 'string'
          ? values.types
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean)
          : undefined
      const { jobId } = await expectOk(
        engine.invoke('models.train', {
          target: values.target as string | undefined,
          types,
          featureSet: oneOf<FeatureSet>(values.features, 'features', featureSets, 'core4'),
          includeFlagged: values['include-flagged'] === true ? true : undefined,
          learner: oneOf(values.learner, 'learner', ['auto', ...learners] as const, 'auto'),
          folds: intOption(values.folds, 'folds', 2, 20, 5),
          seed: intOption(values.seed, 'seed', 0, 2_147_483_647, 1),
          budgetSeconds: intOption(values.budget, 'budget', 1, 3600, 60),
          promote: values.promote === true,
          reason: values.reason as string | undefined,
        }),
      )
      const r = await waitForJob(engine, 'models.train', jobId)
      io.countRows?.(r.rows)
      const j = trainJson(r)
      io.stdout(
        values.json
          ? `${JSON.stringify(j)}\n`
          : `${j.modelVersion}: ${j.learner} on ${j.featureSet}, ${j.rows} compounds, ${j.candidates} candidate(s) in ${j.seconds} s\n` +
              `  cross-validated RMSE ${j.cv.rmse}, MAE ${j.cv.mae}, R² ${j.cv.r2}, Spearman ${j.cv.spearman}\n` +
              `  90% interval coverage (out-of-fold) ${(j.intervalCoverage * 100).toFixed(1)}%${j.promoted ? '\n  promoted to production' : ''}\n` +
              (r.search && r.search.skipped.length > 0
                ? `  Auto's ${r.search.budgetSeconds} s budget ran out: ${r.search.skipped.length} candidate(s) skipped (${r.search.skipped.map((c) => c.learner).join(', ')})\n`
                : ''),
      )
      return 0
    },
  },

  models: {
    options: {},
    async run(engine, values, _p, io) {
      const models = await expectOk(engine.invoke('models.list', {}))
      io.stdout(values.json ? `${JSON.stringify(models, null, 2)}\n` : formatModels(models))
      return 0
    },
  },

  promote: {
    options: { reason: { type: 'string' } },
    positionals: true,
    async run(engine, values, positionals, io) {
      const [version, ...extra] = positionals
      if (!version || extra.length > 0) throw new UsageError('promote takes one VERSION, like v3')
      if (typeof values.reason !== 'string' || values.reason.trim() === '')
        throw new UsageError(
          'promote needs --reason TEXT: why this version should make the predictions (kept in the audit log)',
        )
      const m = await expectOk(engine.invoke('models.promote', { version, reason: values.reason }))
      io.stdout(
        values.json
          ? `${JSON.stringify(m)}\n`
          : `${m.version} is now the production model of ${m.target}\n`,
      )
      return 0
    },
  },

  'export-model': {
    options: { out: { type: 'string' } },
    positionals: true,
    async run(engine, values, positionals, io) {
      const [version, ...extra] = positionals
      if (!version || extra.length > 0)
        throw new UsageError('export-model takes one VERSION, like v3')
      if (typeof values.out !== 'string' || !values.out)
        throw new UsageError('export-model needs --out FILE (FILE.onnx and FILE.json are written)')
      const base = resolve(values.out.replace(/\.(onnx|json)$/i, ''))
      for (const out of [`${base}.onnx`, `${base}.json`])
        await assertWritableOutside(engine.context.options.dataDir, out)
      const bundle = await expectOk(engine.invoke('models.export', { version }))
      const card = { ...bundle.card, onnxFile: `${basename(base)}.onnx` }
      await writeFile(`${base}.onnx`, Buffer.from(bundle.onnxBase64, 'base64'))
      await writeFile(`${base}.json`, `${JSON.stringify(card, null, 2)}\n`)
      io.stdout(
        values.json
          ? `${JSON.stringify({ onnx: `${base}.onnx`, card: `${base}.json`, sha256: card.onnxSha256 })}\n`
          : `Wrote ${base}.onnx and ${base}.json\n`,
      )
      return 0
    },
  },
}
