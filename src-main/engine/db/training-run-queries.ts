import type { FeatureSet, Learner } from '../../contract'
import type { Db } from './connection'

/** One candidate's cross-validation as stored in training_runs. */
export interface TrainingRunInsert {
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
  model_version_id: number | null
  created_at: string
}

/** A training_runs row with the version name of the model it became, if any. */
export interface TrainingRunRow extends TrainingRunInsert {
  id: number
  model_version: string | null
}

export function insertTrainingRun(db: Db, run: TrainingRunInsert): void {
  db.prepare(
    `INSERT INTO training_runs (job_id, target_chembl_id, learner, params_json, feature_set,
       training_set_hash, metrics_json, seconds, seed, chosen, model_version_id, created_at)
     VALUES (@job_id, @target_chembl_id, @learner, @params_json, @feature_set, @training_set_hash,
       @metrics_json, @seconds, @seed, @chosen, @model_version_id, @created_at)`,
  ).run(run)
}

/** The newest 500 runs, of one target or of all. */
export function selectTrainingRuns(db: Db, target: string | null): TrainingRunRow[] {
  return db
    .prepare(
      `SELECT r.*, m.version AS model_version FROM training_runs r
         LEFT JOIN model_versions m ON m.id = r.model_version_id
        WHERE (@target IS NULL OR r.target_chembl_id = @target) ORDER BY r.id DESC LIMIT 500`,
    )
    .all({ target }) as TrainingRunRow[]
}
