import type { MolGraph } from '../mol-graph'
import { N_OUTER_ELECS } from './element-data'

/** The principal quantum number of an element's outer shell (RDKit EState.py). */
function principalQuantumNumber(z: number): number {
  if (z <= 2) return 1
  if (z <= 10) return 2
  if (z <= 18) return 3
  if (z <= 36) return 4
  if (z <= 54) return 5
  if (z <= 86) return 6
  return 7
}

/** Topological distances (bonds on the shortest path) from one atom; -1 where not connected. */
export function topologicalDistances(g: MolGraph, from: number): Int32Array {
  const dist = new Int32Array(g.atoms.length).fill(-1)
  dist[from] = 0
  const queue = [from]
  for (let head = 0; head < queue.length; head++) {
    const a = queue[head] ?? 0
    const d = dist[a] ?? 0
    for (const nb of g.neighbours[a] ?? []) {
      if (dist[nb] === -1) {
        dist[nb] = d + 1
        queue.push(nb)
      }
    }
  }
  return dist
}

/**
 * Kier-Hall electrotopological state of every atom, as RDKit 2022.09's EState.EStateIndices
 * (rdkit/Chem/EState/EState.py; Hall, Mohney and Kier, JCICS 31, 76-81 (1991)): the intrinsic state
 * I = (4/N² · δv + 1) / δ, perturbed by (I_i - I_j) / (d_ij + 1)² over every connected pair, with
 * δv = outer electrons - hydrogens (the charge plays no part, as in RDKit).
 */
export function estateIndices(g: MolGraph): number[] {
  const n = g.atoms.length
  const is = g.atoms.map((a, i) => {
    const d = g.neighbours[i]?.length ?? 0
    if (d === 0) return 0
    const dv = (N_OUTER_ELECS[a.z] ?? 0) - a.hs
    const nq = principalQuantumNumber(a.z)
    return ((4 / (nq * nq)) * dv + 1) / d
  })
  const accum = new Array<number>(n).fill(0)
  for (let i = 0; i < n; i++) {
    const dist = topologicalDistances(g, i)
    const ii = is[i] ?? 0
    for (let j = i + 1; j < n; j++) {
      const dij = dist[j] ?? -1
      if (dij < 0) continue
      const p = dij + 1
      const tmp = (ii - (is[j] ?? 0)) / (p * p)
      accum[i] = (accum[i] ?? 0) + tmp
      accum[j] = (accum[j] ?? 0) - tmp
    }
  }
  return accum.map((x, i) => x + (is[i] ?? 0))
}
