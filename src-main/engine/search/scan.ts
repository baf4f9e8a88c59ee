import Database from 'better-sqlite3'
import { WorkbenchError } from '../../contract'
import { MORGAN_BITS, MORGAN_RADIUS, type RDKit, loadRdkit } from '../../chem/rdkit'
import { tanimotoScorer } from './tanimoto'

/** One worker's share of the compounds table: ids from `fromId` up to (not including) `toId`. */
export interface ScanRange {
  dbPath: string
  fromId: number
  /** null: to the end of the table */
  toId: number | null
  /** only compounds with a measurement on this target */
  target?: string | undefined
}

/** Molecules done so far of the range's compounds in scope (sent every ~100 ms). */
export interface ScanProgress {
  done: number
  total: number
}

export interface ScanCounts {
  /** compounds in scope */
  total: number
  /** compounds compared with the query */
  scanned: number
  /** compounds with no fingerprint (similarity) or no SMILES (substructure) */
  noStructure: number
  /** stored SMILES RDKit could not read */
  unreadable: number
}

export type QuerySyntax = 'smiles' | 'smarts'

const MORGAN_DETAILS = JSON.stringify({ radius: MORGAN_RADIUS, nBits: MORGAN_BITS })
const PROGRESS_MS = 100

/** The query as RDKit reads it; a query it cannot read is an `invalid-input` error naming it. */
export async function prepareQuery(
  query: string,
  syntax: QuerySyntax,
  fingerprint: boolean,
): Promise<{ canonical: string; fp: Uint8Array | null }> {
  const rdkit = await loadRdkit()
  const mol = readQuery(rdkit, query, syntax)
  try {
    if (syntax === 'smiles' && mol.get_num_atoms() === 0)
      throw new WorkbenchError('invalid-input', `The query "${shorten(query)}" has no atoms.`)
    return {
      canonical: syntax === 'smarts' ? mol.get_smarts() : mol.get_smiles(),
      fp: fingerprint
        ? new Uint8Array(mol.get_morgan_fp_as_uint8array(MORGAN_DETAILS) as ArrayLike<number>)
        : null,
    }
  } finally {
    mol.delete()
  }
}

function readQuery(rdkit: RDKit, query: string, syntax: QuerySyntax) {
  const mol = syntax === 'smarts' ? rdkit.get_qmol(query) : rdkit.get_mol(query)
  if (mol && mol.is_valid()) return mol
  mol?.delete()
  throw new WorkbenchError(
    'invalid-input',
    syntax === 'smarts'
      ? `RDKit cannot read the SMARTS query "${shorten(query)}". Check it for typos (brackets, ring closures, atom symbols).`
      : `RDKit cannot read the SMILES "${shorten(query)}". Check it for typos (brackets, ring closures, atom symbols).`,
  )
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** The range's compounds in scope, id order; `column` is read for each. */
function openRange(range: ScanRange, column: 'morgan_fp' | 'smiles') {
  const db = new Database(range.dbPath, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  const clauses = ['c.id >= ?']
  const params: (string | number)[] = [range.fromId]
  if (range.toId !== null) {
    clauses.push('c.id < ?')
    params.push(range.toId)
  }
  if (range.target !== undefined) {
    clauses.push(
      `c.id IN (SELECT r.compound_id FROM activity_records r JOIN activity_contexts x ON x.id = r.context_id
                 WHERE x.target_chembl_id = ?)`,
    )
    params.push(range.target)
  }
  const where = clauses.join(' AND ')
  const total = (
    db.prepare(`SELECT count(*) AS n FROM compounds c WHERE ${where}`).get(...params) as {
      n: number
    }
  ).n
  const rows = db
    .prepare(`SELECT c.id, c.${column} FROM compounds c WHERE ${where} ORDER BY c.id`)
    .raw()
    .iterate(...params) as IterableIterator<[number, unknown]>
  return { db, total, rows }
}

function progressEvery(total: number, send: (p: ScanProgress) => void) {
  let last = performance.now()
  send({ done: 0, total })
  return (done: number) => {
    const now = performance.now()
    if (now - last >= PROGRESS_MS) {
      last = now
      send({ done, total })
    }
  }
}

/** Tanimoto of the query fingerprint to each stored one in the range; hits at or above threshold. */
export function scanSimilarity(
  input: ScanRange & { fp: Uint8Array; threshold: number },
  progress: (p: ScanProgress) => void,
): ScanCounts & { ids: Int32Array; similarities: Float64Array } {
  const { db, total, rows } = openRange(input, 'morgan_fp')
  try {
    const score = tanimotoScorer(input.fp)
    const ids: number[] = []
    const similarities: number[] = []
    let done = 0
    let noStructure = 0
    const tick = progressEvery(total, progress)
    for (const [id, blob] of rows) {
      done++
      if (!(blob instanceof Uint8Array) || blob.length !== input.fp.length) noStructure++
      else {
        const s = score(blob)
        if (s >= input.threshold) {
          ids.push(id)
          similarities.push(s)
        }
      }
      if ((done & 1023) === 0) tick(done)
    }
    progress({ done, total })
    return {
      total,
      scanned: done - noStructure,
      noStructure,
      unreadable: 0,
      ids: Int32Array.from(ids),
      similarities: Float64Array.from(similarities),
    }
  } finally {
    db.close()
  }
}

/** RDKit substructure match of the query against each stored SMILES in the range. */
export async function scanSubstructure(
  input: ScanRange & { query: string; syntax: QuerySyntax },
  progress: (p: ScanProgress) => void,
): Promise<ScanCounts & { ids: Int32Array }> {
  const rdkit = await loadRdkit()
  const query = readQuery(rdkit, input.query, input.syntax)
  const { db, total, rows } = openRange(input, 'smiles')
  try {
    const ids: number[] = []
    let done = 0
    let noStructure = 0
    let unreadable = 0
    const tick = progressEvery(total, progress)
    for (const [id, smiles] of rows) {
      done++
      if (typeof smiles !== 'string' || smiles.length === 0) noStructure++
      else {
        const mol = rdkit.get_mol(smiles)
        if (!mol || !mol.is_valid()) unreadable++
        // WebAssembly memory is not garbage collected: every molecule is freed here
        else if (mol.get_substruct_match(query) !== '{}') ids.push(id)
        mol?.delete()
      }
      if ((done & 63) === 0) tick(done)
    }
    progress({ done, total })
    return {
      total,
      scanned: done - noStructure - unreadable,
      noStructure,
      unreadable,
      ids: Int32Array.from(ids),
    }
  } finally {
    query.delete()
    db.close()
  }
}
