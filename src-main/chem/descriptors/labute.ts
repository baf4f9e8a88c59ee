import type { MolGraph } from '../mol-graph'
import { RB0 } from './element-data'

/** Labute ASA split over the heavy atoms, and the one term RDKit keeps for all hydrogens. */
export interface LabuteContribs {
  atoms: number[]
  hydrogens: number
}

/** Bond shortening by bond type: aromatic, single, double, triple (RDKit MolSurf.cpp). */
const BOND_SCALE = [0.1, 0, 0.2, 0.3]

/**
 * Labute's approximate surface area per atom, as RDKit 2022.09 computes it
 * (Code/GraphMol/Descriptors/MolSurf.cpp, getLabuteAtomContribs with includeHs): every atom's sphere
 * (radius rb0) is reduced by each bonded neighbour's, and by one hydrogen per atom whatever its
 * hydrogen count (RDKit's own rule, kept here so the VSA families agree with it).
 */
export function labuteAtomContribs(g: MolGraph): LabuteContribs {
  const n = g.atoms.length
  const rads = g.atoms.map((a) => RB0[a.z] ?? 0)
  const vi = new Array<number>(n).fill(0)
  for (const b of g.bonds) {
    const ri = rads[b.a] ?? 0
    const rj = rads[b.b] ?? 0
    let bij = ri + rj
    if (b.aromatic) bij -= BOND_SCALE[0] ?? 0
    else if (b.kekule >= 1 && b.kekule <= 3) bij -= BOND_SCALE[b.kekule] ?? 0
    const dij = Math.min(Math.max(Math.abs(ri - rj), bij), ri + rj)
    vi[b.a] = (vi[b.a] ?? 0) + rj * rj - ((ri - dij) * (ri - dij)) / dij
    vi[b.b] = (vi[b.b] ?? 0) + ri * ri - ((rj - dij) * (rj - dij)) / dij
  }
  const rh = RB0[1] ?? 0
  let hContrib = 0
  for (let i = 0; i < n; i++) {
    const ri = rads[i] ?? 0
    const bij = ri + rh
    const dij = Math.min(Math.max(Math.abs(ri - rh), bij), ri + rh)
    vi[i] = (vi[i] ?? 0) + rh * rh - ((ri - dij) * (ri - dij)) / dij
    hContrib += ri * ri - ((rh - dij) * (rh - dij)) / dij
  }
  for (let i = 0; i < n; i++) {
    const ri = rads[i] ?? 0
    vi[i] = Math.PI * ri * (4 * ri - (vi[i] ?? 0))
  }
  const hydrogens = Math.abs(hContrib) > 1e-4 ? Math.PI * rh * (4 * rh - hContrib) : hContrib
  return { atoms: vi, hydrogens }
}
