import { ranks } from './regression-metrics'
import type { Rng } from './rng'

/**
 * A Gaussian copula: each variable's own distribution (as quantiles) joined by the correlation of
 * their normal scores. Fitted to real data, it reproduces every marginal and the rank
 * relationships between variables, without copying a single real row.
 */
export interface GaussianCopula {
  variables: string[]
  /** per variable: values at probabilities 0, 1/(k-1), ..., 1 */
  quantiles: number[][]
  /** correlation matrix of the normal scores, row-major */
  correlation: number[][]
}

/** Standard normal CDF (Abramowitz & Stegun 26.2.17, |error| < 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z))
  const poly =
    t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
  const tail = (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)) * poly
  return z >= 0 ? 1 - tail : tail
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ]
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const lo = 0.02425
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  if (p < lo || p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(p < lo ? p : 1 - p))
    const v =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    return p < lo ? v : -v
  }
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  )
}

/** Fits a copula to complete rows (columns = variables). */
export function fitCopula(
  variables: string[],
  columns: number[][],
  quantileCount = 101,
): GaussianCopula {
  const n = columns[0]?.length ?? 0
  const quantiles = columns.map((col) => {
    const sorted = [...col].sort((x, y) => x - y)
    return Array.from({ length: quantileCount }, (_, k) => {
      const pos = (k / (quantileCount - 1)) * (n - 1)
      const i = Math.floor(pos)
      const frac = pos - i
      return sorted[i]! + (i + 1 < n ? (sorted[i + 1]! - sorted[i]!) * frac : 0)
    })
  })
  const scores = columns.map((col) => Array.from(ranks(col), (r) => normalQuantile(r / (n + 1))))
  const correlation = scores.map((a) =>
    scores.map((b) => {
      let ab = 0
      let aa = 0
      let bb = 0
      for (let i = 0; i < n; i++) {
        ab += a[i]! * b[i]!
        aa += a[i]! * a[i]!
        bb += b[i]! * b[i]!
      }
      return ab / Math.sqrt(aa * bb)
    }),
  )
  return { variables, quantiles, correlation }
}

/** Lower-triangular L with L L' = m (m symmetric positive definite). */
export function cholesky(m: number[][]): number[][] {
  const k = m.length
  const l = m.map(() => new Array<number>(k).fill(0))
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i]![j]!
      for (let t = 0; t < j; t++) s -= l[i]![t]! * l[j]![t]!
      l[i]![j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j]![j]!
    }
  }
  return l
}

/** n rows drawn from the copula; each row has one value per variable. */
export function sampleCopula(copula: GaussianCopula, n: number, rng: Rng): number[][] {
  const l = cholesky(copula.correlation)
  const k = copula.variables.length
  const gaussian = () => {
    // Box-Muller; 1 - next() keeps the logarithm finite
    const u = 1 - rng.next()
    const v = rng.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }
  const rows: number[][] = []
  for (let r = 0; r < n; r++) {
    const z = Array.from({ length: k }, gaussian)
    rows.push(
      copula.quantiles.map((q, i) => {
        let s = 0
        for (let t = 0; t <= i; t++) s += l[i]![t]! * z[t]!
        const pos = normalCdf(s) * (q.length - 1)
        const j = Math.min(q.length - 2, Math.floor(pos))
        return q[j]! + (q[j + 1]! - q[j]!) * (pos - j)
      }),
    )
  }
  return rows
}

/**
 * y ≈ mean + sum of one step function per variable (16 quantile bins each), fitted by
 * backfitting, with the residual spread. It carries the features' real, non-linear effect on
 * potency into generated data, which a copula's correlations alone would flatten to nearly
 * nothing.
 */
export interface AdditiveModel {
  mean: number
  /** per variable: upper bin edges (the last bin is open) and the effect of each bin */
  terms: { edges: number[]; effects: number[] }[]
  residualSd: number
}

function binIndex(edges: number[], v: number): number {
  let b = 0
  while (b < edges.length && v > edges[b]!) b++
  return b
}

export function fitAdditive(
  columns: number[][],
  y: number[],
  bins = 16,
  rounds = 20,
): AdditiveModel {
  const n = y.length
  const mean = y.reduce((s, v) => s + v, 0) / n
  const terms = columns.map((col) => {
    const sorted = [...col].sort((a, b) => a - b)
    const edges: number[] = []
    for (let k = 1; k < bins; k++) {
      const e = sorted[Math.floor((k * n) / bins)]!
      if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e)
    }
    return { edges, effects: new Array<number>(edges.length + 1).fill(0) }
  })
  const binOf = columns.map((col, j) => col.map((v) => binIndex(terms[j]!.edges, v)))
  const fitted = new Array<number>(n).fill(mean)
  for (let round = 0; round < rounds; round++) {
    terms.forEach((term, j) => {
      const sum = new Array<number>(term.effects.length).fill(0)
      const count = new Array<number>(term.effects.length).fill(0)
      for (let i = 0; i < n; i++) {
        const b = binOf[j]![i]!
        sum[b]! += y[i]! - fitted[i]! + term.effects[b]!
        count[b]!++
      }
      const next = sum.map((s, b) => (count[b]! > 0 ? s / count[b]! : 0))
      const centre = next.reduce((s, v, b) => s + v * count[b]!, 0) / n
      for (let i = 0; i < n; i++) {
        const b = binOf[j]![i]!
        fitted[i]! += next[b]! - centre - term.effects[b]!
      }
      term.effects = next.map((v) => v - centre)
    })
  }
  let ss = 0
  for (let i = 0; i < n; i++) ss += (y[i]! - fitted[i]!) ** 2
  return { mean, terms, residualSd: Math.sqrt(ss / n) }
}

export function additiveValue(model: AdditiveModel, row: number[]): number {
  let v = model.mean
  model.terms.forEach((t, j) => {
    v += t.effects[binIndex(t.edges, row[j]!)]!
  })
  return v
}
