/**
 * A small seeded PRNG (mulberry32). Every random choice a learner makes (bagging, row and column
 * sampling, fold assignment) comes from one of these, so the same seed gives the same model bytes.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number
  /** uniform integer in [0, n) */
  int(n: number): number
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0 || 0x9e3779b9
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, int: (n) => Math.floor(next() * n) }
}

/** A seeded Fisher-Yates shuffle of 0..n-1. */
export function shuffledIndices(n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const t = out[i] as number
    out[i] = out[j] as number
    out[j] = t
  }
  return out
}

/**
 * k distinct indices from 0..n-1, in increasing order (so summation order never depends on luck).
 * Selection sampling (Knuth's algorithm S): one pass, no sort, which matters at a million rows
 * per tree.
 */
export function sampleWithoutReplacement(n: number, k: number, rng: Rng): Int32Array {
  const out = new Int32Array(Math.min(n, Math.max(0, k)))
  if (k >= n) {
    for (let i = 0; i < n; i++) out[i] = i
    return out
  }
  let chosen = 0
  for (let i = 0; i < n && chosen < k; i++) {
    if ((n - i) * rng.next() < k - chosen) out[chosen++] = i
  }
  return out
}
