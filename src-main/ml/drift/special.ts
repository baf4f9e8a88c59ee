/**
 * Special functions the drift tests need for their p-values: the normal and chi-square survival
 * functions. Each says which scipy routine it reproduces; the unit tests compare them with scipy
 * 1.10 to 1e-6 relative, down to p-values of 1e-200 and below.
 */

/** Largest x with exp(x) finite (cephes MAXLOG). */
const MAXLOG = 709.782712893384

// cephes ndtr.c coefficients (scipy/special/cephes/ndtr.c, scipy 1.10.1): erfc on [1, 8) (P/Q),
// on [8, inf) (R/S), erf on [0, 1] (T/U).
const ERFC_P = [
  2.461969814735305e-10, 0.5641895648310689, 7.463210564422699, 48.63719709856814,
  196.5208329560771, 526.4451949954773, 934.5285271719576, 1027.5518868951572, 557.5353353693994,
]
const ERFC_Q = [
  13.228195115474499, 86.70721408859897, 354.9377788878199, 975.7085017432055, 1823.9091668790973,
  2246.3376081871097, 1656.6630919416134, 557.5353408177277,
]
const ERFC_R = [
  0.5641895835477551, 1.275366707599781, 5.019050422511805, 6.160210979930536, 7.4097426995044895,
  2.9788666537210022,
]
const ERFC_S = [
  2.2605286322011726, 9.396035249380015, 12.048953980809666, 17.08144507475659, 9.608968090632859,
  3.369076451000815,
]
const ERF_T = [
  9.604973739870516, 90.02601972038427, 2232.005345946843, 7003.325141128051, 55592.30130103949,
]
const ERF_U = [
  33.56171416475031, 521.3579497801527, 4594.323829709801, 22629.000061389095, 49267.39426086359,
]

/** cephes polevl: coefficients from the highest power down. */
function polevl(x: number, c: readonly number[]): number {
  let y = c[0]!
  for (let i = 1; i < c.length; i++) y = y * x + c[i]!
  return y
}

/** cephes p1evl: as polevl with an implied leading coefficient of 1. */
function p1evl(x: number, c: readonly number[]): number {
  let y = x + c[0]!
  for (let i = 1; i < c.length; i++) y = y * x + c[i]!
  return y
}

/** The error function (cephes erf). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN
  if (x < 0) return -erf(-x)
  if (Math.abs(x) > 1) return 1 - erfc(x)
  const z = x * x
  return (x * polevl(z, ERF_T)) / p1evl(z, ERF_U)
}

/**
 * The complementary error function (cephes erfc). Computed directly in the tail, not as 1 - erf,
 * so that erfc(10) = 2.1e-45 keeps its digits instead of rounding to 0.
 */
export function erfc(a: number): number {
  if (Number.isNaN(a)) return NaN
  const x = Math.abs(a)
  if (x < 1) return 1 - erf(a)
  const z = -a * a
  if (z < -MAXLOG) return a < 0 ? 2 : 0
  const e = Math.exp(z)
  const y =
    x < 8 ? (e * polevl(x, ERFC_P)) / p1evl(x, ERFC_Q) : (e * polevl(x, ERFC_R)) / p1evl(x, ERFC_S)
  if (a < 0) return 2 - y
  return y === 0 ? (a < 0 ? 2 : 0) : y
}

/** P(Z > z) for a standard normal Z, as scipy.stats.norm.sf (= cephes ndtr(-z)). */
export function normalSf(z: number): number {
  const x = -z * Math.SQRT1_2
  const ax = Math.abs(x)
  if (ax < Math.SQRT1_2) return 0.5 + 0.5 * erf(x)
  const y = 0.5 * erfc(ax)
  return x > 0 ? 1 - y : y
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)

/**
 * log Γ(x) for x > 0: Stirling's series from x >= 15, the recurrence Γ(x) = Γ(x+1)/x below it.
 * Absolute error about 1e-15 times log Γ(x), which is what the chi-square tail needs.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN
  if (x === Infinity) return Infinity
  let shift = 0
  let product = 1
  let y = x
  while (y < 15) {
    product *= y
    y += 1
    if (product > 1e280) {
      shift += Math.log(product)
      product = 1
    }
  }
  shift += Math.log(product)
  const r = 1 / y
  const r2 = r * r
  // Bernoulli terms B2k / (2k (2k-1) y^(2k-1)), k = 1..6
  const series =
    r *
    (1 / 12 -
      r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 * (1 / 1188 - r2 * (691 / 360360))))))
  return (y - 0.5) * Math.log(y) - y + HALF_LOG_2PI + series - shift
}

/**
 * The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a) (scipy's gammaincc,
 * cephes igamc): the series for P = 1 - Q where x < a + 1, else Lentz's continued fraction for Q,
 * which keeps its relative precision in the far tail (Q = 1e-300 still has ~14 digits).
 */
export function gammaQ(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || x < 0 || !(a > 0)) return NaN
  if (x === 0) return 1
  if (x === Infinity) return 0
  const logPrefactor = a * Math.log(x) - x - logGamma(a)
  if (x < a + 1) {
    // P(a, x) = x^a e^-x / Γ(a+1) * sum_n x^n / ((a+1)...(a+n))
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 10_000_000; n++) {
      term *= x / (a + n)
      sum += term
      if (term < sum * 1e-17) break
    }
    return 1 - sum * Math.exp(logPrefactor)
  }
  const tiny = 1e-300
  let b = x + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < 10_000_000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  // exp(logPrefactor) underflows before h*exp(...) would; combine in log space.
  return Math.exp(logPrefactor + Math.log(h))
}

/**
 * P(X > x) for X chi-square with df degrees of freedom, as scipy.stats.chi2.sf (cephes chdtrc =
 * igamc(df/2, x/2)). NaN when df <= 0, as scipy gives (a one-category chi-square has df = 0);
 * 1 at x <= 0 and 0 at x = Infinity.
 */
export function chiSquareSf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN
  if (x <= 0) return 1
  return gammaQ(df / 2, x / 2)
}

/**
 * x * 2^e without overflowing 2^e on the way (Math.pow(2, 1100) is Infinity even when x * 2^1100
 * is finite).
 */
export function ldexp(x: number, e: number): number {
  let r = x
  let k = e
  while (k > 1000) {
    r *= 2 ** 1000
    k -= 1000
  }
  while (k < -1000) {
    r *= 2 ** -1000
    k += 1000
  }
  return r * 2 ** k
}

/** Clips a probability to [0, 1]; NaN stays NaN (numpy.clip). */
export function clipProbability(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p
}

/** Rounds half to even, as numpy.round: np.round(5000.5) is 5000, Math.round gives 5001. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}
