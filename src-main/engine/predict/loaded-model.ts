import {
  type FeatureSet,
  type FeatureSource,
  type TrainingSetSummary,
  WorkbenchError,
} from '../../contract'
import { MORGAN_BITS, hasMorgan } from '../../chem/feature-sets'
import type { ConformalCalibration } from '../../ml/conformal'
import { type DomainCheck, type DomainModel, domainChecker } from '../../ml/domain'
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
  calibration: ConformalCalibration
  checkDomain: (row: ArrayLike<number>) => DomainCheck
  domain: DomainModel
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
  const domain = JSON.parse(row.domain_json) as DomainModel
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
    calibration: JSON.parse(row.calibration_json) as ConformalCalibration,
    checkDomain: domainChecker(domain),
    domain,
  }
  byVersion.set(key, loaded)
  return loaded
}

export interface Scored {
  p: Float32Array
  inDomain: Uint8Array
  /** per row: names of features outside the training range (only filled when asked) */
  outOfRange?: string[][]
  distance?: Float64Array
}

/** Chunks keep progress flowing and memory flat on very large batches. */
const CHUNK_ROWS = 50_000

/** ONNX Runtime predictions and domain flags for a feature matrix. */
export async function scoreMatrix(
  ctx: EngineContext,
  model: LoadedModel,
  m: Matrix,
  detail = false,
  onProgress?: (rows: number) => void,
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
  const inDomain = new Uint8Array(m.n)
  const outOfRange: string[][] | undefined = detail ? [] : undefined
  const distance = detail ? new Float64Array(m.n) : undefined
  for (let i = 0; i < m.n; i++) {
    const check = model.checkDomain(m.x.subarray(i * m.f, (i + 1) * m.f))
    inDomain[i] = check.inDomain ? 1 : 0
    if (outOfRange) outOfRange.push(check.outOfRange.map((j) => model.featureNames[j] ?? String(j)))
    if (distance) distance[i] = check.distance
  }
  return { p, inDomain, outOfRange, distance }
}
