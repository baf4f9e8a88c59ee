import {
  type FeatureSet,
  type FeatureSource,
  type TrainingSetSummary,
  WorkbenchError,
} from '../../contract'
import { MORGAN_BITS, hasMorgan } from '../../chem/feature-sets'
import { type Calibration, intervalsFor } from '../../ml/conformal'
import { type DomainCheck, domainChecker } from '../../ml/domain'
import { FP_BYTES, domainFingerprints } from '../../ml/similarity-domain'
import { nearestTrainingSimilarities } from '../drift/nearest'
import type { StoredDomain } from '../models/finish-model'
import type { Matrix } from '../../ml/dataset'
import type { EngineContext } from '../context'
import type { Db } from '../db/connection'
import { selectLatestProductionVersion } from '../db/model-queries'
import { type ModelRow, modelRow, onnxBytes, productionRow } from '../models/registry'

/** A registered model ready to score: its features, interval and domain, and its ONNX session. */
export interface LoadedModel {
  row: ModelRow
  featureSet: FeatureSet
  featureNames: string[]
  /** RDKit descriptor names in model order (physchem sets) */
  descriptorNames: string[]
  /**
   * Where the model's features came from in training; null for models trained before features
   * were standardised (they keep predicting as they did: file values first, RDKit for the rest).
   */
  featureSource: FeatureSource | null
  /** the adaptive calibration, or a constant-width one for models trained before it */
  calibration: Calibration
  checkDomain: (row: ArrayLike<number>) => DomainCheck
  /** the training compounds' fingerprints, packed; null for a descriptor-only domain */
  trainingFingerprints: Uint8Array | null
  domain: StoredDomain
}

const cache = new WeakMap<Db, Map<string, LoadedModel>>()

/** The version asked for, else the production model of the target, else the only/latest one. */
export function resolveModel(db: Db, version?: string, target?: string): LoadedModel {
  let row: ModelRow | null
  if (version) row = modelRow(db, version)
  else if (target) row = productionRow(db, target)
  else {
    const latest = selectLatestProductionVersion(db)
    row = latest ? modelRow(db, latest) : null
  }
  if (!row)
    throw new WorkbenchError(
      'no-production-model',
      target
        ? `Target ${target} has no production model. Train one on the Models screen and promote it, or name a model version.`
        : 'There is no production model yet. Train one on the Models screen and promote it, or name a model version.',
    )
  let byVersion = cache.get(db)
  if (!byVersion) cache.set(db, (byVersion = new Map()))
  const key = `${row.version}:${row.onnx_sha256}`
  const hit = byVersion.get(key)
  if (hit) return { ...hit, row }
  const featureNames = JSON.parse(row.feature_names_json) as string[]
  const domain = JSON.parse(row.domain_json) as StoredDomain
  const loaded: LoadedModel = {
    row,
    featureSet: row.feature_set,
    featureNames,
    descriptorNames:
      row.feature_set === 'core4'
        ? []
        : featureNames.slice(
            0,
            featureNames.length - (hasMorgan(row.feature_set) ? MORGAN_BITS : 0),
          ),
    featureSource: (JSON.parse(row.training_set_json) as TrainingSetSummary).featureSource ?? null,
    calibration: parseCalibration(row.calibration_json),
    checkDomain: domainChecker(domain),
    trainingFingerprints: domain.similarity ? domainFingerprints(domain.similarity) : null,
    domain,
  }
  byVersion.set(key, loaded)
  return loaded
}

/** JSON wrote an unbounded q (a bin with too few rows for its rank) as null. */
function parseCalibration(json: string): Calibration {
  const c = JSON.parse(json) as Calibration
  if (c.method === 'cv-plus-absolute-residual') return { ...c, q: c.q ?? Infinity }
  return { ...c, q: c.q.map((v) => v ?? Infinity) }
}

export interface Scored {
  p: Float32Array
  /** the 90% interval of each row (adaptive, or constant for older models), never below 0 */
  low: Float64Array
  high: Float64Array
  inDomain: Uint8Array
  /** nearest-neighbour Tanimoto to the training compounds; NaN where unknown */
  similarity: Float64Array
  /** per row: names of features outside the training range (only filled when asked) */
  outOfRange?: string[][]
  distance?: Float64Array
}

/** Chunks keep progress flowing and memory flat on very large batches. */
const CHUNK_ROWS = 50_000

/**
 * Each row's Tanimoto similarity to the nearest training compound (NaN: no structure, or a model
 * whose domain does not compare structures), searched on the worker pool.
 */
export async function structureSimilarity(
  ctx: EngineContext,
  model: LoadedModel,
  fingerprints: readonly (Uint8Array | null)[],
  signal?: AbortSignal,
): Promise<Float64Array> {
  const out = new Float64Array(fingerprints.length).fill(NaN)
  const training = model.trainingFingerprints
  if (!training) return out
  const rows: number[] = []
  fingerprints.forEach((fp, i) => {
    if (fp && fp.length === FP_BYTES) rows.push(i)
  })
  if (rows.length === 0) return out
  const query = new Uint8Array(rows.length * FP_BYTES)
  rows.forEach((r, k) => query.set(fingerprints[r] as Uint8Array, k * FP_BYTES))
  const nn = await nearestTrainingSimilarities(ctx, query, training, {
    leaveOneOut: false,
    ...(signal ? { signal } : {}),
  })
  rows.forEach((r, k) => (out[r] = nn.similarity[k] as number))
  return out
}

/**
 * ONNX Runtime predictions, their intervals and domain flags for a feature matrix. `similarity`
 * holds each row's nearest-training similarity (structureSimilarity; NaN: unknown): a row is
 * outside the domain when its descriptors are, or when that similarity is below the threshold.
 */
export async function scoreMatrix(
  ctx: EngineContext,
  model: LoadedModel,
  m: Matrix,
  detail = false,
  onProgress?: (rows: number) => void,
  similarity: Float64Array = new Float64Array(m.n).fill(NaN),
): Promise<Scored> {
  const p = new Float32Array(m.n)
  for (let start = 0; start < m.n; start += CHUNK_ROWS) {
    const end = Math.min(m.n, start + CHUNK_ROWS)
    const chunk = { n: end - start, f: m.f, x: m.x.subarray(start * m.f, end * m.f) }
    p.set(
      await ctx.onnx.run(model.row.onnx_sha256, () => onnxBytes(ctx.db, model.row.id), chunk),
      start,
    )
    onProgress?.(end)
  }
  const { low, high } = intervalsFor(model.calibration, m.x, m.f, p)
  const inDomain = new Uint8Array(m.n)
  const threshold = model.domain.similarity?.threshold ?? -Infinity
  const outOfRange: string[][] | undefined = detail ? [] : undefined
  const distance = detail ? new Float64Array(m.n) : undefined
  for (let i = 0; i < m.n; i++) {
    const check = model.checkDomain(m.x.subarray(i * m.f, (i + 1) * m.f))
    // an unknown similarity (no structure) leaves the decision to the descriptors
    const structureOk = !((similarity[i] as number) < threshold)
    inDomain[i] = check.inDomain && structureOk ? 1 : 0
    if (outOfRange) outOfRange.push(check.outOfRange.map((j) => model.featureNames[j] ?? String(j)))
    if (distance) distance[i] = check.distance
  }
  return { p, low, high, inDomain, similarity, outOfRange, distance }
}
