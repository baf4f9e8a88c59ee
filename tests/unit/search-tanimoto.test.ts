import { describe, expect, it } from 'vitest'
import { popcount, tanimoto, tanimotoScorer } from '../../src-main/engine/search/tanimoto'
import { prng } from '../helpers'

/** Bits counted one by one from their binary text: independent of the tables and word tricks. */
function bitsOf(fp: Uint8Array): number[] {
  return [...fp].flatMap((b, i) =>
    [...b.toString(2).padStart(8, '0')].flatMap((c, k) => (c === '1' ? [i * 8 + k] : [])),
  )
}
function referenceTanimoto(a: Uint8Array, b: Uint8Array): number {
  const A = new Set(bitsOf(a))
  const B = new Set(bitsOf(b))
  const common = [...A].filter((x) => B.has(x)).length
  const union = A.size + B.size - common
  return union === 0 ? 1 : common / union
}

describe('Tanimoto on packed fingerprints', () => {
  it('matches a hand count', () => {
    const q = new Uint8Array(256)
    const f = new Uint8Array(256)
    q[0] = 0b1111 // bits 0-3
    f[0] = 0b0011 // bits 0-1
    f[255] = 0b1 // one bit only f has
    // |q and f| = 2, |q or f| = 4 + 3 - 2 = 5
    expect(popcount(q)).toBe(4)
    expect(tanimoto(q, 4, f)).toBe(2 / 5)
    expect(tanimotoScorer(q)(f)).toBe(2 / 5)
    expect(tanimotoScorer(q)(q)).toBe(1)
    expect(tanimotoScorer(q)(new Uint8Array(256))).toBe(0)
    // two empty fingerprints are identical, as RDKit's TanimotoSimilarity says
    expect(tanimotoScorer(new Uint8Array(256))(new Uint8Array(256))).toBe(1)
  })

  it('word-at-a-time and byte-at-a-time agree with a bit-by-bit count, at any offset', () => {
    const rnd = prng(13)
    const randomFp = (density: number) =>
      Uint8Array.from({ length: 256 }, () => {
        let b = 0
        for (let k = 0; k < 8; k++) if (rnd() < density) b |= 1 << k
        return b
      })
    for (let i = 0; i < 200; i++) {
      const q = randomFp(0.03 + rnd() * 0.3)
      const f = randomFp(0.03 + rnd() * 0.3)
      // SQLite hands blobs over at any byte offset: the scorer must not read them as words in place
      const host = new Uint8Array(259)
      host.set(f, 1 + (i % 3))
      const unaligned = host.subarray(1 + (i % 3), 257 + (i % 3))
      const expected = referenceTanimoto(q, f)
      expect(tanimoto(q, popcount(q), f)).toBe(expected)
      expect(tanimotoScorer(q)(unaligned)).toBe(expected)
    }
  })
})
