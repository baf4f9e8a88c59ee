/** Contiguous chunks of near-equal size, one per worker, so results concatenate back in input order. */
export function splitEvenly<T>(items: T[], parts: number): T[][] {
  const n = Math.max(1, Math.min(parts, items.length))
  return Array.from({ length: n }, (_, i) =>
    items.slice(Math.floor((i * items.length) / n), Math.floor(((i + 1) * items.length) / n)),
  )
}
