/**
 * A compounds row as stored: the one type every reader of the table picks its columns from, so a
 * column's type is written once (migration 001 is its source).
 */
export interface CompoundDb {
  id: number
  molecule_key: string
  chembl_id: string | null
  name: string | null
  smiles: string | null
  mw_freebase: number | null
  alogp: number | null
  hba: number | null
  hbd: number | null
  /** per seed feature: 'file' or 'rdkit' */
  feature_sources_json: string
  /** the RDKit version that computed any 'rdkit' value and the descriptors */
  rdkit_version: string | null
  descriptors_json: string | null
  /** Morgan bits, 256 bytes */
  morgan_fp: Uint8Array | null
  /** migration 010: the standardised parent every RDKit feature describes */
  standardised_smiles: string | null
  /** what standardisation changed, a JSON list of StandardisationChange */
  standardisation_json: string | null
  /** the seed features RDKit computes for the parent, JSON {mw_freebase, alogp, hba, hbd} */
  rdkit_seed_json: string | null
  /** RDKit's 2D descriptors of the parent by descList name */
  descriptors_2d_json: string | null
  first_import_id: number | null
  created_at: string
  updated_at: string
}
