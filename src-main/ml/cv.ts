import { createRng, shuffledIndices } from './rng'

/** Fold of each row for seeded k-fold cross-validation: a shuffle dealt round-robin into k folds. */
export function kFolds(n: number, k: number, seed: number): Int32Array {
  const order = shuffledIndices(n, createRng(seed ^ 0x2545f491))
  const fold = new Int32Array(n)
  for (let i = 0; i < n; i++) fold[order[i]!] = i % k
  return fold
}

/**
 * A time split: rows from the newest years (about `testFraction` of the rows with a year) are the
 * test set (fold 1), older rows train (fold 0). Rows without a year train. Returns null when the
 * years do not allow a split with both sides non-empty.
 */
export function timeSplit(years: ArrayLike<number>, testFraction = 0.2): Int32Array | null {
  const known = Array.from(years).filter((y) => Number.isFinite(y) && y > 0)
  if (known.length < 10) return null
  const sorted = known.sort((a, b) => a - b)
  const cut = sorted[Math.floor(sorted.length * (1 - testFraction))]!
  const fold = Int32Array.from(years, (y) => (Number.isFinite(y) && y >= cut ? 1 : 0))
  const test = fold.reduce((s, v) => s + v, 0)
  if (test === 0 || test === fold.length) return null
  return fold
}

/** Row indices where `fold[i] === k` (test) or `!== k` (train). */
export function foldRows(fold: Int32Array, k: number, test: boolean): Int32Array {
  const out: number[] = []
  for (let i = 0; i < fold.length; i++) if ((fold[i] === k) === test) out.push(i)
  return Int32Array.from(out)
}
