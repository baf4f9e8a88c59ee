import type { Mol } from '@rdkit/rdkit'
import type { MolGraph } from '../mol-graph'
import type { RDKit } from '../rdkit'
import { requiredElements } from './smarts-elements'

interface Query {
  mol: Mol
  /** elements a match needs (see smarts-elements.ts) */
  needs: number[]
}

/**
 * SMARTS queries parsed once per RDKit module (one per thread) and kept for the thread's life:
 * parsing a query costs about as much as matching it, and the descriptor set matches ~200 of them
 * against every molecule.
 */
const queries = new WeakMap<RDKit, Map<string, Query>>()

function query(rdkit: RDKit, smarts: string): Query {
  let cache = queries.get(rdkit)
  if (!cache) {
    cache = new Map()
    queries.set(rdkit, cache)
  }
  let q = cache.get(smarts)
  if (!q) {
    const parsed = rdkit.get_qmol(smarts)
    if (!parsed?.is_valid()) throw new Error(`RDKit could not parse the SMARTS ${smarts}`)
    q = { mol: parsed, needs: requiredElements(smarts) }
    cache.set(smarts, q)
  }
  return q
}

/** One molecule to match patterns against, with the elements it contains. */
export interface Target {
  mol: Mol
  /** `elements[z]` is 1 when the molecule has an atom of atomic number z */
  elements: Uint8Array
}

export function target(mol: Mol, g: MolGraph): Target {
  const elements = new Uint8Array(256)
  for (const a of g.atoms) elements[a.z] = 1
  return { mol, elements }
}

function mayMatch(t: Target, q: Query): boolean {
  for (const z of q.needs) if (!t.elements[z]) return false
  return true
}

/**
 * The number of matches of a SMARTS, uniquified (matches over the same atoms count once) and
 * capped at 1,000, as Python RDKit's `len(mol.GetSubstructMatches(q))` counts them.
 */
export function countMatches(rdkit: RDKit, t: Target, smarts: string): number {
  const q = query(rdkit, smarts)
  if (!mayMatch(t, q)) return 0
  const json = t.mol.get_substruct_matches(q.mol)
  // The answer is `[{"atoms":[...],"bonds":[...]},...]`, or `{}` when nothing matches: counting
  // the objects is enough and cheaper than parsing them.
  let n = 0
  for (let i = json.indexOf('"atoms"'); i >= 0; i = json.indexOf('"atoms"', i + 7)) n++
  return n
}

/** Whether a SMARTS matches at all (`mol.HasSubstructMatch(q)`). */
export function hasMatch(rdkit: RDKit, t: Target, smarts: string): boolean {
  const q = query(rdkit, smarts)
  if (!mayMatch(t, q)) return false
  return t.mol.get_substruct_match(q.mol).includes('"atoms"')
}
