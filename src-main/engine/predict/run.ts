import { performance } from 'node:perf_hooks'
import {
  type BatchSummary,
  type NeighbourReport,
  type PredictionSource,
  type SinglePrediction,
  WorkbenchError,
} from '../../contract'
import { nmFromPActivity } from '../../chem/units'
import type { EngineContext } from '../context'
import { dataChanged } from '../data-changed'
import { autoCheckAfterBatch } from '../drift/auto-check'
import { type Candidate, featuresFor } from './inputs'
import { type LoadedModel, resolveModel, scoreMatrix, structureSimilarity } from './loaded-model'
import { markTrainingSet, trainingCompounds } from './measured'
import { nearestTrainingNeighbours } from './neighbours'
import { type TargetChoice, batchWrite, storeBatch, storeGrouped } from './store'

/**
 * The engine's two ways of predicting, shared by every caller that stores what it predicts (the
 * Predict screen, batch jobs, the HTTP endpoint's POST /predict), so that a prediction is scored,
 * stored and announced the same way whoever asked, and only its source differs.
 */

export function emptyCandidate(rowNumber: number): Candidate {
  return {
    rowNumber,
    moleculeId: null,
    compoundId: null,
    smiles: null,
    seed: { mw_freebase: null, alogp: null, hba: null, hbd: null },
    descriptors: null,
    morgan: null,
    observed: null,
    failure: null,
  }
}

export interface SingleInput {
  model?: string
  target?: string
  smiles?: string
  features?: { mw_freebase: number; alogp: number; hba: number; hbd: number }
}

/** A single prediction without its nearest training compounds (which only a screen shows). */
export type SingleCore = Omit<SinglePrediction, 'neighbours'>

/**
 * One compound scored and stored as a batch of one. The nearest training compounds are found only
 * when asked: the Predict screen shows them; an HTTP client answered with the CLI's JSON does not
 * need them, and finding them costs more than the prediction itself.
 */
export function predictSingle(
  ctx: EngineContext,
  input: SingleInput,
  source: PredictionSource,
  withNeighbours: true,
  model?: LoadedModel,
): Promise<{ prediction: SingleCore; neighbours: NeighbourReport }>
export function predictSingle(
  ctx: EngineContext,
  input: SingleInput,
  source: PredictionSource,
  withNeighbours: false,
  model?: LoadedModel,
): Promise<{ prediction: SingleCore; neighbours: null }>
export async function predictSingle(
  ctx: EngineContext,
  input: SingleInput,
  source: PredictionSource,
  withNeighbours: boolean,
  model: LoadedModel = resolveModel(ctx.db, input.model, input.target),
): Promise<{ prediction: SingleCore; neighbours: NeighbourReport | null }> {
  const started = performance.now()
  const c = emptyCandidate(1)
  if (input.features) {
    if (model.featureSet !== 'core4')
      throw new WorkbenchError(
        'invalid-input',
        `Model ${model.row.version} uses RDKit's descriptors (${model.featureSet}); enter a SMILES so they can be computed.`,
      )
    c.seed = { ...input.features }
  } else c.smiles = input.smiles ?? null
  const rows = await featuresFor(ctx, model, [c])
  if (c.failure === 'invalid-smiles')
    throw new WorkbenchError(
      'invalid-input',
      `RDKit cannot read the SMILES "${c.smiles}". Check it for typos.`,
    )
  if (c.failure !== null || rows.index.length !== 1)
    throw new WorkbenchError(
      'invalid-input',
      `This compound cannot be scored by ${model.row.version}: ${c.failure}.`,
    )
  const f = model.featureNames.length
  const scored = await scoreMatrix(
    ctx,
    model,
    { n: 1, f, x: rows.x },
    true,
    undefined,
    await structureSimilarity(ctx, model, [c.morgan]),
  )
  const p = scored.p[0] as number
  const low = scored.low[0] as number
  const high = scored.high[0] as number
  const similarity = scored.similarity[0] as number
  const neighbours = withNeighbours
    ? await nearestTrainingNeighbours(ctx, model, { smiles: c.smiles, morgan: c.morgan })
    : null
  // the stored compound this is, so the compound's page lists the prediction
  c.compoundId =
    (c.smiles === null
      ? null
      : (ctx.db
          .prepare('SELECT id FROM compounds WHERE smiles = ? LIMIT 1')
          .pluck()
          .get(c.smiles) as number | undefined)) ??
    neighbours?.inTraining?.compoundId ??
    null
  // concurrent single predictions share one commit
  const summary = await storeGrouped(
    ctx.db,
    batchWrite(
      ctx.db,
      model,
      source,
      c.smiles ?? 'typed features',
      {
        candidates: [c],
        p: Float64Array.of(p),
        low: Float64Array.of(low),
        high: Float64Array.of(high),
        inDomain: scored.inDomain,
      },
      (performance.now() - started) / 1000,
    ),
  )
  ctx.metrics.predictionsStored(summary, model)
  dataChanged(ctx, ['predictions'])
  const features: Record<string, number> = {}
  model.featureNames.forEach((name, j) => {
    if (!name.startsWith('morgan_')) features[name] = rows.x[j] as number
  })
  const prediction: SingleCore = {
    batchId: summary.batchId,
    modelVersion: model.row.version,
    target: model.row.target_chembl_id,
    isSynthetic: model.row.is_synthetic === 1,
    pActivity: p,
    nM: nmFromPActivity(p),
    interval: [low, high],
    intervalNm: [nmFromPActivity(high), nmFromPActivity(low)],
    intervalMethod:
      model.calibration.method === 'normalised-mondrian-cv-plus' ? 'adaptive' : 'constant',
    inDomain: scored.inDomain[0] === 1,
    domain: {
      distance: scored.distance?.[0] ?? NaN,
      threshold: model.domain.threshold,
      outOfRange: scored.outOfRange?.[0] ?? [],
      similarity: Number.isFinite(similarity) ? similarity : null,
      similarityThreshold: model.domain.similarity?.threshold ?? null,
      structureAware: model.domain.similarity !== undefined,
    },
    features,
    seed: {
      mw_freebase: c.seed.mw_freebase ?? NaN,
      alogp: c.seed.alogp ?? NaN,
      hba: c.seed.hba ?? NaN,
      hbd: c.seed.hbd ?? NaN,
    },
    rdkitVersion: rows.rdkitVersion,
    compoundId: c.compoundId,
  }
  return { prediction, neighbours }
}

/** Scores candidates with a model; failures keep their reason, the rest get a prediction. */
async function scoreCandidates(
  ctx: EngineContext,
  model: LoadedModel,
  candidates: Candidate[],
  signal?: AbortSignal,
  onProgress?: (phase: string, fraction: number, message?: string) => void,
) {
  onProgress?.('computing features', 0.1)
  // RDKit's share of the bar (0.1 to 0.4) fills molecule by molecule; it stood at 10% throughout
  const rows = await featuresFor(ctx, model, candidates, signal, (done, total) =>
    onProgress?.(
      'computing features',
      0.1 + (0.3 * done) / Math.max(1, total),
      `${done.toLocaleString('en')} of ${total.toLocaleString('en')} structures`,
    ),
  )
  const f = model.featureNames.length
  onProgress?.('scoring', 0.4)
  const scored = await scoreMatrix(
    ctx,
    model,
    { n: rows.index.length, f, x: rows.x },
    false,
    (done) => onProgress?.('scoring', 0.4 + (0.4 * done) / Math.max(1, rows.index.length)),
    await structureSimilarity(
      ctx,
      model,
      Array.from(rows.index, (ci) => candidates[ci]?.morgan ?? null),
      signal,
    ),
  )
  const p = new Float64Array(candidates.length).fill(NaN)
  const low = new Float64Array(candidates.length).fill(NaN)
  const high = new Float64Array(candidates.length).fill(NaN)
  const inDomain = new Uint8Array(candidates.length)
  rows.index.forEach((ci, k) => {
    p[ci] = scored.p[k] ?? NaN
    low[ci] = scored.low[k] ?? NaN
    high[ci] = scored.high[k] ?? NaN
    inDomain[ci] = scored.inDomain[k] ?? 0
  })
  return { p, low, high, inDomain, rdkitVersion: rows.rdkitVersion }
}

export interface BatchOptions {
  signal?: AbortSignal
  onProgress?: (phase: string, fraction: number, message?: string) => void
  /** called between scoring and saving (a job's point of no return) */
  beforeSave?: () => void
  targets?: TargetChoice
  /** when the batch started (performance.now()), if reading its rows came first */
  started?: number
}

/**
 * Candidates scored and stored as one batch: which of them the model was trained on, features,
 * ONNX Runtime, one write, a data-changed event and (when switched on) an automatic drift check.
 */
export async function predictCandidates(
  ctx: EngineContext,
  model: LoadedModel,
  candidates: Candidate[],
  source: PredictionSource,
  inputName: string | null,
  options: BatchOptions = {},
): Promise<BatchSummary> {
  const started = options.started ?? performance.now()
  markTrainingSet(candidates, trainingCompounds(ctx.db, model))
  if (candidates.length === 0)
    throw new WorkbenchError('invalid-input', 'There are no rows to score.')
  const result = await scoreCandidates(ctx, model, candidates, options.signal, options.onProgress)
  options.beforeSave?.()
  options.onProgress?.('saving', 0.85)
  const stored = await storeBatch(
    ctx.db,
    model,
    source,
    inputName,
    { candidates, p: result.p, low: result.low, high: result.high, inDomain: result.inDomain },
    (performance.now() - started) / 1000,
    options.targets,
  )
  ctx.metrics.predictionsStored(stored, model)
  dataChanged(ctx, ['predictions'])
  // never awaited, and never able to fail the batch
  autoCheckAfterBatch(ctx, stored.batchId)
  return stored
}
