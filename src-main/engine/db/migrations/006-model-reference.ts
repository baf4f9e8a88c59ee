// Migration 006: the rows a model learned from, kept with the model as the reference of its drift
// checks. A drift check must give the numbers scipy gives on the same two samples, which a summary
// (quantiles, a 1,000-value sample) cannot: the training rows' own feature values are kept. Models
// registered before this migration have no row here; their reference is rebuilt from their stored
// training-set definition when the database still gives the same training set (same hash).
export default /* sql */ `
CREATE TABLE model_reference (
  model_version_id  INTEGER PRIMARY KEY REFERENCES model_versions (id) ON DELETE CASCADE,
  row_count         INTEGER NOT NULL CHECK (row_count >= 0),
  -- the non-fingerprint features, in the order of the columns in 'features'
  feature_names_json TEXT NOT NULL,
  -- one int32 (little-endian) per training row: the compound it is
  compound_ids      BLOB NOT NULL CHECK (length(compound_ids) = 4 * row_count),
  -- float32 (little-endian), column after column, row_count values each, NaN where missing:
  -- exactly the values the model was fitted on
  features          BLOB NOT NULL,
  -- Morgan bits of each row (256 bytes a row) for models that use them, else NULL
  fingerprints      BLOB CHECK (fingerprints IS NULL OR length(fingerprints) = 256 * row_count),
  -- float64: each row's label (median pActivity) and its out-of-fold prediction
  labels            BLOB NOT NULL CHECK (length(labels) = 8 * row_count),
  oof               BLOB NOT NULL CHECK (length(oof) = 8 * row_count),
  -- per feature: distinct values and missing values among the rows
  distinct_json     TEXT NOT NULL,
  -- 'training': written when the model was trained; 'rebuilt': rebuilt later from its definition
  source            TEXT NOT NULL CHECK (source IN ('training', 'rebuilt')),
  created_at        TEXT NOT NULL
) STRICT;
`
