// Migration 003: what an activity was measured as, in which assay, on which target, reported by
// which document, is stored once per distinct combination instead of on every row. A ChEMBL export
// repeats the same few hundred combinations over its rows; a million-row import wrote the same six
// texts a million times (183 MB for the aromatase file repeated, most of it these texts), and
// grouping by target or type scanned them all. `activities` stays what every reader queries: a view
// with the same columns as the table it replaces.
export default /* sql */ `
CREATE TABLE activity_contexts (
  id                 INTEGER PRIMARY KEY,
  standard_type      TEXT,
  standard_units     TEXT,
  assay_chembl_id    TEXT,
  target_chembl_id   TEXT,
  target_name        TEXT,
  document_chembl_id TEXT,
  document_year      INTEGER
) STRICT;
-- finds a combination (NULLs compared with IS) and a target's contexts by type
CREATE INDEX activity_contexts_target ON activity_contexts
  (target_chembl_id, standard_type, standard_units, assay_chembl_id, document_chembl_id, target_name, document_year);

-- One row per measurement, linked to the import it came from and to its context.
CREATE TABLE activity_records (
  id               INTEGER PRIMARY KEY,
  import_id        INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  compound_id      INTEGER NOT NULL REFERENCES compounds (id) ON DELETE CASCADE,
  context_id       INTEGER NOT NULL REFERENCES activity_contexts (id),
  -- the source row as written is line line_number of the import's stored file
  line_number      INTEGER NOT NULL CHECK (line_number >= 2),
  relation         TEXT CHECK (relation IN ('=', '<', '>', '<=', '>=', '~', '<<', '>>')),
  standard_value   REAL,
  value_nm         REAL CHECK (value_nm IS NULL OR value_nm > 0),
  p_activity       REAL,
  pchembl_value    REAL,
  -- 0 when the row is kept but cannot train a model, with the reason (censored, unit, ...)
  usable           INTEGER NOT NULL CHECK (usable IN (0, 1)),
  unusable_reason  TEXT
) STRICT;

INSERT INTO activity_contexts (standard_type, standard_units, assay_chembl_id, target_chembl_id, target_name,
                               document_chembl_id, document_year)
  SELECT DISTINCT standard_type, standard_units, assay_chembl_id, target_chembl_id, target_name,
                  document_chembl_id, document_year
    FROM activities;
INSERT INTO activity_records (id, import_id, compound_id, context_id, line_number, relation, standard_value,
                              value_nm, p_activity, pchembl_value, usable, unusable_reason)
  SELECT a.id, a.import_id, a.compound_id, x.id, a.line_number, a.relation, a.standard_value, a.value_nm,
         a.p_activity, a.pchembl_value, a.usable, a.unusable_reason
    FROM activities a
    JOIN activity_contexts x
      ON x.target_chembl_id IS a.target_chembl_id AND x.standard_type IS a.standard_type
     AND x.standard_units IS a.standard_units AND x.assay_chembl_id IS a.assay_chembl_id
     AND x.document_chembl_id IS a.document_chembl_id AND x.target_name IS a.target_name
     AND x.document_year IS a.document_year;
DROP TABLE activities;

CREATE INDEX activity_records_compound ON activity_records (compound_id);
CREATE INDEX activity_records_context ON activity_records (context_id, usable);

-- CROSS JOIN keeps the records the outer loop: a filter on a context column then reads them in
-- their own order and looks each context up by its key, instead of gathering a popular target's
-- rows context by context from all over the table (a page of one target's IC50s among a million
-- activities: 0.04 s instead of 1.3 s; a whole-table scan for a rare type costs 0.1-0.2 s).
CREATE VIEW activities AS
  SELECT r.id, r.import_id, r.compound_id, r.line_number, x.standard_type, r.relation, r.standard_value,
         x.standard_units, r.value_nm, r.p_activity, r.pchembl_value, r.usable, r.unusable_reason,
         x.assay_chembl_id, x.target_chembl_id, x.target_name, x.document_chembl_id, x.document_year,
         r.context_id
    FROM activity_records r CROSS JOIN activity_contexts x ON x.id = r.context_id;
`
