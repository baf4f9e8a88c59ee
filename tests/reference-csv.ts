import { readFileSync } from 'node:fs'

/**
 * An independent, deliberately simple CSV reader for checking the importer against the data
 * files' own facts: the whole file at once, a character at a time, RFC 4180 quoting.
 */
export function readTable(
  path: string,
  delimiter: string,
): { header: string[]; rows: Record<string, string>[] } {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '')
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === delimiter) {
      record.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      record.push(field)
      records.push(record)
      record = []
      field = ''
    } else field += ch
  }
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  const [header = [], ...body] = records
  return {
    header,
    rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))),
  }
}

export const SHARED_DATA = new URL('../../shared/data/', import.meta.url).pathname
export const AROMATASE = `${SHARED_DATA}chembl_aromatase_CHEMBL1978_export.csv`
export const ACHE = `${SHARED_DATA}chembl_ache_CHEMBL220_api_dump.csv`

/**
 * The aromatase export's rows a model of IC50 trains on by default, from the file's own columns:
 * IC50 in nM with relation '=' and 0 < value <= 10^10 nM (10 M; beyond is not a measurement),
 * without a data validity comment other than 'Manually validated', not a potential duplicate.
 * `plausible` is the same without the last two conditions (what a user gets by including the
 * values ChEMBL's curators doubt).
 */
export function aromataseIc50(rows: Record<string, string>[]) {
  const plausible = rows.filter(
    (r) =>
      r['Standard Type'] === 'IC50' &&
      r['Standard Units'] === 'nM' &&
      r['Standard Relation'] === "'='" &&
      Number(r['Standard Value']) > 0 &&
      Number(r['Standard Value']) <= 1e10,
  )
  const undoubted = plausible.filter(
    (r) =>
      ['', 'Manually validated'].includes(r['Data Validity Comment'] ?? '') &&
      r['Potential Duplicate'] !== '1',
  )
  const molecules = (list: Record<string, string>[]) =>
    new Set(list.map((r) => r['Molecule ChEMBL ID'])).size
  return {
    plausible,
    undoubted,
    plausibleMolecules: molecules(plausible),
    undoubtedMolecules: molecules(undoubted),
  }
}
