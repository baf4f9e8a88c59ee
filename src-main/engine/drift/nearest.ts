import type { EngineContext } from '../context'

/** Morgan radius 2, 2048 bits, as the importer stores them */
export const FINGERPRINT_BYTES = 256

export interface NearestSimilarities {
  /** per query row: the highest Tanimoto similarity to a training row (NaN with none) */
  similarity: Float64Array
  /** per query row: the training row it is most similar to (-1 with none) */
  index: Int32Array
}

/**
 * Each query fingerprint's nearest training fingerprint, the query rows split evenly over the
 * worker pool so both cores share the search and the engine's thread stays free. The one place
 * a drift check searches neighbours, so a faster search replaces it here alone.
 */
export async function nearestTrainingSimilarities(
  ctx: EngineContext,
  query: Uint8Array,
  training: Uint8Array,
  options: {
    leaveOneOut: boolean
    signal?: AbortSignal
    /** query rows done of all, summed over the workers */
    onProgress?: (done: number, total: number) => void
  },
): Promise<NearestSimilarities> {
  const rows = query.length / FINGERPRINT_BYTES
  const similarity = new Float64Array(rows).fill(NaN)
  const index = new Int32Array(rows).fill(-1)
  if (rows === 0 || training.length === 0) return { similarity, index }
  const parts = Math.max(1, Math.min(ctx.pool.size, rows))
  const ranges = Array.from({ length: parts }, (_, k) => [
    Math.floor((rows * k) / parts),
    Math.floor((rows * (k + 1)) / parts),
  ])
  // one copy each in shared memory: every worker reads them without a copy of its own
  const shared = (a: Uint8Array) => {
    const s = new Uint8Array(new SharedArrayBuffer(a.byteLength))
    s.set(a)
    return s
  }
  const sharedTraining = shared(training)
  const sharedQuery = query === training ? sharedTraining : shared(query)
  const done = ranges.map(() => 0)
  const results = await Promise.all(
    ranges.map(([start, end], k) =>
      ctx.pool.run(
        'nearestNeighbourChunk',
        {
          query: sharedQuery,
          training: sharedTraining,
          bytes: FINGERPRINT_BYTES,
          leaveOneOut: options.leaveOneOut,
          start: start as number,
          end: end as number,
        },
        {
          signal: options.signal,
          onProgress: (p) => {
            done[k] = p.done
            options.onProgress?.(
              done.reduce((a, b) => a + b, 0),
              rows,
            )
          },
        },
      ),
    ),
  )
  results.forEach((r, k) => {
    const start = ranges[k]?.[0] as number
    similarity.set(r.similarity, start)
    index.set(r.index, start)
  })
  return { similarity, index }
}
