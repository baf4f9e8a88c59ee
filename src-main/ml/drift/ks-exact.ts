/**
 * The exact two-sided p-value of the two-sample Kolmogorov-Smirnov statistic, as scipy 1.10.1's
 * ks_2samp computes it (scipy/stats/_stats_py.py `_attempt_exact_2kssamp`): lattice paths from
 * (0, 0) to (n1, n2) that leave the band |x/n1 - y/n2| < d. The arithmetic follows scipy's
 * operation for operation, so the p-values match to the last bits, and so does the decision to
 * fall back to the asymptotic distribution when the exact sum goes wrong.
 */

import { roundHalfEven } from './special'

export function gcd(a: number, b: number): number {
  let x = a
  let y = b
  while (y !== 0) {
    const t = x % y
    x = y
    y = t
  }
  return x
}

/**
 * Pr(D_{n,n} >= h/n) (scipy `_compute_prob_outside_square`): 2 * sum of alternating binomial
 * ratios, in Horner form so the subtractions do not cancel.
 */
function probOutsideSquare(n: number, h: number): number {
  let P = 0
  let k = Math.floor(n / h)
  while (k >= 0) {
    let p1 = 1
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1)
    P = p1 * (1 - P)
    k -= 1
  }
  return 2 * P
}

/**
 * The share of lattice paths that do not stay strictly inside |x/m - y/n| < h/lcm(m, n)
 * (scipy `_compute_outer_prob_inside_method`, compiled with Pythran in scipy; its Python source is
 * scipy/stats/_stats_pythran.py). Computes 1 - p directly (Viehmann 2021) over a sliding window
 * of one column of the path-count matrix.
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  let m = m0
  let n = n0
  if (m < n) [m, n] = [n, m]
  const mg = Math.floor(m / g)
  const ng = Math.floor(n / g)
  let minj = 0
  let maxj = Math.min(Math.ceil(h / mg), n + 1)
  let curlen = maxj - minj
  const lenA = Math.min(2 * maxj + 2, n + 1)
  const A = new Float64Array(lenA).fill(1)
  A.fill(0, minj, maxj)
  for (let i = 1; i <= m; i++) {
    const lastminj = minj
    const lastlen = curlen
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n)
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1)
    if (maxj <= minj) return 1
    let val = minj === 0 ? 0 : 1
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j)
      A[jj] = val
    }
    curlen = maxj - minj
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen))
  }
  return A[maxj - minj - 1]!
}

export interface ExactKs {
  /** false where scipy would give up on the exact sum and use the asymptotic distribution */
  ok: boolean
  /** the statistic rounded to a multiple of 1/lcm(n1, n2), as scipy reports it */
  d: number
  p: number
}

/** scipy `_attempt_exact_2kssamp` for the two-sided alternative. */
export function exactKsPValue(n1: number, n2: number, d: number): ExactKs {
  const g = gcd(n1, n2)
  const lcm = Math.floor(n1 / g) * n2
  const h = roundHalfEven(d * lcm)
  const rounded = h / lcm
  if (h === 0) return { ok: true, d: rounded, p: 1 }
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h)
  if (!(p >= 0 && p <= 1)) return { ok: false, d: rounded, p }
  return { ok: true, d: rounded, p }
}
