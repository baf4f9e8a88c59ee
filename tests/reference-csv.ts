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
