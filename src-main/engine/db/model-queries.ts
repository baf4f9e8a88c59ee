import type { FeatureSet, Learner, ModelStage } from '../../contract'
import type { Db } from './connection'

/** A model_versions row as stored (without its ONNX bytes, read only when a model is scored). */
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

const COLUMNS = `id, version, target_chembl_id, learner, params_json, feature_set, feature_names_json,
  training_set_json, training_set_hash, training_rows, seed, cv_metrics_json, calibration_json,
  domain_json, reference_json, importance_json, rdkit_version, onnx_sha256, stage,
  parent_version_id, is_synthetic, created_at, promoted_at`

/** A model_versions row to insert, with its ONNX bytes; it starts as a candidate. */
export type ModelInsert = Omit<ModelRow, 'id' | 'stage' | 'promoted_at'> & { onnx: Uint8Array }

export function selectModel(db: Db, version: string): ModelRow | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM model_versions WHERE version = ?`).get(version) as
    ModelRow | undefined
}

export function selectProductionModel(db: Db, target: string): ModelRow | undefined {
  return db
    .prepare(
      `SELECT ${COLUMNS} FROM model_versions WHERE target_chembl_id = ? AND stage = 'production'`,
    )
    .get(target) as ModelRow | undefined
}

/** Every version, newest first. */
export function selectModels(db: Db): ModelRow[] {
  return db.prepare(`SELECT ${COLUMNS} FROM model_versions ORDER BY id DESC`).all() as ModelRow[]
}

export function selectOnnx(db: Db, id: number): Uint8Array | undefined {
  const row = db.prepare('SELECT onnx FROM model_versions WHERE id = ?').get(id) as
    { onnx: Uint8Array } | undefined
  return row?.onnx
}

export function selectOnnxSize(db: Db, id: number): number {
  const row = db.prepare('SELECT length(onnx) AS n FROM model_versions WHERE id = ?').get(id) as
    { n: number } | undefined
  return row?.n ?? 0
}

export function selectVersionName(db: Db, id: number): string | null {
  const r = db.prepare('SELECT version FROM model_versions WHERE id = ?').get(id) as
    { version: string } | undefined
  return r?.version ?? null
}

export function versionExists(db: Db, version: string): boolean {
  return db.prepare('SELECT 1 FROM model_versions WHERE version = ?').get(version) !== undefined
}

/**
 * Whether a version name was ever given: to a model still here, or to a deleted one that the
 * audit log or a stored drift check still names. A deleted newest model's name must not come back
 * (SQLite reuses the highest rowid), or its audit entries and drift checks would read as the new
 * model's.
 */
export function versionNameUsed(db: Db, version: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM model_versions WHERE version = @v
         UNION ALL SELECT 1 FROM audit_log WHERE entity_type = 'model' AND entity_id = @v
         UNION ALL SELECT 1 FROM drift_runs WHERE model_version = @v
         LIMIT 1`,
      )
      .get({ v: version }) !== undefined
  )
}

/** The id after the highest one given so far: where the next version name starts looking. */
export function selectNextModelId(db: Db): number {
  const r = db.prepare('SELECT coalesce(max(id), 0) + 1 AS n FROM model_versions').get() as {
    n: number
  }
  return r.n
}

export function insertModelRow(db: Db, m: ModelInsert): number {
  const r = db
    .prepare(
      `INSERT INTO model_versions (version, target_chembl_id, learner, params_json, feature_set,
         feature_names_json, training_set_json, training_set_hash, training_rows, seed, cv_metrics_json,
         calibration_json, domain_json, reference_json, importance_json, rdkit_version, onnx, onnx_sha256,
         stage, parent_version_id, is_synthetic, created_at)
       VALUES (@version, @target_chembl_id, @learner, @params_json, @feature_set, @feature_names_json,
         @training_set_json, @training_set_hash, @training_rows, @seed, @cv_metrics_json,
         @calibration_json, @domain_json, @reference_json, @importance_json, @rdkit_version, @onnx,
         @onnx_sha256, 'candidate', @parent_version_id, @is_synthetic, @created_at)`,
    )
    .run(m)
  return Number(r.lastInsertRowid)
}

export function setArchived(db: Db, id: number): void {
  db.prepare("UPDATE model_versions SET stage = 'archived' WHERE id = ?").run(id)
}

export function setProduction(db: Db, id: number, promotedAt: string): void {
  db.prepare("UPDATE model_versions SET stage = 'production', promoted_at = ? WHERE id = ?").run(
    promotedAt,
    id,
  )
}

export function deleteModelRow(db: Db, id: number): void {
  db.prepare('DELETE FROM model_versions WHERE id = ?').run(id)
}

/** How many prediction batches a version made (they keep it from being deleted). */
export function countBatchesOf(db: Db, id: number): number {
  const r = db
    .prepare('SELECT count(*) AS n FROM prediction_batches WHERE model_version_id = ?')
    .get(id) as { n: number }
  return r.n
}

/** One row of the stage history: a promotion (or rollback) and the version it replaced. */
export function insertPromotion(
  db: Db,
  p: { at: string; version: string; action: 'promote' | 'rollback'; previous: string | null },
): void {
  db.prepare(
    'INSERT INTO model_promotions (at, version, action, previous_version) VALUES (?, ?, ?, ?)',
  ).run(p.at, p.version, p.action, p.previous)
}

/**
 * The version that `version`'s latest promotion replaced; undefined when it was never promoted,
 * null when its target had no production model then.
 */
export function selectReplacedBy(db: Db, version: string): string | null | undefined {
  const r = db
    .prepare(
      'SELECT previous_version FROM model_promotions WHERE version = ? ORDER BY id DESC LIMIT 1',
    )
    .get(version) as { previous_version: string | null } | undefined
  return r?.previous_version
}

export function insertModelAudit(
  db: Db,
  e: { at: string; action: string; version: string; reason: string | null; details: object },
): void {
  db.prepare(
    "INSERT INTO audit_log (at, action, entity_type, entity_id, reason, details_json) VALUES (?, ?, 'model', ?, ?, ?)",
  ).run(e.at, e.action, e.version, e.reason, JSON.stringify(e.details))
}

/** The details of a version's first audit entry of `action`, as written; undefined without one. */
export function selectFirstAuditDetails(
  db: Db,
  version: string,
  action: string,
): string | undefined {
  const r = db
    .prepare(
      "SELECT details_json FROM audit_log WHERE entity_type = 'model' AND entity_id = ? AND action = ? ORDER BY id LIMIT 1",
    )
    .get(version, action) as { details_json: string } | undefined
  return r?.details_json
}

/** Everything done to a version, oldest first, for its page. */
export function selectModelHistory(
  db: Db,
  version: string,
): { at: string; action: string; reason: string | null }[] {
  return db
    .prepare(
      "SELECT at, action, reason FROM audit_log WHERE entity_type = 'model' AND entity_id = ? ORDER BY id",
    )
    .all(version) as { at: string; action: string; reason: string | null }[]
}

/** The production model promoted last, of any target. */
export function selectLatestProductionVersion(db: Db): string | undefined {
  const r = db
    .prepare(
      "SELECT version FROM model_versions WHERE stage = 'production' ORDER BY promoted_at DESC, id DESC LIMIT 1",
    )
    .get() as { version: string } | undefined
  return r?.version
}

/** The first version registered with exactly these ONNX bytes. */
export function selectVersionWithOnnx(db: Db, sha256: string): string | undefined {
  const r = db
    .prepare('SELECT version FROM model_versions WHERE onnx_sha256 = ? ORDER BY id LIMIT 1')
    .get(sha256) as { version: string } | undefined
  return r?.version
}
