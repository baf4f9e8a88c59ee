/**
 * One side of a drift comparison, cleaned and sorted once. Every statistic in this folder works on
 * sorted finite values: a merge of two sorted arrays gives the Kolmogorov-Smirnov statistic, the
 * Wasserstein distance and the category counts in one pass, and a histogram is a binary search per
 * bin edge. A reference sample (a model's training rows) can be prepared once and compared with
 * many current samples.
 */

/** Sorted finite values of one feature, with what was left out and why. */
export interface PreparedSample {
  readonly kind: 'prepared-sample'
  /** the finite values, ascending (-0 and +0 count as one value) */
  readonly sorted: Float64Array
  /** values given, missing ones included */
  readonly rows: number
  /** NaN values: missing, left out of every statistic and counted here */
  readonly missing: number
  /** +Infinity and -Infinity values: left out and counted here, as Evidently drops them */
  readonly infinite: number
  /** distinct finite values */
  readonly distinct: number
}

/**
 * Feature values as given: a typed array or a plain array. NaN (and null, as JSON carries a
 * missing number) marks a missing value.
 */
export type SampleInput = ArrayLike<number | null> | PreparedSample

/** Sorts and counts a feature's values; passes a sample prepared before through unchanged. */
export function prepareSample(values: SampleInput): PreparedSample {
  if (isPrepared(values)) return values
  const n = values.length
  const finite = new Float64Array(n)
  let used = 0
  let missing = 0
  let infinite = 0
  for (let i = 0; i < n; i++) {
    const v = values[i]
    if (v === null || v === undefined) missing++
    else if (v - v === 0) finite[used++] = v
    else if (Number.isNaN(v)) missing++
    else infinite++
  }
  // A typed array sorts numerically in native code, several times faster than Array#sort.
  const sorted = (used === n ? finite : finite.slice(0, used)).sort()
  let distinct = used > 0 ? 1 : 0
  for (let i = 1; i < used; i++) if (sorted[i] !== sorted[i - 1]) distinct++
  return { kind: 'prepared-sample', sorted, rows: n, missing, infinite, distinct }
}

function isPrepared(values: SampleInput): values is PreparedSample {
  return (values as PreparedSample).kind === 'prepared-sample'
}

/** Distinct values and their counts on each side, over the union of both sides' values. */
export interface ValueCounts {
  values: Float64Array
  reference: Float64Array
  current: Float64Array
}

/** Counts per distinct value (pandas value_counts over the union of keys), ascending. */
export function valueCounts(ref: PreparedSample, cur: PreparedSample): ValueCounts {
  const a = ref.sorted
  const b = cur.sorted
  const cap = ref.distinct + cur.distinct
  const values = new Float64Array(cap)
  const rc = new Float64Array(cap)
  const cc = new Float64Array(cap)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!
    let ci = 0
    let cj = 0
    while (i < a.length && a[i] === v) {
      i++
      ci++
    }
    while (j < b.length && b[j] === v) {
      j++
      cj++
    }
    values[k] = v
    rc[k] = ci
    cc[k] = cj
    k++
  }
  return { values: values.slice(0, k), reference: rc.slice(0, k), current: cc.slice(0, k) }
}
