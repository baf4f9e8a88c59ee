/** How the import screens name fields, formats and separators. */
export const FIELD_LABELS: Record<string, string> = {
  molecule_chembl_id: 'Molecule ChEMBL ID',
  molecule_name: 'Molecule name',
  smiles: 'SMILES',
  mw_freebase: 'MW (mw_freebase)',
  alogp: 'AlogP',
  hba: 'HBA',
  hbd: 'HBD',
  standard_type: 'Standard type',
  standard_relation: 'Relation',
  standard_value: 'Standard value',
  standard_units: 'Standard units',
  pchembl_value: 'pChEMBL / pActivity',
  assay_chembl_id: 'Assay ChEMBL ID',
  target_chembl_id: 'Target ChEMBL ID',
  target_name: 'Target name',
  document_chembl_id: 'Document ChEMBL ID',
  document_year: 'Document year',
  activity_comment: 'Activity comment',
  data_validity_comment: 'Data validity comment',
  potential_duplicate: 'Potential duplicate',
  activity_id: 'ChEMBL activity ID',
}

export const FORMAT_LABELS: Record<string, string> = {
  'chembl-web': 'ChEMBL web export',
  'chembl-api': 'ChEMBL web-services dump',
  generic: 'Delimited table',
}

export const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' }
