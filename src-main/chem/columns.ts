/**
 * The fields the importer understands, and the column names (ChEMBL's and other common ones)
 * that map to them. Names are compared case- and punctuation-insensitively: "Molecule ChEMBL ID",
 * "molecule_chembl_id" and "MOLECULE-CHEMBL-ID" are the same column.
 */
export const FIELDS = [
  'molecule_chembl_id',
  'molecule_name',
  'smiles',
  'mw_freebase',
  'alogp',
  'hba',
  'hbd',
  'standard_type',
  'standard_relation',
  'standard_value',
  'standard_units',
  'pchembl_value',
  'assay_chembl_id',
  'target_chembl_id',
  'target_name',
  'document_chembl_id',
  'document_year',
  'activity_comment',
  'data_validity_comment',
  'potential_duplicate',
  'activity_id',
] as const

export type Field = (typeof FIELDS)[number]

/** Synonyms in priority order: the first one present in a file wins. */
export const SYNONYMS: Record<Field, string[]> = {
  molecule_chembl_id: [
    'moleculechemblid',
    'cmpdchemblid',
    'compoundchemblid',
    'chemblid',
    'moleculeid',
  ],
  molecule_name: ['moleculename', 'moleculeprefname', 'prefname', 'compoundname', 'name'],
  smiles: ['smiles', 'canonicalsmiles', 'cmpdsmiles', 'compoundsmiles', 'structure'],
  mw_freebase: ['mwfreebase', 'molecularweight', 'mw', 'molwt', 'molweight', 'fullmwt'],
  alogp: ['alogp', 'logp', 'crippenclogp', 'crippenlogp', 'mollogp'],
  hba: ['hba', 'numhacceptors', 'numhba', 'hbacceptors', 'hbondacceptors'],
  hbd: ['hbd', 'numhdonors', 'numhbd', 'hbdonors', 'hbonddonors'],
  standard_type: ['standardtype', 'activitytype', 'type'],
  standard_relation: ['standardrelation', 'relation'],
  standard_value: ['standardvalue', 'activityvalue', 'value'],
  standard_units: ['standardunits', 'units', 'unit'],
  pchembl_value: ['pchemblvalue', 'pchembl', 'pactivity', 'pic50', 'pki', 'pec50'],
  assay_chembl_id: ['assaychemblid'],
  target_chembl_id: ['targetchemblid'],
  target_name: ['targetname', 'targetprefname'],
  document_chembl_id: ['documentchemblid'],
  document_year: ['documentyear', 'year'],
  // the web export calls ChEMBL's activity_comment just "Comment"
  activity_comment: ['activitycomment', 'comment'],
  data_validity_comment: ['datavaliditycomment', 'validitycomment'],
  potential_duplicate: ['potentialduplicate'],
  // ChEMBL's own id of the measurement: web-services dumps have it, the web export does not
  activity_id: ['activityid', 'chemblactivityid'],
}

/** Fields that give a molecule its identity; a file needs at least one of them. */
export const IDENTITY_FIELDS: Field[] = ['molecule_chembl_id', 'smiles']

export const FORMATS = ['chembl-web', 'chembl-api', 'generic'] as const
export type ImportFormat = (typeof FORMATS)[number]

/** Column index for each mapped field. */
export type Mapping = Partial<Record<Field, number>>

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '')
}

export function isField(name: string): name is Field {
  return (FIELDS as readonly string[]).includes(name)
}

/** Maps the header's columns to fields by synonym; each column and each field is used once. */
export function detectMapping(header: string[]): Mapping {
  const normalised = header.map(normaliseName)
  const mapping: Mapping = {}
  const used = new Set<number>()
  for (const field of FIELDS) {
    for (const synonym of SYNONYMS[field]) {
      const index = normalised.findIndex((n, i) => n === synonym && !used.has(i))
      if (index >= 0) {
        mapping[field] = index
        used.add(index)
        break
      }
    }
  }
  return mapping
}

/** The format, from the header: ChEMBL's web export spells columns with spaces, the web services in snake_case. */
export function detectFormat(header: string[], delimiter: string): ImportFormat {
  if (
    delimiter === ';' &&
    header.includes('Molecule ChEMBL ID') &&
    header.includes('Standard Type')
  )
    return 'chembl-web'
  if (
    header.includes('molecule_chembl_id') &&
    (header.includes('standard_type') || header.includes('mw_freebase'))
  ) {
    return 'chembl-api'
  }
  return 'generic'
}

/**
 * Applies the user's overrides (column name to field, or to nothing with an empty field) on top
 * of the detected mapping. Returns the problems instead of throwing, so callers can report them all.
 */
export function applyOverrides(
  header: string[],
  mapping: Mapping,
  overrides: Record<string, string>,
): { mapping: Mapping; problems: string[] } {
  const result: Mapping = { ...mapping }
  const problems: string[] = []
  for (const [column, field] of Object.entries(overrides)) {
    const index = header.indexOf(column)
    const byName =
      index >= 0 ? index : header.findIndex((h) => normaliseName(h) === normaliseName(column))
    if (byName < 0) {
      problems.push(`The file has no column "${column}".`)
      continue
    }
    for (const f of FIELDS) if (result[f] === byName) result[f] = undefined
    if (field === '') continue
    if (!isField(field)) {
      problems.push(`"${field}" is not a field the importer knows (known: ${FIELDS.join(', ')}).`)
      continue
    }
    result[field] = byName
  }
  return { mapping: result, problems }
}

/** Header names that appear more than once (after trimming). */
export function duplicateColumns(header: string[]): string[] {
  const seen = new Set<string>()
  const dups = new Set<string>()
  for (const h of header) {
    const t = h.trim()
    if (seen.has(t)) dups.add(t)
    seen.add(t)
  }
  return [...dups]
}
