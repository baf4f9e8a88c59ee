/** Set bits in each byte value, so a 2048-bit fingerprint is counted in 256 lookups. */
const POPCOUNT = Uint8Array.from({ length: 256 }, (_, v) => {
  let n = 0
  for (let b = v; b > 0; b >>= 1) n += b & 1
  return n
})

/** Set bits of a packed fingerprint. */
export function bitCount(fp: Uint8Array): number {
  let n = 0
  for (const byte of fp) n += POPCOUNT[byte] as number
  return n
}

/**
 * Tanimoto similarity |A∩B| / |A∪B| of two packed bit fingerprints of the same length, as RDKit's
 * DataStructs.TanimotoSimilarity computes it (two empty fingerprints are identical: 1, as RDKit answers).
 * Fingerprints of different lengths come from different definitions and cannot be compared.
 */
export function tanimoto(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length)
    throw new RangeError(`fingerprints differ in length (${a.length} and ${b.length} bytes)`)
  let both = 0
  let either = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    both += POPCOUNT[x & y] as number
    either += POPCOUNT[x | y] as number
  }
  return either === 0 ? 1 : both / either
}
