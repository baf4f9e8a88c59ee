// Migration 010: standardised structures and RDKit's full 2D descriptor set per compound.
// Features are computed on the standardised parent (largest organic fragment, charges
// neutralised: src-main/chem/standardise.ts), the same way for training and every prediction.
// Each compound keeps its SMILES as given beside the parent, what standardisation changed, the
// seed features RDKit computes for the parent, and the parent's 2D descriptors by
// Descriptors.descList name. Nothing stored before is changed: compounds imported earlier get the
// new columns filled by a recomputation the engine runs on first open (compounds/standardise-job).
//
// "physchem" now names the full 2D set; models trained on MinimalLib's 43 descriptors keep
// working under their new name "physchem-43" (their ONNX files and feature names are unchanged).
export default /* sql */ `
ALTER TABLE compounds ADD COLUMN standardised_smiles TEXT;
-- what standardisation changed: [{"rule":"fragment-removed","text":"salt or solvent removed: [Na+]"}, ...]
ALTER TABLE compounds ADD COLUMN standardisation_json TEXT
  CHECK (standardisation_json IS NULL OR json_valid(standardisation_json));
-- mw_freebase, alogp, hba, hbd as RDKit computes them for the standardised parent
ALTER TABLE compounds ADD COLUMN rdkit_seed_json TEXT
  CHECK (rdkit_seed_json IS NULL OR json_valid(rdkit_seed_json));
-- RDKit's 2D descriptors of the parent by descList name (those this build computes)
ALTER TABLE compounds ADD COLUMN descriptors_2d_json TEXT
  CHECK (descriptors_2d_json IS NULL OR json_valid(descriptors_2d_json));
-- compounds with a structure still to standardise (the recomputation after this migration)
CREATE INDEX compounds_unstandardised ON compounds (id)
  WHERE smiles IS NOT NULL AND standardised_smiles IS NULL;

UPDATE model_versions SET feature_set = 'physchem-43' WHERE feature_set = 'physchem';
UPDATE model_versions SET feature_set = 'physchem-43+morgan'
 WHERE feature_set = 'physchem+morgan';
UPDATE model_versions
   SET training_set_json = json_set(training_set_json, '$.featureSet', feature_set)
 WHERE feature_set IN ('physchem-43', 'physchem-43+morgan') AND json_valid(training_set_json);
UPDATE training_runs SET feature_set = 'physchem-43' WHERE feature_set = 'physchem';
UPDATE training_runs SET feature_set = 'physchem-43+morgan' WHERE feature_set = 'physchem+morgan';
`
