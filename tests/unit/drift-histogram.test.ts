import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { sharedHistogram } from '../../src-main/engine/drift/histogram'
import { SCIPY_PYTHON, normals } from '../drift-scipy'

/** numpy.histogram of each side over the given edges, as shares of its finite values. */
function numpyShares(edges: number[], sides: number[][]): number[][] {
  const script = `
import json, sys
import numpy as np
spec = json.load(sys.stdin)
out = []
for side in spec["sides"]:
    x = np.array([v for v in side if v is not None], dtype=float)
    x = x[np.isfinite(x)]
    counts, _ = np.histogram(x, bins=np.array(spec["edges"], dtype=float))
    out.append([repr(float(c) / len(x)) for c in counts])
print(json.dumps(out))
`
  const run = spawnSync(SCIPY_PYTHON, ['-c', script], {
    input: JSON.stringify({ edges, sides }),
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(run.stderr)
  return (JSON.parse(run.stdout) as string[][]).map((side) => side.map(Number))
}

describe('the overlay histogram of a drift check', () => {
  it('bins both sides over the same equal edges as numpy.histogram does', () => {
    const reference = normals(2000, 3, 1.5, 11)
    const current = normals(700, 4, 1, 12)
    const h = sharedHistogram(Float64Array.from(reference), Float64Array.from(current))
    const lo = Math.min(...reference, ...current)
    const hi = Math.max(...reference, ...current)
    // Rice's rule, 2 n^(1/3) bins, between 10 and 30: 2 * 2700^(1/3) = 27.8, so 28
    expect(h.edges).toHaveLength(29)
    expect(h.edges[0]).toBe(lo)
    expect(h.edges[28]).toBe(hi)
    const [r, c] = numpyShares(h.edges, [reference, current])
    h.reference.forEach((share, i) => expect(share).toBeCloseTo(r![i]!, 12))
    h.current.forEach((share, i) => expect(share).toBeCloseTo(c![i]!, 12))
  })

  it('gives counts a bar per value, and leaves missing values out', () => {
    // hbd-like counts: 0 to 3 in the reference, 2 to 5 now; NaN and Infinity are not values
    const h = sharedHistogram(
      Float32Array.of(0, 0, 1, 2, 3, NaN),
      Float64Array.of(2, 5, 5, Infinity),
    )
    expect(h.edges).toEqual([-0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5])
    expect(h.reference).toEqual([2 / 5, 1 / 5, 1 / 5, 1 / 5, 0, 0])
    expect(h.current).toEqual([0, 0, 1 / 3, 0, 0, 2 / 3])
  })

  it('has a single bar for one value, and nothing for no value', () => {
    expect(sharedHistogram([1.5, 1.5], [1.5])).toEqual({
      edges: [1, 2],
      reference: [1],
      current: [1],
    })
    expect(sharedHistogram([NaN], [])).toEqual({ edges: [], reference: [], current: [] })
  })
})
