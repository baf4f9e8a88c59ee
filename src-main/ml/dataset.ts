/**
 * A numeric design matrix: `n` rows of `f` float32 features, row-major, NaN for missing. Labels are
 * float64. Every learner takes and returns these plain typed arrays, never database rows.
 */
export interface Matrix {
  readonly n: number
  readonly f: number
  readonly x: Float32Array
}

export interface Dataset extends Matrix {
  readonly y: Float64Array
}

/** Rows `rows` of a matrix (and its labels), copied in that order. */
export function takeRows<T extends Matrix>(m: T, rows: ArrayLike<number>): Matrix {
  const x = new Float32Array(rows.length * m.f)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    x.set(m.x.subarray(r * m.f, (r + 1) * m.f), i * m.f)
  }
  return { n: rows.length, f: m.f, x }
}

export function takeDataset(d: Dataset, rows: ArrayLike<number>): Dataset {
  const y = new Float64Array(rows.length)
  for (let i = 0; i < rows.length; i++) y[i] = d.y[rows[i]!]!
  return { ...takeRows(d, rows), y }
}
