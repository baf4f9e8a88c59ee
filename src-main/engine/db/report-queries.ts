import type { Metrics } from '../../contract'
import type { Db } from './connection'

/** An import that gave measurements of a model's target and types, before the model was made. */
export interface SourceImport {
  id: number
  fileName: string
  sha256: string
  finishedAt: string
  isSynthetic: boolean
  /** measurements of the target and types from this file */
  activities: number
}

/**
 * The files behind a training set: imports finished before the model was created that hold
 * measurements of its target with one of its standard types. Ordered by import id.
 */
export function selectSourceImports(
  db: Db,
  target: string,
  types: readonly string[],
  createdAt: string,
): SourceImport[] {
  const rows = db
    .prepare(
      `SELECT i.id, i.file_name, i.file_sha256, i.finished_at, i.is_synthetic, count(*) AS activities
         FROM activities a JOIN imports i ON i.id = a.import_id
        WHERE a.target_chembl_id = ? AND a.standard_type IN (SELECT value FROM json_each(?))
          AND i.finished_at <= ?
        GROUP BY i.id ORDER BY i.id`,
    )
    .all(target, JSON.stringify(types), createdAt) as {
    id: number
    file_name: string
    file_sha256: string
    finished_at: string
    is_synthetic: number
    activities: number
  }[]
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    sha256: r.file_sha256,
    finishedAt: r.finished_at,
    isSynthetic: r.is_synthetic === 1,
    activities: r.activities,
  }))
}

/** One candidate of the training job that made a model. */
export interface ComparedRun {
  id: number
  learner: string
  params: Record<string, number | boolean>
  metrics: Metrics
  seconds: number
  chosen: boolean
}

/** The runs compared by the job that made this model version (its chosen run included). */
export function selectComparedRuns(db: Db, modelVersionId: number): ComparedRun[] {
  const rows = db
    .prepare(
      `SELECT id, learner, params_json, metrics_json, seconds, chosen FROM training_runs
        WHERE job_id IN (SELECT job_id FROM training_runs WHERE model_version_id = ?)
        ORDER BY id`,
    )
    .all(modelVersionId) as {
    id: number
    learner: string
    params_json: string
    metrics_json: string
    seconds: number
    chosen: number
  }[]
  return rows.map((r) => ({
    id: r.id,
    learner: r.learner,
    params: JSON.parse(r.params_json) as Record<string, number | boolean>,
    metrics: JSON.parse(r.metrics_json) as Metrics,
    seconds: r.seconds,
    chosen: r.chosen === 1,
  }))
}

/** The target's name as the training rows gave it (the first one stored). */
export function selectTargetName(db: Db, target: string): string | null {
  const name = db
    .prepare(
      'SELECT target_name FROM activity_contexts WHERE target_chembl_id = ? AND target_name IS NOT NULL ORDER BY id LIMIT 1',
    )
    .pluck()
    .get(target) as string | undefined
  return name ?? null
}

/** A batch's row as a report lists it, with the compound's stored name when it has one. */
export interface ReportPredictionRow {
  rowNumber: number
  moleculeId: string | null
  name: string | null
  smiles: string | null
  pActivity: number | null
  nM: number | null
  low: number | null
  high: number | null
  inDomain: boolean | null
  observed: number | null
  failure: string | null
}

/**
 * A batch's rows for the report's table: scored rows by predicted pActivity, most potent first
 * (row number breaks ties), then the failed rows by row number; at most `limit` when given.
 */
export function selectReportRows(
  db: Db,
  batchId: number,
  limit: number | null,
): ReportPredictionRow[] {
  const rows = db
    .prepare(
      `SELECT p.row_number, p.molecule_id, c.name, p.smiles, p.p_activity, p.value_nm, p.interval_low,
              p.interval_high, p.in_domain, p.observed_p_activity, p.failure_reason
         FROM predictions p LEFT JOIN compounds c ON c.id = p.compound_id
        WHERE p.batch_id = ?
        ORDER BY p.p_activity IS NULL, p.p_activity DESC, p.row_number, p.id
        LIMIT ?`,
    )
    .raw()
    .all(batchId, limit ?? -1) as [
    number,
    string | null,
    string | null,
    string | null,
    number | null,
    number | null,
    number | null,
    number | null,
    number | null,
    number | null,
    string | null,
  ][]
  return rows.map((r) => ({
    rowNumber: r[0],
    moleculeId: r[1],
    name: r[2],
    smiles: r[3],
    pActivity: r[4],
    nM: r[5],
    low: r[6],
    high: r[7],
    inDomain: r[8] === null ? null : r[8] === 1,
    observed: r[9],
    failure: r[10],
  }))
}

/** Predicted and measured values of a batch's scored rows, for its charts. */
export function selectBatchValues(
  db: Db,
  batchId: number,
): { predicted: Float64Array; observed: Float64Array } {
  const rows = db
    .prepare(
      `SELECT p_activity, observed_p_activity FROM predictions
        WHERE batch_id = ? AND failure_reason IS NULL ORDER BY row_number, id`,
    )
    .raw()
    .all(batchId) as [number, number | null][]
  const predicted = new Float64Array(rows.length)
  const observed = new Float64Array(rows.length)
  rows.forEach((r, i) => {
    predicted[i] = r[0]
    observed[i] = r[1] ?? NaN
  })
  return { predicted, observed }
}
