// Migration 004: an import that overlaps an earlier one adds no second copy of a measurement, and
// a batch of predictions knows which of its compounds the model was trained on.
//
// - activity_records.activity_id: ChEMBL's own activity id where the file gives one (web-services
//   dumps do, the web export does not), the surest sign that two rows are the same measurement.
// - activity_records_compound becomes (compound_id, standard_value): the same lookups by compound,
//   and the lookup of a measurement by compound and value that an overlapping import makes for
//   every row, without another index to keep up at a million rows.
// - imports.rows_already_present: accepted rows that matched a stored measurement and were not
//   added again (accepted + rejected = total still holds: they are accepted rows).
// - import_present_rows: for each such row, the measurement it matched, so the later import's
//   provenance is kept (its raw line stays in its stored file copy, at line_number).
// - prediction_batches / predictions: how many rows of a file named other targets, whether only
//   the model's target was scored, RMSE split into in-sample (compounds in the model's training
//   set) and out-of-sample, and per row whether the compound was in the training set.
export default /* sql */ `
ALTER TABLE activity_records ADD COLUMN activity_id INTEGER CHECK (activity_id IS NULL OR activity_id > 0);
CREATE INDEX activity_records_activity_id ON activity_records (activity_id) WHERE activity_id IS NOT NULL;
DROP INDEX activity_records_compound;
CREATE INDEX activity_records_compound ON activity_records (compound_id, standard_value);

DROP VIEW activities;
CREATE VIEW activities AS
  SELECT r.id, r.import_id, r.compound_id, r.line_number, x.standard_type, r.relation, r.standard_value,
         x.standard_units, r.value_nm, r.p_activity, r.pchembl_value, r.usable, r.unusable_reason,
         x.assay_chembl_id, x.target_chembl_id, x.target_name, x.document_chembl_id, x.document_year,
         r.context_id, r.activity_id
    FROM activity_records r CROSS JOIN activity_contexts x ON x.id = r.context_id;

ALTER TABLE imports ADD COLUMN rows_already_present INTEGER NOT NULL DEFAULT 0
  CHECK (rows_already_present >= 0 AND rows_already_present <= rows_accepted);

CREATE TABLE import_present_rows (
  import_id           INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  -- the row's line in the import's stored file
  line_number         INTEGER NOT NULL CHECK (line_number >= 2),
  -- the stored measurement it is the same as
  activity_record_id  INTEGER NOT NULL REFERENCES activity_records (id) ON DELETE CASCADE,
  matched_by          TEXT NOT NULL CHECK (matched_by IN ('activity-id', 'same-values')),
  PRIMARY KEY (import_id, line_number)
) STRICT;
CREATE INDEX import_present_rows_activity ON import_present_rows (activity_record_id);

ALTER TABLE prediction_batches ADD COLUMN other_target_rows INTEGER CHECK (other_target_rows >= 0);
ALTER TABLE prediction_batches ADD COLUMN only_model_target INTEGER NOT NULL DEFAULT 0
  CHECK (only_model_target IN (0, 1));
ALTER TABLE prediction_batches ADD COLUMN rmse_in_sample REAL;
ALTER TABLE prediction_batches ADD COLUMN rows_in_sample INTEGER NOT NULL DEFAULT 0 CHECK (rows_in_sample >= 0);
ALTER TABLE prediction_batches ADD COLUMN rmse_out_of_sample REAL;
ALTER TABLE prediction_batches ADD COLUMN rows_out_of_sample INTEGER NOT NULL DEFAULT 0
  CHECK (rows_out_of_sample >= 0);
ALTER TABLE predictions ADD COLUMN in_training_set INTEGER CHECK (in_training_set IN (0, 1));
`
