import {
  type AutoSearch,
  type Learner,
  type Metrics,
  type ModelDetail,
  type ModelStage,
  type ModelSummary,
  type FeatureSet,
  type RollbackResult,
  type RunRecord,
  type TrainingSetSummary,
  WorkbenchError,
} from '../../contract'
import { rdkitVersionList } from '../../chem/rdkit-version'
import type { ConformalCalibration } from '../../ml/conformal'
import type { Db } from '../db/connection'

/** A model_versions row as stored. */
export interface ModelRow {
  id: number
  version: string
  target_chembl_id: string
  learner: Learner
  params_json: string
  feature_set: FeatureSet
  feature_names_json: string
  training_set_json: string
  training_set_hash: string
  training_rows: number
  seed: number | null
  cv_metrics_json: string
  calibration_json: string
  domain_json: string
  reference_json: string
  importance_json: string | null
  rdkit_version: string | null
  onnx_sha256: string
  stage: ModelStage
  parent_version_id: number | null
  is_synthetic: number
  created_at: string
  promoted_at: string | null
}

/** What cv_metrics_json holds. */
export interface StoredEvaluation {
  cv: Metrics
  folds: number
  oof: { observed: number[]; predicted: number[] }
  timeSplit: ModelDetail['timeSplit']
  intervalCoverage: number
  onnxMaxDifference: number
  /** absent for single learners, and for models trained before the search was recorded */
  search?: AutoSearch
}

const COLUMNS = `id, version, target_chembl_id, learner, params_json, feature_set, feature_names_json,
  training_set_json, training_set_hash, training_rows, seed, cv_metrics_json, calibration_json,
  domain_json, reference_json, importance_json, rdkit_version, onnx_sha256, stage,
  parent_version_id, is_synthetic, created_at, promoted_at`

export function audit(
  db: Db,
  action: string,
  entityId: string,
  reason: string | null | undefined,
  details: object,
): void {
  db.prepare(
    "INSERT INTO audit_log (at, action, entity_type, entity_id, reason, details_json) VALUES (?, ?, 'model', ?, ?, ?)",
  ).run(new Date().toISOString(), action, entityId, reason ?? null, JSON.stringify(details))
}

export function modelRow(db: Db, version: string): ModelRow {
  const row = db.prepare(`SELECT ${COLUMNS} FROM model_versions WHERE version = ?`).get(version) as
    ModelRow | undefined
  if (!row)
    throw new WorkbenchError('not-found', `There is no model version ${version}.`, { version })
  return row
}

export function productionRow(db: Db, target: string): ModelRow | null {
  return (
    (db
      .prepare(
        `SELECT ${COLUMNS} FROM model_versions WHERE target_chembl_id = ? AND stage = 'production'`,
      )
      .get(target) as ModelRow | undefined) ?? null
  )
}

export function onnxBytes(db: Db, id: number): Uint8Array {
  const row = db.prepare('SELECT onnx FROM model_versions WHERE id = ?').get(id) as
    { onnx: Uint8Array } | undefined
  if (!row) throw new WorkbenchError('not-found', 'That model version no longer exists.')
  return row.onnx
}

function versionName(db: Db, id: number | null): string | null {
  if (id === null) return null
  const r = db.prepare('SELECT version FROM model_versions WHERE id = ?').get(id) as
    { version: string } | undefined
  return r?.version ?? null
}

/**
 * The version a rollback of `row` would restore: the production model its promotion replaced,
 * while that version still exists. Null for versions not in production.
 */
function rollbackTarget(db: Db, row: ModelRow): string | null {
  if (row.stage !== 'production') return null
  const entry = db
    .prepare(
      "SELECT details_json FROM audit_log WHERE entity_type = 'model' AND entity_id = ? AND action IN ('promote', 'rollback') ORDER BY id DESC LIMIT 1",
    )
    .get(row.version) as { details_json: string } | undefined
  const previous = entry
    ? (JSON.parse(entry.details_json) as { previous?: string | null }).previous
    : null
  if (!previous || !db.prepare('SELECT 1 FROM model_versions WHERE version = ?').get(previous))
    return null
  return previous
}

/** Where an imported version came from, as its card told it; null for versions trained here. */
function importOrigin(db: Db, row: ModelRow): ModelSummary['importedFrom'] {
  const entry = db
    .prepare(
      "SELECT details_json FROM audit_log WHERE entity_type = 'model' AND entity_id = ? AND action = 'import' ORDER BY id LIMIT 1",
    )
    .get(row.version) as { details_json: string } | undefined
  if (!entry) return null
  const d = JSON.parse(entry.details_json) as {
    importedFrom?: string
    parentVersion?: string | null
    appVersion?: string | null
  }
  if (!d.importedFrom) return null
  return {
    version: d.importedFrom,
    parentVersion: d.parentVersion ?? null,
    appVersion: d.appVersion ?? null,
  }
}

export function summarize(db: Db, row: ModelRow): ModelSummary {
  const evaluation = JSON.parse(row.cv_metrics_json) as StoredEvaluation
  const calibration = JSON.parse(row.calibration_json) as ConformalCalibration
  return {
    version: row.version,
    target: row.target_chembl_id,
    learner: row.learner,
    featureSet: row.feature_set,
    trainingRows: row.training_rows,
    trainingSetHash: row.training_set_hash,
    cv: evaluation.cv,
    intervalHalfWidth: calibration.q,
    stage: row.stage,
    parentVersion: versionName(db, row.parent_version_id),
    rollbackTo: rollbackTarget(db, row),
    importedFrom: importOrigin(db, row),
    isSynthetic: row.is_synthetic === 1,
    onnxSha256: row.onnx_sha256,
    createdAt: row.created_at,
    promotedAt: row.promoted_at,
  }
}

export function listModels(db: Db): ModelSummary[] {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM model_versions ORDER BY id DESC`)
    .all() as ModelRow[]
  return rows.map((r) => summarize(db, r))
}

export function modelDetail(db: Db, version: string): ModelDetail {
  const row = modelRow(db, version)
  const evaluation = JSON.parse(row.cv_metrics_json) as StoredEvaluation
  const names = JSON.parse(row.feature_names_json) as string[]
  const importance = row.importance_json ? (JSON.parse(row.importance_json) as number[]) : []
  const size = db
    .prepare('SELECT length(onnx) AS n FROM model_versions WHERE id = ?')
    .get(row.id) as {
    n: number
  }
  const history = db
    .prepare(
      "SELECT at, action, reason FROM audit_log WHERE entity_type = 'model' AND entity_id = ? ORDER BY id",
    )
    .all(row.version) as { at: string; action: string; reason: string | null }[]
  return {
    ...summarize(db, row),
    params: JSON.parse(row.params_json) as Record<string, number | boolean>,
    featureNames: names,
    trainingSet: JSON.parse(row.training_set_json) as TrainingSetSummary,
    rdkitVersion: rdkitVersionList(row.rdkit_version),
    seed: row.seed,
    folds: evaluation.folds,
    oof: evaluation.oof,
    timeSplit: evaluation.timeSplit,
    importance: names
      .map((feature, j) => ({ feature, value: importance[j] ?? 0 }))
      .filter((i) => i.value > 0)
      .sort((a, b) => b.value - a.value)
      .slice(0, 30),
    intervalCoverage: evaluation.intervalCoverage,
    onnxBytes: size.n,
    onnxMaxDifference: evaluation.onnxMaxDifference,
    search: evaluation.search ?? null,
    history,
  }
}

/** Makes `version` its target's production model, archiving the one it replaces. */
export function promote(db: Db, version: string, reason: string | undefined, action = 'promote') {
  return db.transaction(() => {
    const row = modelRow(db, version)
    if (row.stage === 'production')
      throw new WorkbenchError('not-allowed', `${version} is already the production model.`)
    const previous = productionRow(db, row.target_chembl_id)
    const now = new Date().toISOString()
    if (previous) {
      db.prepare("UPDATE model_versions SET stage = 'archived' WHERE id = ?").run(previous.id)
      audit(db, 'archive', previous.version, `replaced by ${version}`, { replacedBy: version })
    }
    db.prepare("UPDATE model_versions SET stage = 'production', promoted_at = ? WHERE id = ?").run(
      now,
      row.id,
    )
    audit(db, action, version, reason, {
      target: row.target_chembl_id,
      previous: previous?.version ?? null,
    })
    return summarize(db, modelRow(db, version))
  })()
}

/** Puts back the model that production replaced most recently, and says which it was. */
export function rollback(db: Db, target: string, reason: string): RollbackResult {
  return db.transaction(() => {
    const current = productionRow(db, target)
    if (!current)
      throw new WorkbenchError('no-production-model', `Target ${target} has no production model.`)
    const previous = rollbackTarget(db, current)
    if (!previous)
      throw new WorkbenchError(
        'not-allowed',
        `There is no earlier production model of ${target} to roll back to.`,
      )
    return { restored: promote(db, previous, reason, 'rollback'), replaced: current.version }
  })()
}

export function archive(db: Db, version: string, reason: string | undefined) {
  return db.transaction(() => {
    const row = modelRow(db, version)
    if (row.stage === 'production')
      throw new WorkbenchError(
        'not-allowed',
        `${version} is the production model of ${row.target_chembl_id}. Promote another version or roll back first.`,
      )
    if (row.stage === 'archived') return summarize(db, row)
    db.prepare("UPDATE model_versions SET stage = 'archived' WHERE id = ?").run(row.id)
    audit(db, 'archive', version, reason, {})
    return summarize(db, modelRow(db, version))
  })()
}

export function deleteModel(db: Db, version: string, reason: string | undefined) {
  return db.transaction(() => {
    const row = modelRow(db, version)
    if (row.stage === 'production')
      throw new WorkbenchError(
        'not-allowed',
        `${version} is the production model of ${row.target_chembl_id} and cannot be deleted. Promote another version first.`,
      )
    const used = db
      .prepare('SELECT count(*) AS n FROM prediction_batches WHERE model_version_id = ?')
      .get(row.id) as { n: number }
    if (used.n > 0)
      throw new WorkbenchError(
        'not-allowed',
        `${version} made ${used.n} prediction batch(es); it is kept so they stay explainable. Archive it instead.`,
      )
    db.prepare('DELETE FROM model_versions WHERE id = ?').run(row.id)
    audit(db, 'delete', version, reason, { onnxSha256: row.onnx_sha256 })
    return { deleted: version }
  })()
}

/** The next free version name (v1, v2, ...); call inside the inserting transaction. */
export function nextVersion(db: Db): string {
  const r = db.prepare('SELECT coalesce(max(id), 0) + 1 AS n FROM model_versions').get() as {
    n: number
  }
  let n = r.n
  while (db.prepare('SELECT 1 FROM model_versions WHERE version = ?').get(`v${n}`)) n++
  return `v${n}`
}

export interface NewModel {
  target: string
  learner: Learner
  params: Record<string, number | boolean>
  featureSet: FeatureSet
  featureNames: string[]
  trainingSet: TrainingSetSummary
  trainingRows: number
  seed: number | null
  evaluation: StoredEvaluation
  calibration: ConformalCalibration
  domain: unknown
  reference: unknown
  importance: number[] | null
  rdkitVersion: string | null
  onnx: Uint8Array
  onnxSha256: string
  parentVersionId: number | null
  isSynthetic: boolean
}

export function insertModel(db: Db, version: string, m: NewModel): number {
  const r = db
    .prepare(
      `INSERT INTO model_versions (version, target_chembl_id, learner, params_json, feature_set,
         feature_names_json, training_set_json, training_set_hash, training_rows, seed, cv_metrics_json,
         calibration_json, domain_json, reference_json, importance_json, rdkit_version, onnx, onnx_sha256,
         stage, parent_version_id, is_synthetic, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'candidate', ?, ?, ?)`,
    )
    .run(
      version,
      m.target,
      m.learner,
      JSON.stringify(m.params),
      m.featureSet,
      JSON.stringify(m.featureNames),
      JSON.stringify(m.trainingSet),
      m.trainingSet.hash,
      m.trainingRows,
      m.seed,
      JSON.stringify(m.evaluation),
      JSON.stringify(m.calibration),
      JSON.stringify(m.domain),
      JSON.stringify(m.reference),
      m.importance ? JSON.stringify(Array.from(m.importance)) : null,
      m.rdkitVersion,
      m.onnx,
      m.onnxSha256,
      m.parentVersionId,
      m.isSynthetic ? 1 : 0,
      new Date().toISOString(),
    )
  return Number(r.lastInsertRowid)
}

export function listRuns(db: Db, target: string | undefined): RunRecord[] {
  const rows = db
    .prepare(
      `SELECT r.*, m.version AS model_version FROM training_runs r
         LEFT JOIN model_versions m ON m.id = r.model_version_id
        WHERE (@target IS NULL OR r.target_chembl_id = @target) ORDER BY r.id DESC LIMIT 500`,
    )
    .all({ target: target ?? null }) as {
    id: number
    job_id: string
    target_chembl_id: string
    learner: Learner
    params_json: string
    feature_set: FeatureSet
    training_set_hash: string
    metrics_json: string
    seconds: number
    seed: number
    chosen: number
    model_version: string | null
    created_at: string
  }[]
  return rows.map((r) => ({
    id: r.id,
    jobId: r.job_id,
    target: r.target_chembl_id,
    learner: r.learner,
    params: JSON.parse(r.params_json) as Record<string, number | boolean>,
    featureSet: r.feature_set,
    trainingSetHash: r.training_set_hash,
    metrics: JSON.parse(r.metrics_json) as Metrics,
    seconds: r.seconds,
    seed: r.seed,
    chosen: r.chosen === 1,
    modelVersion: r.model_version,
    createdAt: r.created_at,
  }))
}
