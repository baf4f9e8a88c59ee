export interface RegressionMetrics {
  rmse: number
  mae: number
  r2: number
  spearman: number
  n: number
}

/** Metrics over the rows where both values are finite. */
export function regressionMetrics(observed: ArrayLike<number>, predicted: ArrayLike<number>) {
  const o: number[] = []
  const p: number[] = []
  for (let i = 0; i < observed.length; i++) {
    if (Number.isFinite(observed[i]) && Number.isFinite(predicted[i])) {
      o.push(observed[i]!)
      p.push(predicted[i]!)
    }
  }
  const n = o.length
  let se = 0
  let ae = 0
  let mean = 0
  for (let i = 0; i < n; i++) {
    const e = p[i]! - o[i]!
    se += e * e
    ae += Math.abs(e)
    mean += o[i]!
  }
  mean /= n
  let tss = 0
  for (let i = 0; i < n; i++) tss += (o[i]! - mean) ** 2
  return {
    rmse: Math.sqrt(se / n),
    mae: ae / n,
    r2: tss > 0 ? 1 - se / tss : NaN,
    spearman: pearson(ranks(o), ranks(p)),
    n,
  } satisfies RegressionMetrics
}

/** Ranks from 1, ties sharing their average rank. */
export function ranks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!)
  const out = new Float64Array(values.length)
  let i = 0
  while (i < order.length) {
    let j = i
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) out[order[k]!] = rank
    i = j + 1
  }
  return out
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i]!
    mb += b[i]!
  }
  ma /= n
  mb /= n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma
    const db = b[i]! - mb
    sab += da * db
    saa += da * da
    sbb += db * db
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN
}

export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort()
  if (s.length === 0) return NaN
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
