import { describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src-main/engine/workers/pool'
import { nearestNeighbours } from '../../src-main/ml/drift/nearest-neighbours'
import { createRng } from '../../src-main/ml/rng'
import { WORKER_SOURCE } from '../helpers'

/** `rows` random fingerprints of 256 bytes in shared memory, about `density` of bits set. */
function fingerprints(rows: number, seed: number, density: number): Uint8Array {
  const rng = createRng(seed)
  const out = new Uint8Array(new SharedArrayBuffer(rows * 256))
  for (let i = 0; i < out.length * 8; i++) if (rng.next() < density) out[i >> 3]! |= 1 << (i & 7)
  return out
}

describe('the nearestNeighbourChunk worker task', () => {
  it('two workers on two halves give the single-thread answer, with progress', async () => {
    const training = fingerprints(1500, 1, 0.03)
    const query = fingerprints(900, 2, 0.03)
    const pool = new WorkerPool(WORKER_SOURCE, 2)
    try {
      const progress: { done: number; total: number }[] = []
      const halves = await Promise.all(
        [
          [0, 450],
          [450, 900],
        ].map(([start, end]) =>
          pool.run(
            'nearestNeighbourChunk',
            { query, training, bytes: 256, start: start!, end: end!, leaveOneOut: false },
            { onProgress: (p) => progress.push(p) },
          ),
        ),
      )
      const whole = nearestNeighbours(query, training, 256)
      expect(halves.map((h) => [h.start, h.end])).toEqual([
        [0, 450],
        [450, 900],
      ])
      expect([...halves[0]!.similarity, ...halves[1]!.similarity]).toEqual([...whole.similarity])
      expect([...halves[0]!.index, ...halves[1]!.index]).toEqual([...whole.index])
      // each range reports its end
      expect(progress.filter((p) => p.done === p.total && p.total === 450)).toHaveLength(2)

      const loo = await pool.run('nearestNeighbourChunk', {
        query: training,
        training,
        bytes: 256,
        start: 1000,
        end: 1500,
        leaveOneOut: true,
      })
      const direct = nearestNeighbours(training, training, 256, { leaveOneOut: true })
      expect([...loo.index]).toEqual([...direct.index.subarray(1000, 1500)])
      expect([...loo.similarity]).toEqual([...direct.similarity.subarray(1000, 1500)])
    } finally {
      await pool.close()
    }
  }, 60_000)

  it('a bad range is an error from the task, not a crash of the pool', async () => {
    const pool = new WorkerPool(WORKER_SOURCE, 1)
    try {
      const fp = fingerprints(10, 3, 0.05)
      await expect(
        pool.run('nearestNeighbourChunk', {
          query: fp,
          training: fp,
          bytes: 256,
          start: 5,
          end: 20,
          leaveOneOut: false,
        }),
      ).rejects.toThrow(/not within/)
      const ok = await pool.run('nearestNeighbourChunk', {
        query: fp,
        training: fp,
        bytes: 256,
        start: 0,
        end: 10,
        leaveOneOut: true,
      })
      expect(ok.index).toHaveLength(10)
    } finally {
      await pool.close()
    }
  }, 60_000)
})
