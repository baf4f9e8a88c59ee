import type { Dataset } from './dataset'
import type { LinearModel } from './model'

export interface RidgeParams {
  /** L2 penalty on the standardised coefficients */
  lambda: number
}

export const RIDGE_DEFAULTS: RidgeParams = { lambda: 10 }

/**
 * Ridge regression on standardised features, missing values imputed with the feature mean. Solved
 * by conjugate gradients on (Z'Z + lambda I) b = Z'(y - mean y) using only the nonzero entries of
 * X, so a 2048-bit fingerprint (mostly zeros) costs little more than a few descriptors; a
 * dense F x F factorisation would take seconds at that width.
 */
export function fitRidge(data: Dataset, params: RidgeParams): LinearModel {
  const { n, f, x } = data
  const mean = new Float64Array(f)
  const present = new Float64Array(f)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) {
      const v = x[i * f + j]!
      if (!Number.isNaN(v)) {
        mean[j]! += v
        present[j]!++
      }
    }
  }
  for (let j = 0; j < f; j++) mean[j] = present[j]! > 0 ? mean[j]! / present[j]! : 0
  // Sparse rows of the imputed matrix (column index, value), zeros left out.
  const rowStart = new Int32Array(n + 1)
  const cols: number[] = []
  const vals: number[] = []
  const sq = new Float64Array(f)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) {
      let v = x[i * f + j]!
      if (Number.isNaN(v)) v = mean[j]!
      if (v !== 0) {
        cols.push(j)
        vals.push(v)
      }
      const d = v - mean[j]!
      sq[j]! += d * d
    }
    rowStart[i + 1] = cols.length
  }
  const colIdx = Int32Array.from(cols)
  const value = Float64Array.from(vals)
  const scale = Float64Array.from(sq, (s) => {
    const sd = Math.sqrt(s / Math.max(1, n))
    return sd > 1e-12 ? sd : 1
  })
  let yMean = 0
  for (let i = 0; i < n; i++) yMean += data.y[i]!
  yMean = n > 0 ? yMean / n : 0

  // Z v = X (v / scale) - (mean . v / scale); Z' u = (X' u - mean * sum(u)) / scale
  const u = new Float64Array(n)
  const zv = (v: Float64Array, out: Float64Array) => {
    let shift = 0
    const w = new Float64Array(f)
    for (let j = 0; j < f; j++) {
      w[j] = v[j]! / scale[j]!
      shift += mean[j]! * w[j]!
    }
    for (let i = 0; i < n; i++) {
      let s = -shift
      for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) s += value[k]! * w[colIdx[k]!]!
      out[i] = s
    }
  }
  const ztu = (uu: Float64Array, out: Float64Array) => {
    out.fill(0)
    let total = 0
    for (let i = 0; i < n; i++) {
      const ui = uu[i]!
      total += ui
      for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) out[colIdx[k]!]! += value[k]! * ui
    }
    for (let j = 0; j < f; j++) out[j] = (out[j]! - mean[j]! * total) / scale[j]!
  }
  const apply = (v: Float64Array, out: Float64Array) => {
    zv(v, u)
    ztu(u, out)
    for (let j = 0; j < f; j++) out[j]! += params.lambda * v[j]!
  }

  const centred = Float64Array.from(data.y, (y) => y - yMean)
  const b = new Float64Array(f)
  ztu(centred, b)
  const coef = conjugateGradient(apply, b, f)
  return { kind: 'linear', f, mean, scale, coef, intercept: yMean }
}

/** Solves A x = b for a symmetric positive definite A given as a product. */
function conjugateGradient(
  apply: (v: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  f: number,
): Float64Array {
  const xk = new Float64Array(f)
  const r = Float64Array.from(b)
  const p = Float64Array.from(b)
  const ap = new Float64Array(f)
  let rr = dot(r, r)
  const stop = Math.max(1e-30, rr * 1e-24)
  for (let it = 0; it < Math.max(50, 4 * f) && rr > stop; it++) {
    apply(p, ap)
    const alpha = rr / dot(p, ap)
    for (let j = 0; j < f; j++) {
      xk[j]! += alpha * p[j]!
      r[j]! -= alpha * ap[j]!
    }
    const next = dot(r, r)
    const beta = next / rr
    rr = next
    for (let j = 0; j < f; j++) p[j] = r[j]! + beta * p[j]!
  }
  return xk
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}
