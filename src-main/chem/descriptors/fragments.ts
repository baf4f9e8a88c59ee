import type { RDKit } from '../rdkit'
import { FRAGMENT_SMARTS } from './fragment-smarts'
import { type Target, countMatches } from './smarts'

export type FragmentName = (typeof FRAGMENT_SMARTS)[number][0]

/**
 * RDKit's fragment counts (`fr_*`): the number of unique matches of each SMARTS of
 * FragmentDescriptors.csv, as rdkit/Chem/Fragments.py's `_CountMatches` counts them.
 */
export function fragmentCounts(rdkit: RDKit, t: Target): Record<FragmentName, number> {
  const out = {} as Record<FragmentName, number>
  for (const [name, smarts] of FRAGMENT_SMARTS) out[name] = countMatches(rdkit, t, smarts)
  return out
}
