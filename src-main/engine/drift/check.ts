/**
 * One drift check: the current rows' features and predictions against the model's training rows
 * (its reference), feature by feature and as a dataset, the predictions, the performance on
 * measured values and the chemistry; stored whole in one transaction and answered as stored.
 */
import { performance } from 'node:perf_hooks'
import {
  type ChemistryDriftResult,
  type DriftCheck,
  type DriftSettings,
  type DriftTrigger,
  type LeastSimilarCompound,
  type PerformanceDriftResult,
  WorkbenchError,
} from '../../contract'
import { performanceDrift } from '../../ml/drift/performance'
import type { EngineContext } from '../context'
import { dataChanged } from '../data-changed'
import { insertDriftCheck, selectDriftCheck, selectDriftSettings } from '../db/drift-queries'
import { writeTransaction } from '../db/write-transaction'
import type { JobContext } from '../jobs/job-runner'
import { type ReferenceData, modelReference } from '../models/reference-data'
import type { StoredEvaluation } from '../models/registry'
import { type Candidate, featuresFor } from '../predict/inputs'
import { type LoadedModel, scoreMatrix } from '../predict/loaded-model'
import { compoundKey } from '../predict/measured'
import type { CurrentRows } from './sources'
import { FINGERPRINT_BYTES, nearestTrainingSimilarities } from './nearest'

/** Evidently's share of drifted features that marks a dataset as drifted */
export const DEFAULT_DATASET_SHARE = 0.5
/** the least similar current compounds a check lists */
const LEAST_SIMILAR = 20

export function defaultDriftSettings(): DriftSettings {
  return { features: {}, datasetShare: DEFAULT_DATASET_SHARE }
}

/** A model's saved settings, else the defaults. */
export function driftSettingsOf(ctx: EngineContext, model: LoadedModel): DriftSettings {
  return selectDriftSettings(ctx.db, model.row.id) ?? defaultDriftSettings()
}

const median = (values: ArrayLike<number>): number => {
  const s = Float64Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort()
  if (s.length === 0) return NaN
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/** Failure reasons of rows that could not be used, most frequent first, for an error message. */
function failureSummary(candidates: Candidate[]): string {
  const counts = new Map<string, number>()
  for (const c of candidates) if (c.failure) counts.set(c.failure, (counts.get(c.failure) ?? 0) + 1)
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ')
}

/**
 * The performance on current rows with a measured value: each compound once (a file may list a
 * compound on several rows, all with the same measured value), the model's 90% interval.
 */
function performanceOf(
  model: LoadedModel,
  candidates: Candidate[],
  index: Int32Array,
  p: Float32Array,
  bounds: { low: Float64Array; high: Float64Array },
): PerformanceDriftResult | null {
  const seen = new Set<string>()
  const observed: number[] = []
  const predicted: number[] = []
  const low: number[] = []
  const high: number[] = []
  index.forEach((ci, k) => {
    const c = candidates[ci] as Candidate
    if (c.observed === null || !Number.isFinite(c.observed)) return
    const key = compoundKey(c) ?? `row:${c.rowNumber}`
    if (seen.has(key)) return
    seen.add(key)
    observed.push(c.observed)
    predicted.push(p[k] as number)
    low.push(bounds.low[k] as number)
    high.push(bounds.high[k] as number)
  })
  if (observed.length < 2) return null
  const evaluation = JSON.parse(model.row.cv_metrics_json) as Partial<StoredEvaluation>
  const cv = evaluation.cv
  // each row's own interval: adaptive for newer models, prediction +- q for older ones
  return performanceDrift(
    observed,
    predicted,
    { low, high },
    {
      rmse: cv?.rmse ?? NaN,
      mae: cv?.mae ?? NaN,
      r2: cv?.r2 ?? NaN,
      spearman: cv?.spearman ?? NaN,
    },
  )
}

/** Morgan fingerprints (from RDKit, both workers) for structures that have none stored. */
async function fillFingerprints(
  ctx: EngineContext,
  candidates: Candidate[],
  signal: AbortSignal,
): Promise<void> {
  const need = [
    ...new Set(
      candidates
        .filter((c) => c.failure === null && c.morgan === null && c.smiles !== null)
        .map((c) => c.smiles as string),
    ),
  ]
  if (need.length === 0) return
  const parts = Math.max(1, Math.min(ctx.pool.size, need.length))
  const chunks = Array.from({ length: parts }, (_, k) =>
    need.slice(Math.floor((need.length * k) / parts), Math.floor((need.length * (k + 1)) / parts)),
  )
  const found = new Map<string, Uint8Array>()
  const results = await Promise.all(
    chunks.map((smiles) => ctx.pool.run('computeMolecules', { smiles }, { signal })),
  )
  results.forEach((r, k) =>
    chunks[k]?.forEach((s, i) => {
      const morgan = r.molecules[i]?.morgan
      if (morgan) found.set(s, morgan)
    }),
  )
  for (const c of candidates)
    if (c.morgan === null && c.smiles !== null) c.morgan = found.get(c.smiles) ?? null
}

/** The training rows' fingerprints: stored with the reference, else the compounds' own. */
function trainingFingerprints(
  ctx: EngineContext,
  ref: ReferenceData,
): { fps: Uint8Array; compoundIds: number[] } {
  if (ref.fingerprints) return { fps: ref.fingerprints, compoundIds: Array.from(ref.compoundIds) }
  const get = ctx.db.prepare('SELECT morgan_fp FROM compounds WHERE id = ?').pluck()
  const fps: Uint8Array[] = []
  const compoundIds: number[] = []
  for (const id of ref.compoundIds) {
    const fp = get.get(id) as Uint8Array | null | undefined
    if (!fp || fp.length !== FINGERPRINT_BYTES) continue
    fps.push(fp)
    compoundIds.push(id)
  }
  const all = new Uint8Array(fps.length * FINGERPRINT_BYTES)
  fps.forEach((fp, i) => all.set(fp, i * FINGERPRINT_BYTES))
  return { fps: all, compoundIds }
}

/**
 * The share of training rows outside the model's applicability domain, by its own checker, in a
 * worker: the distance to up to 1,500 reference points over every descriptor, for every training
 * row, takes seconds for a large physchem model. The domain uses no fingerprint bit, so the
 * reference's own columns hold every value it reads.
 */
async function referenceOutOfDomain(
  ctx: EngineContext,
  model: LoadedModel,
  ref: ReferenceData,
  signal: AbortSignal,
): Promise<number> {
  if (ref.rows === 0) return 0
  const at = new Map(ref.featureNames.map((name, k) => [name, k]))
  const columns = model.domain.columns.map((j) => {
    const k = at.get(model.featureNames[j] ?? '')
    return k === undefined ? null : (ref.columns[k] as Float32Array)
  })
  const c = columns.length
  const x = new Float32Array(ref.rows * c)
  columns.forEach((column, k) => {
    for (let i = 0; i < ref.rows; i++) x[i * c + k] = column ? (column[i] as number) : NaN
  })
  const { outside } = await ctx.pool.run(
    'countOutOfDomain',
    { domain: { ...model.domain, columns: columns.map((_, k) => k) }, x, n: ref.rows },
    { signal },
  )
  return outside / ref.rows
}

/** Equal bins of width 0.05 over [0, 1]: Tanimoto similarities overlaid. */
function similarityHistogram(reference: ArrayLike<number>, current: ArrayLike<number>) {
  const bins = 20
  const edges = Array.from({ length: bins + 1 }, (_, i) => i / bins)
  const shares = (values: ArrayLike<number>) => {
    const counts = new Array<number>(bins).fill(0)
    let n = 0
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number
      if (Number.isNaN(v)) continue
      n++
      const b = Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))
      counts[b] = (counts[b] as number) + 1
    }
    return n === 0 ? counts : counts.map((c) => c / n)
  }
  return { edges, reference: shares(reference), current: shares(current) }
}

async function chemistryOf(
  ctx: EngineContext,
  model: LoadedModel,
  ref: ReferenceData,
  candidates: Candidate[],
  index: Int32Array,
  inDomain: Uint8Array,
  job: JobContext,
): Promise<ChemistryDriftResult | null> {
  const signal = job.signal
  // each compound once, by its fingerprint's structure
  const seen = new Set<string>()
  const current: Candidate[] = []
  for (const ci of index) {
    const c = candidates[ci] as Candidate
    if (c.morgan === null || c.morgan.length !== FINGERPRINT_BYTES) continue
    const key = c.smiles ?? compoundKey(c) ?? `row:${c.rowNumber}`
    if (seen.has(key)) continue
    seen.add(key)
    current.push(c)
  }
  const training = trainingFingerprints(ctx, ref)
  if (current.length === 0 || training.compoundIds.length < 2) return null
  const query = new Uint8Array(current.length * FINGERPRINT_BYTES)
  current.forEach((c, i) => query.set(c.morgan as Uint8Array, i * FINGERPRINT_BYTES))
  // the bar's 0.7 to 0.95: current compounds first, then the training set against itself
  const all = current.length + training.compoundIds.length
  const progress = (offset: number) => (done: number) =>
    job.progress({
      phase: 'comparing structures',
      fraction: 0.7 + (0.25 * (offset + done)) / all,
      message: `${(offset + done).toLocaleString('en')} of ${all.toLocaleString('en')} structures`,
    })
  const nn = await nearestTrainingSimilarities(ctx, query, training.fps, {
    leaveOneOut: false,
    signal,
    onProgress: progress(0),
  })
  const loo = await nearestTrainingSimilarities(ctx, training.fps, training.fps, {
    leaveOneOut: true,
    signal,
    onProgress: progress(current.length),
  })
  let outside = 0
  for (let k = 0; k < index.length; k++) if (inDomain[k] === 0) outside++
  const chemblId = ctx.db.prepare('SELECT chembl_id FROM compounds WHERE id = ?').pluck()
  const order = current
    .map((_, i) => i)
    .sort((a, b) => (nn.similarity[a] as number) - (nn.similarity[b] as number))
  const leastSimilar: LeastSimilarCompound[] = order.slice(0, LEAST_SIMILAR).map((i) => {
    const c = current[i] as Candidate
    const at = nn.index[i] as number
    const nearestCompoundId = at >= 0 ? (training.compoundIds[at] ?? null) : null
    return {
      compoundId: c.compoundId,
      moleculeId: c.moleculeId,
      smiles: c.smiles ?? '',
      similarity: nn.similarity[i] as number,
      nearestCompoundId,
      nearestMoleculeId:
        nearestCompoundId === null
          ? null
          : ((chemblId.get(nearestCompoundId) as string | null | undefined) ?? null),
    }
  })
  return {
    compared: current.length,
    referenceCompared: training.compoundIds.length,
    medianNnSimilarity: median(nn.similarity),
    referenceMedianNnSimilarity: median(loo.similarity),
    outOfDomainShare: index.length === 0 ? 0 : outside / index.length,
    referenceOutOfDomainShare: await referenceOutOfDomain(ctx, model, ref, signal),
    histogram: similarityHistogram(loo.similarity, nn.similarity),
    leastSimilar,
  }
}

export interface CheckRequest {
  model: LoadedModel
  trigger: DriftTrigger
  /** reads the current rows (a source of the contract, or simulated data) */
  rows: (onBytes: (bytes: number, size: number) => void) => Promise<CurrentRows>
}

/** Runs a check as the body of a job and stores it; answers the stored check. */
export async function runDriftCheck(
  ctx: EngineContext,
  job: JobContext,
  request: CheckRequest,
): Promise<DriftCheck> {
  const started = performance.now()
  const { model } = request
  job.progress({ phase: 'reading', fraction: 0 })
  const ref = modelReference(ctx.db, model.row.version)
  const { candidates, source } = await request.rows((bytes, size) =>
    job.progress({ phase: 'reading', fraction: (0.1 * bytes) / Math.max(1, size), bytes }),
  )
  job.throwIfCancelled()
  job.progress({ phase: 'computing features', fraction: 0.1, rows: candidates.length })
  const rows = await featuresFor(ctx, model, candidates, job.signal, (done, total) =>
    job.progress({
      phase: 'computing features',
      fraction: 0.1 + (0.4 * done) / Math.max(1, total),
      message: `${done.toLocaleString('en')} of ${total.toLocaleString('en')} structures`,
    }),
  )
  const n = rows.index.length
  if (n === 0)
    throw new WorkbenchError(
      'invalid-input',
      `None of the ${candidates.length.toLocaleString('en')} rows of ${source.label} can be compared with the training data of ${model.row.version} (${failureSummary(candidates) || 'no features'}).`,
    )
  const f = model.featureNames.length
  job.progress({ phase: 'scoring', fraction: 0.5, rows: n })
  const scored = await scoreMatrix(ctx, model, { n, f, x: rows.x })
  job.throwIfCancelled()

  job.progress({ phase: 'comparing features', fraction: 0.6, rows: n })
  const settings = driftSettingsOf(ctx, model)
  const columnOf = new Map(model.featureNames.map((name, j) => [name, j]))
  const features = ref.featureNames.map((name, k) => {
    const j = columnOf.get(name) as number
    const current = new Float32Array(n)
    for (let i = 0; i < n; i++) current[i] = rows.x[i * f + j] as number
    return {
      name,
      reference: ref.columns[k] as Float32Array,
      current,
      options: settings.features[name],
    }
  })
  const stats = await ctx.pool.run(
    'driftStatistics',
    {
      features,
      share: settings.datasetShare,
      prediction: { reference: ref.oof, current: Float64Array.from(scored.p) },
    },
    { signal: job.signal },
  )
  const performanceResult = performanceOf(model, candidates, rows.index, scored.p, scored)

  job.progress({ phase: 'comparing structures', fraction: 0.7, rows: n })
  await fillFingerprints(ctx, candidates, job.signal)
  const chemistry = await chemistryOf(ctx, model, ref, candidates, rows.index, scored.inDomain, job)

  // Storing may wait for another writer; a cancel meanwhile would report a check that is kept.
  job.pointOfNoReturn()
  job.progress({ phase: 'saving', fraction: 0.95, rows: n })
  const id = await writeTransaction(ctx.db, () =>
    insertDriftCheck(ctx.db, {
      modelVersionId: model.row.id,
      modelVersion: model.row.version,
      target: model.row.target_chembl_id,
      isSynthetic: model.row.is_synthetic === 1 || source.kind === 'simulated',
      source,
      trigger: request.trigger,
      referenceRows: ref.rows,
      currentRows: n,
      features: stats.features,
      featuresDrifted: stats.drifted,
      featuresTested: stats.tested,
      driftedShare: stats.driftedShare,
      datasetShare: settings.datasetShare,
      datasetDrift: stats.datasetDrift,
      prediction: stats.prediction,
      performance: performanceResult,
      chemistry,
      createdAt: new Date().toISOString(),
      seconds: (performance.now() - started) / 1000,
    }),
  )
  dataChanged(ctx, ['drift'])
  return selectDriftCheck(ctx.db, id) as DriftCheck
}
