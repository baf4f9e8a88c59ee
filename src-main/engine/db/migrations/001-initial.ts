// Migration 001: the tables every feature stands on. SQL as text, so every host and test runner
// loads it the same way (no bundler-specific imports).
export default /* sql */ `
-- 001: the tables every feature stands on.
-- Conventions: STRICT tables; times are ISO-8601 UTC text; JSON columns end in _json;
-- potency is stored both as the raw value and on the log scale (DESIGN.md section 5).

CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value_json  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

-- One row per import of one file. An import is written in a single transaction, so a row here
-- always has all of its activities and rejections.
CREATE TABLE imports (
  id                 INTEGER PRIMARY KEY,
  file_name          TEXT NOT NULL,
  file_size          INTEGER NOT NULL CHECK (file_size >= 0),
  file_sha256        TEXT NOT NULL CHECK (length(file_sha256) = 64),
  format             TEXT NOT NULL,
  encoding           TEXT NOT NULL DEFAULT 'utf-8',
  delimiter          TEXT NOT NULL,
  -- the file's header as written
  header_json        TEXT NOT NULL,
  -- the file itself, byte for byte, copied into the data folder (relative path): every column of
  -- every row stays recoverable, whatever the importer made of it
  stored_file        TEXT,
  mapping_json       TEXT NOT NULL,
  -- counts of accepted activities that cannot train a model, by reason (censored, unit, ...)
  unusable_json      TEXT NOT NULL DEFAULT '{}',
  -- seed features in the file that disagree with RDKit's values for the same SMILES
  disagreements_json TEXT NOT NULL DEFAULT '{}',
  rows_total         INTEGER NOT NULL CHECK (rows_total >= 0),
  rows_accepted      INTEGER NOT NULL CHECK (rows_accepted >= 0),
  rows_rejected      INTEGER NOT NULL CHECK (rows_rejected >= 0),
  compounds_new      INTEGER NOT NULL DEFAULT 0,
  compounds_updated  INTEGER NOT NULL DEFAULT 0,
  rdkit_version      TEXT,
  is_synthetic       INTEGER NOT NULL DEFAULT 0 CHECK (is_synthetic IN (0, 1)),
  started_at         TEXT NOT NULL,
  finished_at        TEXT NOT NULL,
  CHECK (rows_accepted + rows_rejected = rows_total)
) STRICT;
CREATE INDEX imports_sha256 ON imports (file_sha256);

CREATE TABLE import_rejections (
  id           INTEGER PRIMARY KEY,
  import_id    INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  line_number  INTEGER NOT NULL CHECK (line_number >= 1),
  reason       TEXT NOT NULL,
  detail       TEXT,
  raw_line     TEXT NOT NULL
) STRICT;
CREATE INDEX import_rejections_import ON import_rejections (import_id, reason);

-- One row per molecule, keyed by ChEMBL id or else by canonical SMILES.
CREATE TABLE compounds (
  id                   INTEGER PRIMARY KEY,
  molecule_key         TEXT NOT NULL UNIQUE,
  chembl_id            TEXT UNIQUE,
  name                 TEXT,
  smiles               TEXT,
  mw_freebase          REAL,
  alogp                REAL,
  hba                  REAL,
  hbd                  REAL,
  -- per seed feature: 'file' or 'rdkit'
  feature_sources_json TEXT NOT NULL DEFAULT '{}',
  -- RDKit version that computed any 'rdkit' value and the descriptors below
  rdkit_version        TEXT,
  descriptors_json     TEXT,
  morgan_fp            BLOB CHECK (morgan_fp IS NULL OR length(morgan_fp) = 256),
  first_import_id      INTEGER REFERENCES imports (id) ON DELETE SET NULL,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
) STRICT;

-- One row per measurement, linked to the import it came from.
CREATE TABLE activities (
  id                 INTEGER PRIMARY KEY,
  import_id          INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  compound_id        INTEGER NOT NULL REFERENCES compounds (id) ON DELETE CASCADE,
  line_number        INTEGER NOT NULL,
  standard_type      TEXT,
  relation           TEXT CHECK (relation IN ('=', '<', '>', '<=', '>=', '~', '<<', '>>')),
  standard_value     REAL,
  standard_units     TEXT,
  value_nm           REAL CHECK (value_nm IS NULL OR value_nm > 0),
  p_activity         REAL,
  pchembl_value      REAL,
  -- 0 when the row is kept but cannot train a model, with the reason (censored, unit, ...)
  usable             INTEGER NOT NULL CHECK (usable IN (0, 1)),
  unusable_reason    TEXT,
  assay_chembl_id    TEXT,
  target_chembl_id   TEXT,
  target_name        TEXT,
  document_chembl_id TEXT,
  document_year      INTEGER,
  -- the source row as written is line line_number of the import's stored file
  CHECK (line_number >= 2)
) STRICT;
CREATE INDEX activities_compound ON activities (compound_id);
CREATE INDEX activities_target_type ON activities (target_chembl_id, standard_type, usable);
CREATE INDEX compounds_name ON compounds (name);

-- Every trained model. The ONNX bytes live here, in the same row as their metadata, so a model
-- and what is said about it can never disagree.
CREATE TABLE model_versions (
  id                  INTEGER PRIMARY KEY,
  version             TEXT NOT NULL UNIQUE,
  target_chembl_id    TEXT NOT NULL,
  learner             TEXT NOT NULL,
  params_json         TEXT NOT NULL,
  feature_set         TEXT NOT NULL,
  feature_names_json  TEXT NOT NULL,
  training_set_json   TEXT NOT NULL,
  training_set_hash   TEXT NOT NULL,
  training_rows       INTEGER NOT NULL CHECK (training_rows >= 0),
  seed                INTEGER,
  cv_metrics_json     TEXT NOT NULL,
  calibration_json    TEXT NOT NULL,
  domain_json         TEXT NOT NULL,
  reference_json      TEXT NOT NULL,
  importance_json     TEXT,
  rdkit_version       TEXT,
  onnx                BLOB NOT NULL,
  onnx_sha256         TEXT NOT NULL CHECK (length(onnx_sha256) = 64),
  stage               TEXT NOT NULL DEFAULT 'candidate'
                      CHECK (stage IN ('candidate', 'production', 'archived')),
  parent_version_id   INTEGER REFERENCES model_versions (id) ON DELETE SET NULL,
  is_synthetic        INTEGER NOT NULL DEFAULT 0 CHECK (is_synthetic IN (0, 1)),
  created_at          TEXT NOT NULL,
  promoted_at         TEXT
) STRICT;
-- Exactly one production model per target, enforced by the database itself.
CREATE UNIQUE INDEX model_versions_one_production
  ON model_versions (target_chembl_id) WHERE stage = 'production';

CREATE TABLE prediction_batches (
  id                    INTEGER PRIMARY KEY,
  model_version_id      INTEGER NOT NULL REFERENCES model_versions (id) ON DELETE RESTRICT,
  source                TEXT NOT NULL CHECK (source IN ('single', 'file', 'database', 'api', 'watch')),
  input_name            TEXT,
  rows_scored           INTEGER NOT NULL DEFAULT 0,
  rows_failed           INTEGER NOT NULL DEFAULT 0,
  failures_json         TEXT NOT NULL DEFAULT '{}',
  rmse                  REAL,
  seconds               REAL,
  created_at            TEXT NOT NULL
) STRICT;

CREATE TABLE predictions (
  id                   INTEGER PRIMARY KEY,
  batch_id             INTEGER NOT NULL REFERENCES prediction_batches (id) ON DELETE CASCADE,
  row_number           INTEGER NOT NULL,
  compound_id          INTEGER REFERENCES compounds (id) ON DELETE SET NULL,
  molecule_id          TEXT,
  smiles               TEXT,
  inputs_json          TEXT NOT NULL,
  p_activity           REAL,
  value_nm             REAL,
  interval_low         REAL,
  interval_high        REAL,
  in_domain            INTEGER CHECK (in_domain IN (0, 1)),
  observed_p_activity  REAL,
  -- set when the row could not be scored; the prediction columns are then NULL
  failure_reason       TEXT,
  created_at           TEXT NOT NULL,
  CHECK ((failure_reason IS NULL) = (p_activity IS NOT NULL))
) STRICT;
CREATE INDEX predictions_batch ON predictions (batch_id, row_number);

CREATE TABLE drift_runs (
  id                   INTEGER PRIMARY KEY,
  model_version_id     INTEGER REFERENCES model_versions (id) ON DELETE SET NULL,
  reference_desc       TEXT NOT NULL,
  current_desc         TEXT NOT NULL,
  reference_rows       INTEGER NOT NULL,
  current_rows         INTEGER NOT NULL,
  features_drifted     INTEGER NOT NULL,
  features_total       INTEGER NOT NULL,
  dataset_drifted      INTEGER NOT NULL CHECK (dataset_drifted IN (0, 1)),
  created_at           TEXT NOT NULL
) STRICT;

CREATE TABLE drift_features (
  id            INTEGER PRIMARY KEY,
  drift_run_id  INTEGER NOT NULL REFERENCES drift_runs (id) ON DELETE CASCADE,
  feature       TEXT NOT NULL,
  test          TEXT NOT NULL CHECK (test IN ('ks', 'chi-square', 'wasserstein', 'jensen-shannon')),
  statistic     REAL NOT NULL,
  p_value       REAL,
  threshold     REAL NOT NULL,
  drifted       INTEGER NOT NULL CHECK (drifted IN (0, 1)),
  psi           REAL,
  UNIQUE (drift_run_id, feature)
) STRICT;

-- Every change a user makes to models and data, with when and why. Rows are never updated.
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  action        TEXT NOT NULL,
  entity_type   TEXT NOT NULL,
  entity_id     TEXT,
  reason        TEXT,
  details_json  TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`
