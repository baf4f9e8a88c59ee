// Migration 005: what a compound's page and a single prediction look up. A compound's predictions
// are found by compound id, and a typed SMILES is matched to a stored compound by its SMILES; both
// scanned whole tables (a hundred thousand stored predictions, every compound) on each lookup.
export default /* sql */ `
CREATE INDEX predictions_compound ON predictions (compound_id) WHERE compound_id IS NOT NULL;
CREATE INDEX compounds_smiles ON compounds (smiles);
`
