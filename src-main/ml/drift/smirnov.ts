/**
 * The one-sided Kolmogorov-Smirnov survival function P(D+_n >= x), scipy.special.smirnov
 * (scipy/special/cephes/kolmogorov.c `_smirnov`, scipy 1.10.1). The two-sided distribution uses
 * 2 * smirnov(n, x) for its small p-values, so every KS p-value below ~0.02 at large n goes
 * through here.
 *
 * scipy sums the Birnbaum-Tingey series in double-double arithmetic. Every term of the lower sum
 * is positive, so here each term is formed in log space (exact n*x split, log1p near 1) and the
 * sum is kept scaled: that reaches scipy's value to ~1e-12 relative without double-doubles, and
 * p-values far below 1e-300 do not underflow on the way.
 */

import { clipProbability } from './special'

/** scipy's cephes MINLOG, log(2^-1075): exp() of anything below this is 0 even as a subnormal. */
const MINLOG = -745.1332191019412
/** Above this n scipy switches to an approximation (SMIRNOV_MAX_COMPUTE_N). */
const MAX_COMPUTE_N = 1_000_000
const SPLIT = 134217729 // 2^27 + 1, Veltkamp's splitter

/** n*x as floor + fraction, exactly (scipy's modNX, which uses double-doubles). */
function floorAndFraction(n: number, x: number): { floor: number; alpha: number } {
  const p = n * x
  const an = SPLIT * n
  const nh = an - (an - n)
  const nl = n - nh
  const ax = SPLIT * x
  const xh = ax - (ax - x)
  const xl = x - xh
  const err = nh * xh - p + nh * xl + nl * xh + nl * xl
  let floor = Math.floor(p)
  let alpha = p - floor + err
  if (alpha < 0) {
    floor -= 1
    alpha += 1
  }
  if (alpha >= 1) {
    floor += 1
    alpha -= 1
  }
  return { floor, alpha }
}

/** P(D+_n >= x): scipy.special.smirnov(n, x). */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1) || !Number.isInteger(n)) return NaN
  if (n === 1) return 1 - x
  if (x === 0) return 1
  if (x === 1) return 0

  const { floor: nxfl, alpha } = floorAndFraction(n, x)
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1)
  // When n*x is an integer the last term of the sum is zero; scipy leaves it out.
  if (alpha === 0) n1mxfl -= 1

  // x <= 1/n: cdf = x (1 + x)^(n-1)
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    const cdf = x * Math.exp((n - 1) * Math.log1p(x))
    return clipProbability(1 - cdf)
  }
  if (-2 * n * x * x < MINLOG) return 0
  // x >= 1 - 1/n: sf = (1 - x)^n
  if (nxfl >= n - 1) return clipProbability(Math.exp(n * Math.log1p(-x)))
  if (n > MAX_COMPUTE_N) {
    // p ~ e^(-(6nx+1)^2 / 18n)
    const logp = -((6 * n * x + 1) ** 2) / 18 / n
    return clipProbability(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp))
  }

  // sf = x * sum_{v=0}^{n1mxfl} C(n, v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1)
  // scipy switches to the upper sum where x <= 0.5/sqrt(n), for the precision of the cdf; the
  // survival function is what is wanted here, and the lower sum's positive terms keep its digits
  // there as well (the unit test checks both regions against scipy).
  const nTerms = n1mxfl + 1
  const vmid = Math.floor(n / 2)
  // log C(n, v) as an unevaluated sum hi + lo: adding ~10^5 small logs to a total near n ln 2
  // would otherwise lose half an ulp of that total each time, 3e-9 relative by n = 500,000.
  let logC = 0
  let logCLow = 0
  let scale = n * Math.log1p(-x) - Math.log(x) // log of the v = 0 term, the sum's scale
  let sum = 1 // the sum divided by exp(scale)
  logC += Math.log(n) // C(n, 1)
  for (let v = 1; v < nTerms; v++) {
    // x + v/n = f and 1 - x - v/n = 1 - f, from the exact split n*x = nxfl + alpha
    const f = (v + nxfl + alpha) / n
    const logLower = f < 0.5 ? Math.log1p(-f) : Math.log((n - v - nxfl - alpha) / n)
    const logA = logC + ((n - v) * logLower + (v - 1) * Math.log(f) + logCLow)
    if (logA === -Infinity) {
      if (v > vmid) break
    } else {
      let term: number
      if (logA > scale) {
        sum = sum * Math.exp(scale - logA) + 1
        scale = logA
        term = 1
      } else {
        term = Math.exp(logA - scale)
        sum += term
      }
      // scipy stops once the remaining terms cannot change the double result
      if (4 * (nTerms - v) * term < Number.EPSILON * sum && v !== nTerms - 1) break
    }
    // Knuth's TwoSum: the rounding error of each addition carried in logCLow
    const step = Math.log((n - v) / (v + 1))
    const total = logC + step
    const back = total - logC
    logCLow += logC - (total - back) + (step - back)
    logC = total
  }
  return clipProbability(Math.exp(Math.log(x) + scale + Math.log(sum)))
}
