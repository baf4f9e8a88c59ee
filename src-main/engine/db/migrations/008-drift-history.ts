// Migration 008: a drift check is stored whole, so the history can be shown, compared and audited
// without running anything again. Migration 001's drift tables held too little (four tests, a
// statistic that could not be missing, no source, no model name), so both are rebuilt; nothing
// wrote them before, but any row there is carried over. The model version is kept by name: a
// model may be deleted, and its checks stay (model_version_id is then set NULL by the foreign key).
// A stored check is a record, never changed: triggers refuse UPDATE and DELETE of its rows, except
// the foreign key's own SET NULL of model_version_id when the model is deleted.
export default /* sql */ `
CREATE TABLE drift_runs_new (
  id                 INTEGER PRIMARY KEY,
  model_version_id   INTEGER REFERENCES model_versions (id) ON DELETE SET NULL,
  -- by name: kept when the model is deleted
  model_version      TEXT NOT NULL,
  target             TEXT NOT NULL,
  is_synthetic       INTEGER NOT NULL DEFAULT 0 CHECK (is_synthetic IN (0, 1)),
  source_kind        TEXT NOT NULL
                     CHECK (source_kind IN ('import', 'batch', 'window', 'since-training', 'file', 'simulated')),
  -- the DriftSource the check describes itself by (a file's name and hash, never its contents)
  source_json        TEXT NOT NULL CHECK (json_valid(source_json)),
  -- for the import summary's and the batch view's look-ups; not foreign keys: a check outlives both
  import_id          INTEGER,
  batch_id           INTEGER,
  trigger            TEXT NOT NULL
                     CHECK (trigger IN ('manual', 'import', 'batch', 'simulation', 'cli', 'watch')),
  reference_rows     INTEGER NOT NULL CHECK (reference_rows >= 0),
  current_rows       INTEGER NOT NULL CHECK (current_rows >= 0),
  features_tested    INTEGER NOT NULL CHECK (features_tested >= 0),
  features_drifted   INTEGER NOT NULL CHECK (features_drifted >= 0 AND features_drifted <= features_tested),
  drifted_share      REAL NOT NULL,
  dataset_share      REAL NOT NULL,
  dataset_drifted    INTEGER NOT NULL CHECK (dataset_drifted IN (0, 1)),
  -- PredictionDriftResult / PerformanceDriftResult / ChemistryDriftResult as JSON, NULL when none
  prediction_json    TEXT CHECK (prediction_json IS NULL OR json_valid(prediction_json)),
  performance_json   TEXT CHECK (performance_json IS NULL OR json_valid(performance_json)),
  chemistry_json     TEXT CHECK (chemistry_json IS NULL OR json_valid(chemistry_json)),
  seconds            REAL NOT NULL,
  created_at         TEXT NOT NULL
) STRICT;

INSERT INTO drift_runs_new (id, model_version_id, model_version, target, source_kind, source_json,
    trigger, reference_rows, current_rows, features_tested, features_drifted, drifted_share,
    dataset_share, dataset_drifted, seconds, created_at)
SELECT r.id, r.model_version_id, coalesce(m.version, 'unknown'), coalesce(m.target_chembl_id, ''),
       'file', json_object('kind', 'file', 'fileName', r.current_desc, 'sha256', '', 'label', r.current_desc),
       'manual', r.reference_rows, r.current_rows, r.features_total, r.features_drifted,
       CASE WHEN r.features_total > 0 THEN 1.0 * r.features_drifted / r.features_total ELSE 0.0 END,
       0.5, r.dataset_drifted, 0.0, r.created_at
  FROM drift_runs r LEFT JOIN model_versions m ON m.id = r.model_version_id;

CREATE TABLE drift_features_new (
  id                 INTEGER PRIMARY KEY,
  drift_run_id       INTEGER NOT NULL REFERENCES drift_runs_new (id),
  -- the model's feature order
  position           INTEGER NOT NULL,
  feature            TEXT NOT NULL,
  method             TEXT NOT NULL
                     CHECK (method IN ('ks', 'chi-square', 'z', 'wasserstein', 'jensen-shannon', 'psi')),
  -- 1 when the model's drift settings chose the method, 0 for Evidently's default
  overridden         INTEGER NOT NULL CHECK (overridden IN (0, 1)),
  -- NULL when the feature was not tested (a side without a finite value) or the test gave NaN
  statistic          REAL,
  threshold          REAL NOT NULL,
  p_value            REAL,
  psi                REAL,
  psi_band           TEXT CHECK (psi_band IS NULL OR psi_band IN ('stable', 'moderate', 'significant')),
  missing_reference  INTEGER NOT NULL CHECK (missing_reference >= 0),
  missing_current    INTEGER NOT NULL CHECK (missing_current >= 0),
  distinct_values    INTEGER NOT NULL CHECK (distinct_values >= 0),
  drifted            INTEGER NOT NULL CHECK (drifted IN (0, 1)),
  not_tested         TEXT,
  -- DriftHistogram: shared edges, each side's shares
  histogram_json     TEXT NOT NULL CHECK (json_valid(histogram_json)),
  UNIQUE (drift_run_id, feature)
) STRICT;

INSERT INTO drift_features_new (id, drift_run_id, position, feature, method, overridden, statistic,
    threshold, p_value, psi, missing_reference, missing_current, distinct_values, drifted,
    histogram_json)
SELECT id, drift_run_id, id, feature, test, 0, statistic, threshold, p_value, psi, 0, 0, 0, drifted,
       '{"edges":[],"reference":[],"current":[]}'
  FROM drift_features;

DROP TABLE drift_features;
DROP TABLE drift_runs;
ALTER TABLE drift_runs_new RENAME TO drift_runs;
ALTER TABLE drift_features_new RENAME TO drift_features;

CREATE INDEX drift_runs_model ON drift_runs (model_version, id);
CREATE INDEX drift_runs_import ON drift_runs (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX drift_runs_batch ON drift_runs (batch_id) WHERE batch_id IS NOT NULL;

-- Any change to a stored check's results is refused. Only model_version_id may change, and only to
-- NULL once its model is gone: what the foreign key's ON DELETE SET NULL does when a model is deleted.
CREATE TRIGGER drift_runs_results_fixed
BEFORE UPDATE OF id, model_version, target, is_synthetic, source_kind, source_json, import_id,
  batch_id, trigger, reference_rows, current_rows, features_tested, features_drifted,
  drifted_share, dataset_share, dataset_drifted, prediction_json, performance_json,
  chemistry_json, seconds, created_at ON drift_runs
BEGIN SELECT RAISE(ABORT, 'a stored drift check is never changed'); END;
CREATE TRIGGER drift_runs_model_link
BEFORE UPDATE OF model_version_id ON drift_runs
WHEN NEW.model_version_id IS NOT NULL
  OR EXISTS (SELECT 1 FROM model_versions WHERE id = OLD.model_version_id)
BEGIN SELECT RAISE(ABORT, 'a stored drift check is never changed'); END;
CREATE TRIGGER drift_runs_kept
BEFORE DELETE ON drift_runs
BEGIN SELECT RAISE(ABORT, 'a stored drift check is never deleted'); END;
CREATE TRIGGER drift_features_fixed
BEFORE UPDATE ON drift_features
BEGIN SELECT RAISE(ABORT, 'a stored drift check is never changed'); END;
CREATE TRIGGER drift_features_kept
BEFORE DELETE ON drift_features
BEGIN SELECT RAISE(ABORT, 'a stored drift check is never deleted'); END;

-- Per model: the user's test and threshold per feature, and the share of drifted features that
-- makes the dataset drift. A DriftSettings object; gone with its model.
CREATE TABLE drift_settings (
  model_version_id   INTEGER PRIMARY KEY REFERENCES model_versions (id) ON DELETE CASCADE,
  settings_json      TEXT NOT NULL CHECK (json_valid(settings_json)),
  updated_at         TEXT NOT NULL
) STRICT;
`
