import type { DriftHistogram } from '../../contract/drift'

/** The most bins a histogram gets: enough to show a shape, few enough to read as bars. */
export const MAX_BINS = 30

function finiteRange(values: ArrayLike<number>[]): { lo: number; hi: number; n: number } {
  let lo = Infinity
  let hi = -Infinity
  let n = 0
  for (const side of values)
    for (let i = 0; i < side.length; i++) {
      const v = side[i] as number
      if (v - v !== 0) continue
      n++
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  return { lo, hi, n }
}

function allIntegers(values: ArrayLike<number>[]): boolean {
  for (const side of values)
    for (let i = 0; i < side.length; i++) {
      const v = side[i] as number
      if (v - v === 0 && !Number.isInteger(v)) return false
    }
  return true
}

function shares(values: ArrayLike<number>, edges: number[]): number[] {
  const bins = edges.length - 1
  const counts = new Array<number>(bins).fill(0)
  const lo = edges[0] as number
  const hi = edges[bins] as number
  const width = (hi - lo) / bins
  let n = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (v - v !== 0) continue
    n++
    // the last bin includes its upper edge, as numpy.histogram
    let b = Math.floor((v - lo) / width)
    if (b >= bins) b = bins - 1
    if (b < 0) b = 0
    // floating point can put a value on an edge one bin off: settle it by the edges themselves
    while (b > 0 && v < (edges[b] as number)) b--
    while (b < bins - 1 && v >= (edges[b + 1] as number)) b++
    counts[b] = (counts[b] as number) + 1
  }
  return n === 0 ? counts : counts.map((c) => c / n)
}

/**
 * Reference and current shares over the same edges, so a screen can overlay them: one bin per
 * integer when both sides hold only integers over at most {@link MAX_BINS} values (counts such as
 * HBA), else equal bins over both sides' range (Rice's rule, 10 to 30 bins). Missing and infinite
 * values are left out; a side without a finite value has all shares 0.
 */
export function sharedHistogram(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): DriftHistogram {
  const { lo, hi, n } = finiteRange([reference, current])
  if (n === 0) return { edges: [], reference: [], current: [] }
  let edges: number[]
  if (allIntegers([reference, current]) && hi - lo + 1 <= MAX_BINS) {
    edges = Array.from({ length: hi - lo + 2 }, (_, i) => lo - 0.5 + i)
  } else if (lo === hi) {
    edges = [lo - 0.5, lo + 0.5]
  } else {
    const bins = Math.max(10, Math.min(MAX_BINS, Math.ceil(2 * Math.cbrt(n))))
    edges = Array.from({ length: bins + 1 }, (_, i) =>
      i === bins ? hi : lo + ((hi - lo) * i) / bins,
    )
  }
  return { edges, reference: shares(reference, edges), current: shares(current, edges) }
}
