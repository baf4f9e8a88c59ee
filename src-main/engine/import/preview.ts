import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import type { ImportPreview } from '../../contract'
import {
  FIELDS,
  IDENTITY_FIELDS,
  detectFormat,
  detectMapping,
  duplicateColumns,
} from '../../chem/columns'
import { CsvParser } from '../../chem/csv-parser'
import { hasActivityColumns } from '../../chem/normalise-row'
import { type Delimiter, HEAD_BYTES, readHead } from './read-table'

export const PREVIEW_ROWS = 20

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, {
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>)
    hash.update(chunk)
  return hash.digest('hex')
}

/** What the Import screen shows before importing (runs in a worker: it hashes the whole file). */
export async function previewFile(
  path: string,
  name: string,
  delimiter?: Delimiter,
): Promise<Omit<ImportPreview, 'previousImports'>> {
  const head = await readHead(path, delimiter)
  const parser = new CsvParser(head.delimiter)
  const records = parser.push(head.sample)
  // A file read whole ends with its last row even without a final line break; the preview of a
  // two-row file showed one.
  if (head.size <= HEAD_BYTES) parser.end(records)
  const rows = records.slice(1, PREVIEW_ROWS + 1).map((r) => r.fields)
  const mapping = detectMapping(head.header)
  const named: Record<string, string | null> = {}
  for (const f of FIELDS)
    named[f] = mapping[f] === undefined ? null : (head.header[mapping[f] as number] ?? null)
  return {
    file: { name, size: head.size },
    encoding: head.encoding.encoding,
    delimiter: head.delimiter,
    format: detectFormat(head.header, head.delimiter),
    header: head.header,
    rows,
    mapping: named,
    fields: [...FIELDS],
    problems: mappingProblems(head.header, mapping),
    duplicateColumns: duplicateColumns(head.header),
    sha256: await sha256OfFile(path),
  }
}

/** Why a mapping cannot import: no way to tell molecules apart. Lists what was found and what is needed. */
export function mappingProblems(
  header: string[],
  mapping: ReturnType<typeof detectMapping>,
): string[] {
  const problems: string[] = []
  if (IDENTITY_FIELDS.every((f) => mapping[f] === undefined)) {
    problems.push(
      `No column identifies the molecules: the file needs a molecule ChEMBL ID column (e.g. "Molecule ChEMBL ID", "molecule_chembl_id") or a SMILES column (e.g. "Smiles", "canonical_smiles"). Columns found: ${header.slice(0, 60).join(', ')}${header.length > 60 ? ', …' : ''}.`,
    )
  }
  if (
    !hasActivityColumns(mapping) &&
    mapping.mw_freebase === undefined &&
    mapping.smiles === undefined
  ) {
    problems.push(
      'The file has no activity values (standard_value, pChEMBL, pIC50) and no molecular properties or SMILES: there is nothing to import.',
    )
  }
  return problems
}
