/** Set bits in each byte value: a fingerprint's bit count is 256 table lookups, not 2048 tests. */
export const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0
  for (let x = b; x > 0; x >>= 1) n += x & 1
  return n
})

/** Set bits in a packed fingerprint. */
export function popcount(fp: Uint8Array): number {
  let n = 0
  for (let i = 0; i < fp.length; i++) n += POPCOUNT[fp[i] as number] as number
  return n
}

/**
 * Tanimoto similarity |A and B| / |A or B| of two packed fingerprints of the same length;
 * `queryBits` is popcount(query), counted once per search. Two empty fingerprints are identical
 * (1), as RDKit's TanimotoSimilarity has it.
 */
export function tanimoto(query: Uint8Array, queryBits: number, fp: Uint8Array): number {
  let common = 0
  let bits = 0
  for (let i = 0; i < query.length; i++) {
    const b = fp[i] as number
    bits += POPCOUNT[b] as number
    common += POPCOUNT[b & (query[i] as number)] as number
  }
  const union = queryBits + bits - common
  return union === 0 ? 1 : common / union
}
