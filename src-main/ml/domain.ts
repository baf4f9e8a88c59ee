import type { Matrix } from './dataset'
import { createRng, sampleWithoutReplacement } from './rng'

/**
 * What the model needs to say a compound is unlike its training data: each feature's range, and
 * the distance to the nearest training compound in standardised feature space compared with how
 * far training compounds are from their own nearest neighbours (95th percentile).
 */
export interface DomainModel {
  /** columns of the feature matrix the distance uses (fingerprint bits are left out) */
  columns: number[]
  mean: number[]
  scale: number[]
  min: number[]
  max: number[]
  /** reference points, standardised, row-major over `columns`, as base64 float32 */
  points: string
  pointCount: number
  /** nearest-neighbour distances above this are outside the domain */
  threshold: number
}

export interface DomainCheck {
  inDomain: boolean
  distance: number
  /** column indices (into the full feature row) outside the training range */
  outOfRange: number[]
}

const MAX_POINTS = 1500

export function fitDomain(m: Matrix, columns: number[], seed = 1): DomainModel {
  const c = columns.length
  const mean = new Array<number>(c).fill(0)
  const scale = new Array<number>(c).fill(1)
  const min = new Array<number>(c).fill(Infinity)
  const max = new Array<number>(c).fill(-Infinity)
  columns.forEach((j, k) => {
    let s = 0
    let s2 = 0
    let count = 0
    for (let i = 0; i < m.n; i++) {
      const v = m.x[i * m.f + j]!
      if (Number.isNaN(v)) continue
      s += v
      s2 += v * v
      count++
      if (v < min[k]!) min[k] = v
      if (v > max[k]!) max[k] = v
    }
    mean[k] = count ? s / count : 0
    const sd = count ? Math.sqrt(Math.max(0, s2 / count - mean[k]! ** 2)) : 0
    scale[k] = sd > 1e-9 ? sd : 1
  })
  const rows = sampleWithoutReplacement(m.n, Math.min(m.n, MAX_POINTS), createRng(seed))
  const unsorted = new Float32Array(rows.length * c)
  rows.forEach((r, i) => {
    columns.forEach((j, k) => {
      const v = m.x[r * m.f + j]!
      unsorted[i * c + k] = Number.isNaN(v) ? 0 : (v - mean[k]!) / scale[k]!
    })
  })
  // sorted by the first coordinate, so a search can stop once that coordinate alone is too far
  const order = Array.from(rows, (_, i) => i).sort((a, b) => unsorted[a * c]! - unsorted[b * c]!)
  const points = new Float32Array(rows.length * c)
  order.forEach((from, to) => points.set(unsorted.subarray(from * c, (from + 1) * c), to * c))
  // leave-one-out nearest-neighbour distances within the reference points
  const nn: number[] = []
  for (let i = 0; i < rows.length; i++) {
    nn.push(nearest(points, rows.length, c, points.subarray(i * c, (i + 1) * c), i))
  }
  nn.sort((a, b) => a - b)
  const threshold = nn.length ? nn[Math.min(nn.length - 1, Math.floor(nn.length * 0.95))]! : 0
  return {
    columns,
    mean,
    scale,
    min: min.map((v) => (Number.isFinite(v) ? v : 0)),
    max: max.map((v) => (Number.isFinite(v) ? v : 0)),
    points: Buffer.from(points.buffer, points.byteOffset, points.byteLength).toString('base64'),
    pointCount: rows.length,
    threshold,
  }
}

/** Distance from q to the nearest point (skipping index `skip`); points sorted by coordinate 0. */
function nearest(points: Float32Array, count: number, c: number, q: ArrayLike<number>, skip = -1) {
  if (count === 0 || c === 0) return Infinity
  const q0 = q[0]!
  let lo = 0
  let hi = count
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (points[mid * c]! < q0) lo = mid + 1
    else hi = mid
  }
  let best = Infinity
  const visit = (i: number): void => {
    if (i === skip) return
    let d = 0
    for (let k = 0; k < c && d < best; k++) {
      const e = points[i * c + k]! - q[k]!
      d += e * e
    }
    if (d < best) best = d
  }
  // walk outwards from q's place in the order until the first coordinate alone is farther than the best
  for (let i = lo, j = lo - 1; i < count || j >= 0;) {
    const di = i < count ? points[i * c]! - q0 : Infinity
    const dj = j >= 0 ? q0 - points[j * c]! : Infinity
    if (Math.min(di, dj) ** 2 >= best) break
    if (di <= dj) visit(i++)
    else visit(j--)
  }
  return Math.sqrt(best)
}

/** A checker for many rows that decodes the reference points once. */
export function domainChecker(domain: DomainModel): (row: ArrayLike<number>) => DomainCheck {
  const buf = Buffer.from(domain.points, 'base64')
  const points = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
  const c = domain.columns.length
  const q = new Float64Array(c)
  return (row) => {
    const outOfRange: number[] = []
    domain.columns.forEach((j, k) => {
      const v = row[j]!
      if (Number.isNaN(v)) {
        q[k] = 0
        return
      }
      if (v < domain.min[k]! || v > domain.max[k]!) outOfRange.push(j)
      q[k] = (v - domain.mean[k]!) / domain.scale[k]!
    })
    const distance = nearest(points, domain.pointCount, c, q)
    return {
      inDomain: outOfRange.length === 0 && distance <= domain.threshold,
      distance,
      outOfRange,
    }
  }
}
