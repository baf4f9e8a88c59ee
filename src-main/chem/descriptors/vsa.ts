/**
 * The MOE-style VSA families of RDKit 2022.09: an atom's Labute ASA contribution summed in bins of an
 * atom property (or, for VSA_EState, the property summed in bins of the ASA). Bin edges from
 * rdkit/Chem/MolSurf.py, Code/GraphMol/Descriptors/MolSurf.cpp and rdkit/Chem/EState/EState_VSA.py.
 */
export const SLOGP_BINS = [-0.4, -0.2, 0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6]
export const SMR_BINS = [1.29, 1.82, 2.24, 2.45, 2.75, 3.05, 3.63, 3.8, 4.0]
export const PEOE_BINS = [-0.3, -0.25, -0.2, -0.15, -0.1, -0.05, 0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
export const ESTATE_BINS = [-0.39, 0.29, 0.717, 1.165, 1.54, 1.807, 2.05, 4.69, 9.17, 15.0]
export const VSA_BINS = [4.78, 5.0, 5.41, 5.74, 6.0, 6.07, 6.45, 7.0, 11.0]

/**
 * The bin of `value`: the number of edges not greater than it, found by binary search as C++'s
 * std::upper_bound and Python's bisect_right do (so a NaN lands in the last bin, as there).
 */
export function upperBound(edges: readonly number[], value: number): number {
  let lo = 0
  let hi = edges.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (value < (edges[mid] ?? 0)) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** Sums `amount[i]` into the bin of `binBy[i]`, atom by atom in index order. */
export function binnedSums(
  edges: readonly number[],
  binBy: readonly number[],
  amount: readonly number[],
): number[] {
  const out = new Array<number>(edges.length + 1).fill(0)
  for (let i = 0; i < binBy.length; i++) {
    const bin = upperBound(edges, binBy[i] ?? 0)
    out[bin] = (out[bin] ?? 0) + (amount[i] ?? 0)
  }
  return out
}
