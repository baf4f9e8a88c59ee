// Migration 011: automation. `watch_files` remembers every file the watcher took (its path and
// SHA-256), so a file left in the folder is not taken again at the next start, while a second
// copy of the same bytes elsewhere is recognised through the imports' own SHA-256. A retraining
// policy is kept per target; changes to it are audited (audit_log, entity_type 'policy').
// `automation_events` is the activity timeline: what the watcher and the policies did, each row
// with its sentence and its links (an import, a check, a model version by name, since a model may
// be deleted and the timeline keeps its record). Timeline rows are never changed or deleted.
export default /* sql */ `
CREATE TABLE watch_files (
  id                  INTEGER PRIMARY KEY,
  folder              TEXT NOT NULL,
  path                TEXT NOT NULL,
  file_name           TEXT NOT NULL,
  bytes               INTEGER NOT NULL CHECK (bytes >= 0),
  sha256              TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
  outcome             TEXT NOT NULL CHECK (outcome IN ('imported', 'duplicate', 'rejected')),
  -- not foreign keys: the record of what the watcher did outlives the import
  import_id           INTEGER,
  previous_import_id  INTEGER,
  reason              TEXT,
  moved_to            TEXT,
  result_json         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(result_json)),
  handled_at          TEXT NOT NULL
) STRICT;
CREATE INDEX watch_files_sha ON watch_files (sha256);
CREATE INDEX watch_files_path ON watch_files (path);

CREATE TABLE retrain_policies (
  target_chembl_id  TEXT PRIMARY KEY,
  policy_json       TEXT NOT NULL CHECK (json_valid(policy_json)),
  updated_at        TEXT NOT NULL
) STRICT;

CREATE TABLE automation_events (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  at              TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('file-imported', 'file-duplicate', 'file-rejected',
                    'drift-checked', 'retrain-started', 'retrain-decided', 'retrain-failed',
                    'retrain-interrupted', 'policy-saved', 'watch-started', 'watch-stopped',
                    'watch-error')),
  level           TEXT NOT NULL CHECK (level IN ('info', 'notice', 'warning')),
  target          TEXT,
  summary         TEXT NOT NULL,
  import_id       INTEGER,
  drift_run_id    INTEGER,
  model_version   TEXT,
  watch_file_id   INTEGER,
  details_json    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details_json))
) STRICT;
CREATE INDEX automation_events_target ON automation_events (target, id);
CREATE INDEX automation_events_kind ON automation_events (kind, id);

CREATE TRIGGER automation_events_no_update BEFORE UPDATE ON automation_events
BEGIN SELECT RAISE(ABORT, 'the activity timeline is append-only'); END;
CREATE TRIGGER automation_events_no_delete BEFORE DELETE ON automation_events
BEGIN SELECT RAISE(ABORT, 'the activity timeline is append-only'); END;
`
