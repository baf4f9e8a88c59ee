/**
 * The two-sided one-sample Kolmogorov-Smirnov distribution's survival function P(D_n >= x):
 * scipy.stats.kstwo.sf(x, n), which ks_2samp uses for its asymptotic p-value with
 * n = round(n1 n2 / (n1 + n2)). A port of scipy 1.10.1's scipy/stats/_ksstats.py `_kolmogn`
 * (Simard & L'Ecuyer's choice between the Ruben-Gambino closed forms, Durbin's matrix (as
 * Marsaglia-Tsang-Wang), Pomeranz's recursion, Pelz-Good's approximation and 2 * smirnov), branch
 * for branch, so the p-values agree with scipy's to ~1e-12 relative.
 */

import { smirnovSf } from './smirnov'
import { clipProbability, ldexp } from './special'

const E128 = 2 ** 128
const EM128 = 2 ** -128
const MIN_LOG = -708
const LOG_2PI = Math.log(2 * Math.PI)
const SQRT2PI = Math.sqrt(2 * Math.PI)
const SQRT3 = Math.sqrt(3)
const PI2 = Math.PI ** 2
const PI4 = Math.PI ** 4
const PI6 = Math.PI ** 6
const STIRLING = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
]

/** log(n! / n^n) by Stirling's series (_log_nfactorial_div_n_pow_n). */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n
  let poly = 0
  for (const c of STIRLING) poly = poly * (rn / n) + c
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly
}

/** m x m matrix product, row-major. */
function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m)
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!
      if (aik === 0) continue
      const rowB = k * m
      const rowO = i * m
      for (let j = 0; j < m; j++) out[rowO + j]! += aik * b[rowB + j]!
    }
  }
  return out
}

/** P(D_n <= d) by Durbin's matrix method as Marsaglia, Tsang and Wang compute it (_kolmogn_DMTW). */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1
  const nd = n * d
  if (nd <= 0.5) return 0
  const k = Math.ceil(nd)
  const h = k - nd
  const m = 2 * k - 1
  let H: Float64Array = new Float64Array(m * m)
  const v = new Float64Array(m)
  const w = new Float64Array(m)
  let fac = 1
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac
    fac /= j
    v[j - 1] = (1 - h ** j) * fac
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m
  v[m - 1] = (1 + tt) * fac
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)]!
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r]!
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!

  let power: Float64Array = new Float64Array(m * m)
  for (let i = 0; i < m; i++) power[i * m + i] = 1
  let nn = n
  let exponent = 0
  let hExponent = 0
  while (nn > 0) {
    if (nn % 2) {
      power = matmul(power, H, m)
      exponent += hExponent
    }
    H = matmul(H, H, m)
    hExponent *= 2
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > E128) {
      for (let i = 0; i < H.length; i++) H[i]! /= E128
      hExponent += 128
    }
    nn = Math.floor(nn / 2)
  }
  let p = power[(k - 1) * m + (k - 1)]!
  // multiply by n! / n^n
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n
    if (Math.abs(p) < EM128) {
      p *= E128
      exponent -= 128
    }
  }
  if (exponent !== 0) p = ldexp(p, exponent)
  return clipProbability(p)
}

/** The start and end of row i's non-zero entries (_pomeranz_compute_j1j2). */
function pomeranzRange(
  i: number,
  n: number,
  ll: number,
  ceilf: number,
  roundf: number,
): [number, number] {
  let j1: number
  let j2: number
  if (i === 0) {
    j1 = -ll - ceilf - 1
    j2 = ll + ceilf - 1
  } else {
    const ip1div2 = Math.floor((i + 1) / 2)
    const ip1mod2 = (i + 1) % 2
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1
        j2 = n + ll + ceilf - 1
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1
        j2 = ip1div2 + ll - 1 + ceilf - 1
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1
      j2 = ip1div2 + ll + roundf - 1
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)]
}

/** P(D_n <= x) by Pomeranz's recursion (_kolmogn_Pomeranz); scipy uses it for n <= 140. */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x
  const ll = Math.floor(t)
  const f = t - ll
  const g = Math.min(f, 1 - f)
  const ceilf = f > 0 ? 1 : 0
  const roundf = f > 0.5 ? 1 : 0
  const npwrs = 2 * (ll + 1)
  const gpower = new Float64Array(npwrs)
  const twogpower = new Float64Array(npwrs)
  const onem2gpower = new Float64Array(npwrs)
  gpower[0] = 1
  twogpower[0] = 1
  onem2gpower[0] = 1
  let expnt = 0
  const gOverN = g / n
  const twoGOverN = (2 * g) / n
  const oneMinusTwoGOverN = (1 - 2 * g) / n
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1]! * gOverN) / m
    twogpower[m] = (twogpower[m - 1]! * twoGOverN) / m
    onem2gpower[m] = (onem2gpower[m - 1]! * oneMinusTwoGOverN) / m
  }
  let V0 = new Float64Array(npwrs)
  let V1 = new Float64Array(npwrs)
  V1[0] = 1
  let V0s = 0
  let V1s = 0
  let [j1, j2] = pomeranzRange(0, n, ll, ceilf, roundf)
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1
    ;[V0, V1] = [V1, V0]
    ;[V0s, V1s] = [V1s, V0s]
    V1.fill(0)
    ;[j1, j2] = pomeranzRange(i, n, ll, ceilf, roundf)
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower
    const ln2 = j2 - k1 + 1
    if (ln2 > 0) {
      // numpy.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]), full mode, then a window of it
      const aStart = k1 - V0s
      const aLen = Math.max(0, Math.min(ln2, npwrs - aStart))
      const bLen = Math.min(ln2, npwrs)
      const convStart = j1 - k1
      const convLen = j2 - j1 + 1
      const fullLen = aLen + bLen - 1
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c
        if (idx >= fullLen) break
        let s = 0
        const lo = Math.max(0, idx - bLen + 1)
        const hi = Math.min(idx, aLen - 1)
        for (let a = lo; a <= hi; a++) s += V0[aStart + a]! * pwrs[idx - a]!
        V1[c] = s
      }
      let max = -Infinity
      for (let c = 0; c < npwrs; c++) if (V1[c]! > max) max = V1[c]!
      if (max > 0 && max < EM128) {
        for (let c = 0; c < npwrs; c++) V1[c]! *= E128
        expnt -= 128
      }
      V1s = V0s + j1 - k1
    }
  }
  let ans = V1[n - V1s]!
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128
      expnt += 128
    }
    ans *= m
  }
  if (expnt !== 0) ans = ldexp(ans, expnt)
  return clipProbability(ans)
}

/** Pelz and Good's approximation to P(D_n <= x) (_kolmogn_PelzGood); not clipped, as in scipy. */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const z = Math.sqrt(n) * x
  const z2 = z ** 2
  const z3 = z ** 3
  const z4 = z ** 4
  const z6 = z ** 6
  const qlog = -PI2 / 8 / z2
  if (qlog < MIN_LOG) return 0
  let q = Math.exp(qlog)
  const k1a = -z2
  const k1b = PI2 / 4
  const k2a = 6 * z6 + 2 * z4
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4
  const k2c = (PI4 * (1 - 2 * z2)) / 16
  const k3d = (PI6 * (5 - 30 * z2)) / 64
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4
  const k3a = -30 * z6 - 90 * z ** 8
  const K = [0, 0, 0, 0]
  const maxk = Math.ceil((16 * z) / Math.PI)
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1
    const m2 = m ** 2
    const m4 = m ** 4
    const m6 = m ** 6
    const qpower = q ** (8 * k)
    const coeffs = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m4,
      k3a + k3b * m2 + k3c * m4 + k3d * m6,
    ]
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qpower + coeffs[i]!
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10]
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / divisors[i]!
  q = Math.exp(-PI2 / 2 / z2)
  const sqrt3z = SQRT3 * z
  let k2extra = 0
  let k3extra = 0
  for (let k = maxk; k > 0; k--) {
    const k2 = k ** 2
    const qp = q ** k2
    k2extra += k2 * qp
    const kpi = Math.PI * k
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp
  }
  K[2]! += (k2extra * PI2 * SQRT2PI) / (-36 * z3)
  K[3]! += (k3extra * PI2 * SQRT2PI) / (216 * z6)
  let sum = 0
  for (let i = 0; i < 4; i++) sum += K[i]! / n ** (i / 2)
  return sum
}

/**
 * P(D_n >= x) for the two-sided one-sample Kolmogorov-Smirnov statistic: scipy.stats.kstwo.sf.
 * NaN unless n is a positive integer.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!(n >= 1 && Number.isInteger(n)) || Number.isNaN(x)) return NaN
  // kstwo's support is [1/(2n), 1]
  if (x <= 0.5 / n) return 1
  if (x >= 1) return 0
  const t = n * x
  if (t <= 1) {
    // Ruben-Gambino: 1/2n <= x <= 1/n, cdf = n!/n^n (2t - 1)^n
    if (t <= 0.5) return 1
    let prob: number
    if (n <= 140) {
      prob = 1
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1)
    } else prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1))
    return clipProbability(1 - prob)
  }
  if (t >= n - 1) return clipProbability(2 * (1 - x) ** n)
  if (x >= 0.5) return clipProbability(2 * smirnovSf(n, x))
  const nxSquared = t * x
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clipProbability(1 - durbinCdf(n, x))
    if (nxSquared <= 4) return clipProbability(1 - pomeranzCdf(n, x))
    return clipProbability(2 * smirnovSf(n, x))
  }
  if (nxSquared >= 370) return 0
  if (nxSquared >= 2.2) return clipProbability(2 * smirnovSf(n, x))
  let cdf: number
  if (nxSquared >= 18) cdf = 1
  else if (n <= 100_000 && n * x ** 1.5 <= 1.4) cdf = durbinCdf(n, x)
  else cdf = pelzGoodCdf(n, x)
  return clipProbability(1 - cdf)
}
