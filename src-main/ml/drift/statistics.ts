/**
 * The drift statistics Evidently computes per feature, each matching the scipy / numpy call that
 * Evidently makes (legacy/calculations/stattests/*.py in evidentlyai/evidently), on the finite
 * values of both sides. Functions take raw values or {@link PreparedSample}s; both sides must
 * have at least one finite value ({@link featureDrift} checks that before calling them).
 */

import { WorkbenchError } from '../../contract/errors'
import { kolmogorovSf } from './kolmogorov'
import { exactKsPValue } from './ks-exact'
import { type PreparedSample, type SampleInput, prepareSample, valueCounts } from './sample'
import { chiSquareSf, clipProbability, normalSf, roundHalfEven } from './special'

/** ks_2samp's method='auto' switches from the exact distribution to the asymptotic one above this. */
const MAX_EXACT_N = 10_000

function bothSides(
  reference: SampleInput,
  current: SampleInput,
  what: string,
): [PreparedSample, PreparedSample] {
  const ref = prepareSample(reference)
  const cur = prepareSample(current)
  if (ref.sorted.length === 0 || cur.sorted.length === 0)
    throw new WorkbenchError(
      'invalid-input',
      `${what} needs at least one non-missing value in both the reference and the current data ` +
        `(reference: ${ref.sorted.length} of ${ref.rows}, current: ${cur.sorted.length} of ${cur.rows}).`,
    )
  return [ref, cur]
}

/** The empirical CDFs walked together over the union of values. */
interface MergedCdfs {
  /** max |F_ref(x) - F_cur(x)| */
  ks: number
  /** integral of |F_ref - F_cur|: the first Wasserstein distance */
  wasserstein: number
  /** distinct values in reference + current */
  distinct: number
}

/**
 * One pass over both sorted samples. The CDF differences are formed exactly as scipy does
 * (count/n1 - count/n2 at each value), so the KS statistic is bit for bit scipy's and the
 * Wasserstein terms are too; only the summation order of the latter differs.
 */
function mergeCdfs(ref: PreparedSample, cur: PreparedSample): MergedCdfs {
  const a = ref.sorted
  const b = cur.sorted
  const n1 = a.length
  const n2 = b.length
  let i = 0
  let j = 0
  let maxDiff = 0
  let minDiff = 0
  let wasserstein = 0
  let distinct = 0
  let previous = 0
  let previousAbs = 0
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!
    while (i < n1 && a[i] === v) i++
    while (j < n2 && b[j] === v) j++
    if (distinct > 0) wasserstein += previousAbs * (v - previous)
    const diff = i / n1 - j / n2
    if (diff > maxDiff) maxDiff = diff
    if (diff < minDiff) minDiff = diff
    previous = v
    previousAbs = Math.abs(diff)
    distinct++
  }
  return { ks: Math.max(maxDiff, -minDiff), wasserstein, distinct }
}

/** Distinct values in reference + current together (pandas nunique of the concatenation). */
export function distinctValues(ref: PreparedSample, cur: PreparedSample): number {
  return mergeCdfs(ref, cur).distinct
}

export interface KsTest {
  /** the largest distance between the two empirical CDFs */
  statistic: number
  /** two-sided p-value */
  pValue: number
  /** 'exact' while both samples have at most 10,000 values (unless the exact sum fails) */
  pValueMethod: 'exact' | 'asymptotic'
}

/**
 * Two-sample Kolmogorov-Smirnov test: scipy.stats.ks_2samp(reference, current) with its defaults
 * (two-sided, method='auto'), which Evidently's ks_stat_test calls. With the exact method the
 * statistic is scipy's, rounded to a multiple of 1/lcm(n1, n2).
 */
export function ksTwoSample(reference: SampleInput, current: SampleInput): KsTest {
  const [ref, cur] = bothSides(reference, current, 'The Kolmogorov-Smirnov test')
  const n1 = ref.sorted.length
  const n2 = cur.sorted.length
  let d = mergeCdfs(ref, cur).ks
  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const exact = exactKsPValue(n1, n2, d)
    if (exact.ok)
      return { statistic: exact.d, pValue: clipProbability(exact.p), pValueMethod: 'exact' }
    // scipy warns and carries on with the asymptotic distribution and the rounded statistic
    d = exact.d
  }
  const m = Math.max(n1, n2)
  const n = Math.min(n1, n2)
  const en = (m * n) / (m + n)
  return {
    statistic: d,
    pValue: clipProbability(kolmogorovSf(roundHalfEven(en), d)),
    pValueMethod: 'asymptotic',
  }
}

/** Population standard deviation (numpy.std, ddof=0) of sorted values, two-pass. */
function standardDeviation(x: Float64Array): number {
  let sum = 0
  for (let i = 0; i < x.length; i++) sum += x[i]!
  const mean = sum / x.length
  let ss = 0
  for (let i = 0; i < x.length; i++) {
    const e = x[i]! - mean
    ss += e * e
  }
  return Math.sqrt(ss / x.length)
}

export interface WassersteinResult {
  /** the Wasserstein distance divided by the reference's standard deviation (floored at 0.001) */
  value: number
  /** scipy.stats.wasserstein_distance(reference, current), in the feature's own units */
  distance: number
  /** numpy.std(reference), ddof = 0 */
  referenceStd: number
}

/**
 * Evidently's wasserstein_stat_test: scipy.stats.wasserstein_distance(reference, current) divided
 * by max(numpy.std(reference), 0.001). The floor keeps a constant reference from dividing by zero.
 */
export function wassersteinNormed(reference: SampleInput, current: SampleInput): WassersteinResult {
  const [ref, cur] = bothSides(reference, current, 'The Wasserstein distance')
  const distance = mergeCdfs(ref, cur).wasserstein
  const referenceStd = standardDeviation(ref.sorted)
  return { value: distance / Math.max(referenceStd, 0.001), distance, referenceStd }
}

/** Shares of each side in common bins, as Evidently's get_binned_data makes them. */
export interface BinnedShares {
  reference: Float64Array
  current: Float64Array
  /** 'sturges' when the reference has more than 20 distinct values, else one bin per value */
  binning: 'sturges' | 'per-value'
}

/** numpy.searchsorted(sorted, value, side='left') */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** numpy.searchsorted(sorted, value, side='right') */
function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! <= value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * numpy.histogram_bin_edges(values, bins='sturges') for values spanning [min, max]: Sturges'
 * count, ceil(ptp / (ptp / (log2(n) + 1))), of equal bins laid out as numpy.linspace lays them
 * (i * step + start, the last edge exactly max), so a value on an edge lands in numpy's bin.
 */
export function sturgesEdges(min: number, max: number, count: number): Float64Array {
  let first = min
  let last = max
  if (first === last) {
    first -= 0.5
    last += 0.5
  }
  const width = (max - min) / (Math.log2(count) + 1)
  const bins = width ? Math.ceil((last - first) / width) : 1
  const edges = new Float64Array(bins + 1)
  const delta = last - first
  const step = delta / bins
  for (let i = 0; i <= bins; i++)
    edges[i] = step === 0 ? (i / bins) * delta + first : i * step + first
  edges[bins] = last
  return edges
}

/** numpy.histogram(sorted, edges)[0]: [e_i, e_i+1) except the last bin, which includes its end. */
function histogram(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1
  const counts = new Float64Array(bins)
  let previous = lowerBound(sorted, edges[0]!)
  for (let i = 1; i <= bins; i++) {
    const next = i === bins ? upperBound(sorted, edges[i]!) : lowerBound(sorted, edges[i]!)
    counts[i - 1] = next - previous
    previous = next
  }
  return counts
}

/**
 * Evidently's get_binned_data for a numerical feature: Sturges bins over reference + current when
 * the reference has more than 20 distinct values, else one bin per value seen on either side;
 * each side's counts divided by its size.
 */
export function binnedShares(ref: PreparedSample, cur: PreparedSample): BinnedShares {
  const a = ref.sorted
  const b = cur.sorted
  if (ref.distinct > 20) {
    const edges = sturgesEdges(
      Math.min(a[0]!, b[0]!),
      Math.max(a[a.length - 1]!, b[b.length - 1]!),
      a.length + b.length,
    )
    const r = histogram(a, edges)
    const c = histogram(b, edges)
    for (let i = 0; i < r.length; i++) {
      r[i] = r[i]! / a.length
      c[i] = c[i]! / b.length
    }
    return { reference: r, current: c, binning: 'sturges' }
  }
  const counts = valueCounts(ref, cur)
  const r = counts.reference.map((x) => x / a.length)
  const c = counts.current.map((x) => x / b.length)
  return { reference: r, current: c, binning: 'per-value' }
}

/**
 * Replaces empty bins' zero share (get_binned_data's feel_zeroes): 0.0001, or the smallest
 * non-zero share / 10^6 when that share is itself at most 0.0001, so a log never sees a zero.
 */
function fillEmpty(shares: Float64Array): Float64Array {
  let smallest = Infinity
  for (const s of shares) if (s !== 0 && s < smallest) smallest = s
  const fill = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001
  return shares.map((s) => (s === 0 ? fill : s))
}

export type PsiBand = 'stable' | 'moderate' | 'major'

export interface PsiResult {
  value: number
  /** below 0.1 'stable', 0.1 to below 0.25 'moderate', 0.25 and above 'major' */
  band: PsiBand
  bins: number
  binning: 'sturges' | 'per-value'
}

export function psiBand(value: number): PsiBand {
  return value >= 0.25 ? 'major' : value >= 0.1 ? 'moderate' : 'stable'
}

/**
 * Population stability index, Evidently's psi_stat_test: sum of (ref - cur) * ln(ref / cur) over
 * the shares of {@link binnedShares}, empty bins filled first.
 */
export function populationStabilityIndex(reference: SampleInput, current: SampleInput): PsiResult {
  const [ref, cur] = bothSides(reference, current, 'The population stability index')
  const binned = binnedShares(ref, cur)
  const r = fillEmpty(binned.reference)
  const c = fillEmpty(binned.current)
  let value = 0
  for (let i = 0; i < r.length; i++) value += (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!)
  return { value, band: psiBand(value), bins: r.length, binning: binned.binning }
}

/** scipy.special.rel_entr */
function relativeEntropy(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y)
  if (x === 0 && y >= 0) return 0
  return Infinity
}

/**
 * Jensen-Shannon distance, Evidently's jensenshannon_stat_test:
 * scipy.spatial.distance.jensenshannon(ref_shares, cur_shares) with the natural log (base=None),
 * over {@link binnedShares} with empty bins left empty. Between 0 and sqrt(ln 2) = 0.833.
 * Where rounding leaves the divergence a hair below zero scipy returns NaN from the square root;
 * this returns 0, the true value.
 */
export function jensenShannonDistance(reference: SampleInput, current: SampleInput): number {
  const [ref, cur] = bothSides(reference, current, 'The Jensen-Shannon distance')
  const binned = binnedShares(ref, cur)
  let sp = 0
  let sq = 0
  for (let i = 0; i < binned.reference.length; i++) {
    sp += binned.reference[i]!
    sq += binned.current[i]!
  }
  let left = 0
  let right = 0
  for (let i = 0; i < binned.reference.length; i++) {
    const p = binned.reference[i]! / sp
    const q = binned.current[i]! / sq
    const m = (p + q) / 2
    left += relativeEntropy(p, m)
    right += relativeEntropy(q, m)
  }
  const js = left + right
  return Math.sqrt(Math.max(js, 0) / 2)
}

export interface ChiSquareTest {
  statistic: number
  pValue: number
  /** categories - 1; at 0 (a single value) scipy's p-value is NaN, and so is this one */
  degreesOfFreedom: number
}

/**
 * Pearson's chi-square, Evidently's chi_stat_test: scipy.stats.chisquare(f_obs, f_exp) with the
 * current counts per value observed and the reference counts * (n_current / n_reference)
 * expected. A value absent from the reference but present now makes the statistic Infinity and
 * the p-value 0, as in scipy.
 */
export function chiSquareTest(reference: SampleInput, current: SampleInput): ChiSquareTest {
  const [ref, cur] = bothSides(reference, current, 'The chi-square test')
  const counts = valueCounts(ref, cur)
  const kNorm = cur.sorted.length / ref.sorted.length
  let statistic = 0
  for (let i = 0; i < counts.values.length; i++) {
    const expected = counts.reference[i]! * kNorm
    const d = counts.current[i]! - expected
    statistic += (d * d) / expected
  }
  const degreesOfFreedom = counts.values.length - 1
  return { statistic, pValue: chiSquareSf(statistic, degreesOfFreedom), degreesOfFreedom }
}

export interface ZTest {
  /** (p_ref - p_cur) / pooled standard error; 0 when both sides hold one and the same value */
  statistic: number
  /** two-sided: 2 * P(Z > |z|) */
  pValue: number
}

/**
 * Two-proportion Z-test, Evidently's z_stat_test: the smallest value seen on either side is one
 * category and every other value the other; pooled proportion; two-sided. Evidently writes the
 * p-value as 2 * (1 - norm.cdf(|z|)), which rounds to 0 below ~1e-16; this uses the normal
 * survival function, equal above that and accurate below. Both sides holding one and the same
 * value gives p = 1, as Evidently special-cases it.
 */
export function zTest(reference: SampleInput, current: SampleInput): ZTest {
  const [ref, cur] = bothSides(reference, current, 'The Z-test')
  const a = ref.sorted
  const b = cur.sorted
  const n1 = a.length
  const n2 = b.length
  if (ref.distinct === 1 && cur.distinct === 1 && a[0] === b[0]) return { statistic: 0, pValue: 1 }
  const first = Math.min(a[0]!, b[0]!)
  // shares of values other than the first category
  const p1 = (n1 - upperBound(a, first)) / n1
  const p2 = (n2 - upperBound(b, first)) / n2
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
  return { statistic: z, pValue: 2 * normalSf(Math.abs(z)) }
}
