// Migration 009: reports are kept. Each row names one self-contained HTML file in the data
// folder's `reports/` and the SHA-256 of its bytes, checked whenever the file is read back. What
// a report is about is kept by value (a model version's name, a check's or batch's id), not as a
// foreign key: a report is a document that was sent to someone, and outlives what it describes.
// Deleting a report is audited (audit_log, entity_type 'report'). AUTOINCREMENT: an id is never
// given twice, so the audit log's "report 7 deleted" can never be read as a later report 7, and
// a new report's file never takes the name of a deleted one.
export default /* sql */ `
CREATE TABLE reports (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  kind           TEXT NOT NULL CHECK (kind IN ('model-card', 'drift', 'batch')),
  -- the ReportSubject, e.g. {"kind":"drift","driftRunId":4}
  subject_json   TEXT NOT NULL CHECK (json_valid(subject_json)),
  title          TEXT NOT NULL,
  model_version  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  -- how it was made: the renderer's options, for the record
  options_json   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options_json)),
  file_name      TEXT NOT NULL UNIQUE CHECK (file_name NOT LIKE '%/%' AND file_name NOT LIKE '%\\%'),
  bytes          INTEGER NOT NULL CHECK (bytes >= 0),
  sha256         TEXT NOT NULL CHECK (length(sha256) = 64)
) STRICT;
CREATE INDEX reports_created ON reports (created_at);

-- A stored report is a record of what was sent: its row never changes (it may only be deleted).
CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'a stored report is never changed'); END;
`
