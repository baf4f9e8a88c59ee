// Migration 002: every candidate a training job tries, like an experiment tracker's runs.
export default /* sql */ `
CREATE TABLE training_runs (
  id                 INTEGER PRIMARY KEY,
  job_id             TEXT NOT NULL,
  target_chembl_id   TEXT NOT NULL,
  learner            TEXT NOT NULL CHECK (learner IN ('gbdt', 'rf', 'ridge')),
  params_json        TEXT NOT NULL,
  feature_set        TEXT NOT NULL,
  training_set_hash  TEXT NOT NULL,
  metrics_json       TEXT NOT NULL,
  seconds            REAL NOT NULL,
  seed               INTEGER NOT NULL,
  -- the candidate the job kept, and the version it became
  chosen             INTEGER NOT NULL DEFAULT 0 CHECK (chosen IN (0, 1)),
  model_version_id   INTEGER REFERENCES model_versions (id) ON DELETE SET NULL,
  created_at         TEXT NOT NULL
) STRICT;
CREATE INDEX training_runs_target ON training_runs (target_chembl_id, created_at);
`
