import type { Mol } from '@rdkit/rdkit'
import type { RDKit } from '../rdkit'
import { molGraph, type MolGraph } from '../mol-graph'
import { bcut2d } from './bcut'
import { crippenAtomContribs } from './crippen'
import { estateIndices } from './estate'
import { chargeExtremes, gasteigerCharges } from './gasteiger'
import { labuteAtomContribs } from './labute'
import { ESTATE_BINS, PEOE_BINS, SLOGP_BINS, SMR_BINS, VSA_BINS, binnedSums } from './vsa'

/**
 * The descriptors of descList that rest on per-atom Gasteiger charges, Crippen contributions,
 * Labute ASA contributions and EState indices, by descList name: charge extremes, EState extremes,
 * PEOE_VSA, SlogP_VSA, SMR_VSA, EState_VSA, VSA_EState and BCUT2D (73 values).
 */
export function graphFamilyDescriptors(
  rdkit: RDKit,
  mol: Mol,
  graph: MolGraph = molGraph(mol),
): Record<string, number> {
  const out: Record<string, number> = {}
  const labute = labuteAtomContribs(graph)
  const vsa = labute.atoms

  const estate = estateIndices(graph)
  if (estate.length > 0) {
    out.MaxEStateIndex = Math.max(...estate)
    out.MinEStateIndex = Math.min(...estate)
    out.MaxAbsEStateIndex = Math.max(...estate.map(Math.abs))
    out.MinAbsEStateIndex = Math.min(...estate.map(Math.abs))
  }

  const gasteiger = gasteigerCharges(graph)
  Object.assign(out, chargeExtremes(gasteiger.charges))

  const crippen = crippenAtomContribs(rdkit, mol, graph)

  const families: [string, readonly number[], readonly number[], readonly number[]][] = [
    ['PEOE_VSA', PEOE_BINS, gasteiger.charges, vsa],
    ['SMR_VSA', SMR_BINS, crippen.mr, vsa],
    ['SlogP_VSA', SLOGP_BINS, crippen.logp, vsa],
    ['EState_VSA', ESTATE_BINS, estate, vsa],
    ['VSA_EState', VSA_BINS, vsa, estate],
  ]
  for (const [prefix, edges, binBy, amount] of families) {
    binnedSums(edges, binBy, amount).forEach((v, i) => {
      out[`${prefix}${i + 1}`] = v
    })
  }

  Object.assign(
    out,
    bcut2d(graph, gasteiger.allParametrised ? gasteiger.charges : null, crippen.logp, crippen.mr),
  )
  return out
}
