import type { Mol } from '@rdkit/rdkit'
import type { RDKit } from '../rdkit'

/**
 * SMARTS queries parsed once per RDKit module (one per thread) and kept for the thread's life:
 * parsing a query costs about as much as matching it, and the descriptor set matches ~200 of them
 * against every molecule.
 */
const queries = new WeakMap<RDKit, Map<string, Mol>>()

export function query(rdkit: RDKit, smarts: string): Mol {
  let cache = queries.get(rdkit)
  if (!cache) {
    cache = new Map()
    queries.set(rdkit, cache)
  }
  let q = cache.get(smarts)
  if (!q) {
    const parsed = rdkit.get_qmol(smarts)
    if (!parsed?.is_valid()) throw new Error(`RDKit could not parse the SMARTS ${smarts}`)
    q = parsed
    cache.set(smarts, q)
  }
  return q
}

/**
 * The number of matches of a SMARTS, uniquified (matches over the same atoms count once) and
 * capped at 1,000, as Python RDKit's `len(mol.GetSubstructMatches(q))` counts them.
 */
export function countMatches(rdkit: RDKit, mol: Mol, smarts: string): number {
  const json = mol.get_substruct_matches(query(rdkit, smarts))
  // The answer is `[{"atoms":[...],"bonds":[...]},...]`, or `{}` when nothing matches: counting
  // the objects is enough and cheaper than parsing them.
  let n = 0
  for (let i = json.indexOf('"atoms"'); i >= 0; i = json.indexOf('"atoms"', i + 7)) n++
  return n
}

/** Whether a SMARTS matches at all (`mol.HasSubstructMatch(q)`). */
export function hasMatch(rdkit: RDKit, mol: Mol, smarts: string): boolean {
  return mol.get_substruct_match(query(rdkit, smarts)).includes('"atoms"')
}
