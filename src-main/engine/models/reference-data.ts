import { type TrainingSetSummary, WorkbenchError } from '../../contract'
import { MORGAN_BITS } from '../../chem/feature-sets'
import type { Db } from '../db/connection'
import type { StoredEvaluation } from './registry'
import { type TrainingSet, buildTrainingSet } from './training-set'

/** Distinct and missing values of one feature among the training rows. */
export interface FeatureCounts {
  distinct: number
  missing: number
}

/**
 * The rows a model learned from, as a drift check compares with: each non-fingerprint feature's
 * values exactly as the model was fitted on them (float32, NaN where missing), the Morgan bits of
 * each row when the model uses them, the labels and the out-of-fold predictions.
 */
export interface ReferenceData {
  rows: number
  /** the non-fingerprint features, in model order */
  featureNames: string[]
  compoundIds: Int32Array
  /** one column per name in `featureNames`, `rows` values each */
  columns: Float32Array[]
  /** 256 bytes a row (bit i in byte i >> 3 at mask 1 << (i & 7)), or null */
  fingerprints: Uint8Array | null
  labels: Float64Array
  oof: Float64Array
  counts: Record<string, FeatureCounts>
  source: 'training' | 'rebuilt'
}

const FINGERPRINT_BYTES = MORGAN_BITS / 8

/** The reference of a training set and the out-of-fold predictions of the model fitted on it. */
export function referenceOf(
  set: Pick<TrainingSet, 'data' | 'compoundIds' | 'featureNames'>,
  oof: ArrayLike<number>,
  source: ReferenceData['source'],
): ReferenceData {
  const { n, f, x, y } = set.data
  const plain = set.featureNames.flatMap((name, j) => (name.startsWith('morgan_') ? [] : [j]))
  const bits = set.featureNames.flatMap((name, j) => (name.startsWith('morgan_') ? [j] : []))
  const columns = plain.map((j) => {
    const column = new Float32Array(n)
    for (let i = 0; i < n; i++) column[i] = x[i * f + j] as number
    return column
  })
  let fingerprints: Uint8Array | null = null
  if (bits.length > 0) {
    fingerprints = new Uint8Array(n * FINGERPRINT_BYTES)
    for (let i = 0; i < n; i++)
      for (const [b, j] of bits.entries()) {
        const at = i * FINGERPRINT_BYTES + (b >> 3)
        if (x[i * f + j] === 1) fingerprints[at] = (fingerprints[at] ?? 0) | (1 << (b & 7))
      }
  }
  const featureNames = plain.map((j) => set.featureNames[j] as string)
  const counts: Record<string, FeatureCounts> = {}
  featureNames.forEach((name, k) => (counts[name] = countValues(columns[k] as Float32Array)))
  return {
    rows: n,
    featureNames,
    compoundIds: Int32Array.from(set.compoundIds),
    columns,
    fingerprints,
    labels: Float64Array.from(y),
    oof: Float64Array.from(oof),
    counts,
    source,
  }
}

function countValues(column: Float32Array): FeatureCounts {
  const seen = new Set<number>()
  let missing = 0
  for (const v of column) {
    if (Number.isNaN(v)) missing++
    else seen.add(v)
  }
  return { distinct: seen.size, missing }
}

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

/** Stores a model's reference (in the caller's transaction: the model's own registration). */
export function insertReference(db: Db, modelVersionId: number, ref: ReferenceData): void {
  const features = new Float32Array(ref.rows * ref.columns.length)
  ref.columns.forEach((c, k) => features.set(c, k * ref.rows))
  db.prepare(
    `INSERT INTO model_reference (model_version_id, row_count, feature_names_json, compound_ids, features,
       fingerprints, labels, oof, distinct_json, source, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    modelVersionId,
    ref.rows,
    JSON.stringify(ref.featureNames),
    bytesOf(ref.compoundIds),
    bytesOf(features),
    ref.fingerprints ? bytesOf(ref.fingerprints) : null,
    bytesOf(ref.labels),
    bytesOf(ref.oof),
    JSON.stringify(ref.counts),
    ref.source,
    new Date().toISOString(),
  )
}

interface ReferenceRow {
  row_count: number
  feature_names_json: string
  compound_ids: Buffer
  features: Buffer
  fingerprints: Buffer | null
  labels: Buffer
  oof: Buffer
  distinct_json: string
  source: ReferenceData['source']
}

/** Copies a blob into a typed array of its own (blobs need not be aligned for the type). */
function typed<T extends Float32Array | Float64Array | Int32Array>(
  blob: Buffer,
  make: new (buffer: ArrayBuffer) => T,
): T {
  const copy = new ArrayBuffer(blob.byteLength)
  new Uint8Array(copy).set(blob)
  return new make(copy)
}

/** A model's stored reference, or null when it has none (registered before references were kept, or imported). */
export function readReference(db: Db, version: string): ReferenceData | null {
  const row = db
    .prepare(
      `SELECT r.* FROM model_reference r JOIN model_versions m ON m.id = r.model_version_id
        WHERE m.version = ?`,
    )
    .get(version) as ReferenceRow | undefined
  if (!row) return null
  const n = row.row_count
  const featureNames = JSON.parse(row.feature_names_json) as string[]
  const all = typed(row.features, Float32Array)
  return {
    rows: n,
    featureNames,
    compoundIds: typed(row.compound_ids, Int32Array),
    columns: featureNames.map((_, k) => all.slice(k * n, (k + 1) * n)),
    fingerprints: row.fingerprints ? new Uint8Array(row.fingerprints) : null,
    labels: typed(row.labels, Float64Array),
    oof: typed(row.oof, Float64Array),
    counts: JSON.parse(row.distinct_json) as Record<string, FeatureCounts>,
    source: row.source,
  }
}

interface ModelRow {
  id: number
  version: string
  training_set_json: string
  training_set_hash: string
  cv_metrics_json: string
}

/**
 * A model's reference: the stored one, or for a model registered before references were kept,
 * its training set built again from the definition stored with the model and used only when it is the same set (same
 * hash, which covers every row's compound, label and feature values). Stored, so this is done
 * once. A model whose data has changed since, or that was imported from a bundle, gets a plain
 * 'reference-unavailable' error: it must be retrained to be monitored.
 */
export function modelReference(db: Db, version: string): ReferenceData {
  const model = db
    .prepare(
      'SELECT id, version, training_set_json, training_set_hash, cv_metrics_json FROM model_versions WHERE version = ?',
    )
    .get(version) as ModelRow | undefined
  if (!model) throw new WorkbenchError('not-found', `There is no model ${version}.`)
  const stored = readReference(db, version)
  if (stored) return stored
  const summary = JSON.parse(model.training_set_json) as TrainingSetSummary
  let set: TrainingSet
  try {
    set = buildTrainingSet(db, {
      target: summary.target,
      types: summary.types,
      featureSet: summary.featureSet,
      includeFlagged: summary.includeFlagged === true,
    })
  } catch (error) {
    if (!(error instanceof WorkbenchError)) throw error
    throw unavailable(version, `its training data is no longer in this database (${error.message})`)
  }
  if (set.summary.hash !== model.training_set_hash)
    throw unavailable(
      version,
      `the ${summary.target} data in this database has changed since it was trained (${summary.compounds} compounds then, ${set.summary.compounds} now)`,
    )
  const evaluation = JSON.parse(model.cv_metrics_json) as StoredEvaluation
  if (evaluation.oof.predicted.length !== set.data.n)
    throw unavailable(version, 'its stored out-of-fold predictions do not match its training rows')
  // JSON keeps a NaN as null
  const oof = evaluation.oof.predicted.map((v) => (v === null ? NaN : v))
  const ref = referenceOf(set, oof, 'rebuilt')
  insertReference(db, model.id, ref)
  return ref
}

function unavailable(version: string, why: string) {
  return new WorkbenchError(
    'reference-unavailable',
    `The training rows of ${version} cannot be recovered: ${why}. Retrain the model to monitor it for drift.`,
    { version },
  )
}
