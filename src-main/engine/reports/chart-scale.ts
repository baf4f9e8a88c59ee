import { formatFixed } from './format'

/**
 * Scales and round-number ticks for the report charts: 0, 0.5, 1 or 2, 4, 6, never 1.37 or 2.91.
 */

export interface Ticks {
  min: number
  max: number
  step: number
  values: number[]
  /** decimals that print every tick exactly */
  decimals: number
}

/** A "nice" step (1, 2 or 5 times a power of ten) near span / count. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1
  const raw = span / Math.max(1, count)
  const power = 10 ** Math.floor(Math.log10(raw))
  const f = raw / power
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
  return nice * power
}

/** Ticks covering [lo, hi] at a nice step, extended outwards to whole steps. */
export function niceTicks(lo: number, hi: number, count = 5): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0
    hi = 1
  }
  if (hi < lo) [lo, hi] = [hi, lo]
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1
    lo -= pad
    hi += pad
  }
  const step = niceStep(hi - lo, count)
  const min = Math.floor(lo / step + 1e-9) * step
  const max = Math.ceil(hi / step - 1e-9) * step
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
  const values: number[] = []
  for (let k = 0; min + k * step <= max + step * 1e-9; k++)
    values.push(Number((min + k * step).toFixed(decimals)))
  return { min, max, step, values, decimals }
}

export function tickLabel(value: number, ticks: Ticks): string {
  return formatFixed(value, ticks.decimals)
}

/** A linear map from [d0, d1] to [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0)
  return (v) => r0 + (v - d0) * k
}

/** Coordinates in SVG with two decimals at most, so files stay small and the same everywhere. */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100)
}

/** The finite minimum and maximum of some arrays (0, 1 when there is none). */
export function extent(...arrays: readonly (readonly number[])[]): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (const a of arrays)
    for (const v of a) {
      if (!Number.isFinite(v)) continue
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  return lo <= hi ? [lo, hi] : [0, 1]
}
