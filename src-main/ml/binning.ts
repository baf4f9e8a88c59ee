import type { Matrix } from './dataset'
import { createRng, sampleWithoutReplacement } from './rng'

/** Bins per feature for present values; the missing bin comes after them. */
export const MAX_BINS = 255
/**
 * Bins when the caller does not say: about 20 rows per bin on average, between 32 and 255. On a
 * few thousand compounds, 255 bins hold a handful of rows each: their extra split points mostly
 * fit noise, and every histogram a tree builds, subtracts and scans is larger for them
 * (measured on aromatase: 74 bins fit in 0.6-0.8 of the time with the same CV RMSE +-0.01).
 */
export function autoBins(rows: number): number {
  return Math.max(32, Math.min(MAX_BINS, Math.floor(rows / 20)))
}

/** Quantiles are computed on at most this many rows (DESIGN.md section 6). */
export const BIN_SAMPLE_ROWS = 200_000

/**
 * How each feature's float32 values map to bins. `thresholds[j]` is increasing; a value v goes to
 * the first bin b with v <= thresholds[j][b], else to the last present bin. NaN goes to the
 * feature's missing bin, `bins[j]`. A tree that splits feature j after bin b therefore compares
 * v <= thresholds[j][b], exactly what ONNX Runtime's BRANCH_LEQ does in float32, so every row is
 * routed at inference as it was in training.
 */
export interface BinMapper {
  readonly thresholds: Float32Array[]
  /** present bins per feature (thresholds.length + 1) */
  readonly bins: Int32Array
  /** where feature j's bins start in a histogram (each feature has bins[j] + 1 slots) */
  readonly offsets: Int32Array
  /** total histogram slots */
  readonly slots: number
}

export function fitBins(m: Matrix, seed = 0, maxBins = MAX_BINS): BinMapper {
  const rows =
    m.n > BIN_SAMPLE_ROWS
      ? sampleWithoutReplacement(m.n, BIN_SAMPLE_ROWS, createRng(seed ^ 0x5bd1e995))
      : null
  const count = rows ? rows.length : m.n
  const values = new Float32Array(count)
  const thresholds: Float32Array[] = []
  for (let j = 0; j < m.f; j++) {
    let k = 0
    for (let i = 0; i < count; i++) {
      const v = m.x[(rows ? rows[i]! : i) * m.f + j]!
      if (!Number.isNaN(v)) values[k++] = v
    }
    thresholds.push(quantileThresholds(values.subarray(0, k).sort(), maxBins))
  }
  const bins = Int32Array.from(thresholds, (t) => t.length + 1)
  const offsets = new Int32Array(m.f)
  let slots = 0
  for (let j = 0; j < m.f; j++) {
    offsets[j] = slots
    slots += bins[j]! + 1
  }
  return { thresholds, bins, offsets, slots }
}

/**
 * Split points between the distinct values of a sorted sample: every distinct value when there
 * are few, else values at evenly spaced ranks. Each threshold is itself a sample value, the
 * largest value of its bin, so left <= t < right holds in float32.
 */
function quantileThresholds(sorted: Float32Array, maxBins: number): Float32Array {
  const distinct: number[] = []
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!)
  }
  if (distinct.length <= maxBins) return Float32Array.from(distinct.slice(0, -1))
  const out: number[] = []
  for (let b = 1; b < maxBins; b++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / maxBins) - 1)]!
    if (v !== sorted[sorted.length - 1] && (out.length === 0 || v > out[out.length - 1]!))
      out.push(v)
  }
  return Float32Array.from(out)
}

/** The bin of one value: NaN to the missing bin, else the first bin whose threshold is >= v. */
export function binOf(mapper: BinMapper, j: number, v: number): number {
  const t = mapper.thresholds[j]!
  if (Number.isNaN(v)) return mapper.bins[j]!
  let lo = 0
  let hi = t.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (v <= t[mid]!) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** A feature whose most common bin holds at least this share of rows is stored sparse. */
export const SPARSE_SHARE = 0.8

/**
 * A binned matrix. Dense features keep one byte per row (row-major over `dense`). A feature
 * where one bin dominates (fingerprint bits, rare counts) is stored sparse: only the rows whose
 * bin differs from its default bin are listed, so a 2048-bit fingerprint with ~40 bits set costs
 * ~40 entries per row instead of 2048, in memory and in every histogram.
 */
export interface Binned {
  n: number
  f: number
  /** dense feature ids, increasing */
  dense: Int32Array
  denseBins: Uint8Array
  /** feature j's column among the dense ones, or -1 for a sparse feature */
  denseIndex: Int32Array
  /** sparse feature ids, increasing */
  sparse: Int32Array
  /** the bin a sparse feature has unless listed; -1 for dense features */
  defaultBin: Int32Array
  /** row i's listed entries are sparseStart[i] .. sparseStart[i + 1], increasing by feature */
  sparseStart: Int32Array
  sparseFeature: Int32Array
  sparseBin: Uint8Array
}

export function applyBins(mapper: BinMapper, m: Matrix): Binned {
  const { n, f } = m
  const bins = new Uint8Array(n * f)
  for (let i = 0; i < n; i++) {
    const base = i * f
    for (let j = 0; j < f; j++) bins[base + j] = binOf(mapper, j, m.x[base + j]!)
  }
  // choose dense or sparse per feature by the share of its most common bin
  const defaultBin = new Int32Array(f).fill(-1)
  const counts = new Int32Array(256)
  for (let j = 0; j < f; j++) {
    counts.fill(0)
    for (let i = 0; i < n; i++) counts[bins[i * f + j]!]!++
    let best = 0
    for (let b = 1; b < 256; b++) if (counts[b]! > counts[best]!) best = b
    if (n > 0 && counts[best]! >= SPARSE_SHARE * n) defaultBin[j] = best
  }
  const dense: number[] = []
  const sparse: number[] = []
  const denseIndex = new Int32Array(f).fill(-1)
  for (let j = 0; j < f; j++) {
    if (defaultBin[j] === -1) {
      denseIndex[j] = dense.length
      dense.push(j)
    } else sparse.push(j)
  }
  const nd = dense.length
  const denseBins = new Uint8Array(n * nd)
  const sparseStart = new Int32Array(n + 1)
  const sf: number[] = []
  const sb: number[] = []
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < nd; k++) denseBins[i * nd + k] = bins[i * f + dense[k]!]!
    for (const j of sparse) {
      const b = bins[i * f + j]!
      if (b !== defaultBin[j]) {
        sf.push(j)
        sb.push(b)
      }
    }
    sparseStart[i + 1] = sf.length
  }
  return {
    n,
    f,
    dense: Int32Array.from(dense),
    denseBins,
    denseIndex,
    sparse: Int32Array.from(sparse),
    defaultBin,
    sparseStart,
    sparseFeature: Int32Array.from(sf),
    sparseBin: Uint8Array.from(sb),
  }
}

/** The bin of row i's feature j. */
export function binAt(b: Binned, i: number, j: number): number {
  const k = b.denseIndex[j]!
  if (k >= 0) return b.denseBins[i * b.dense.length + k]!
  for (let e = b.sparseStart[i]!; e < b.sparseStart[i + 1]!; e++) {
    const fj = b.sparseFeature[e]!
    if (fj === j) return b.sparseBin[e]!
    if (fj > j) break
  }
  return b.defaultBin[j]!
}
