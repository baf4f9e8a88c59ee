/**
 * Nearest-neighbour Tanimoto similarity of packed bit fingerprints: for each query row, the most
 * similar training row. Pure and single-threaded; the engine splits the query rows across workers.
 */
import { tanimoto } from '../../chem/tanimoto'

export interface NearestNeighbours {
  /** per query row: the highest Tanimoto similarity to a training row (NaN with no training row) */
  similarity: Float64Array
  /** per query row: the training row it is most similar to (-1 with none) */
  index: Int32Array
}

/**
 * `query` and `training` hold `bytes` bytes a row. With `leaveOneOut`, query row i is training
 * row i (the same set) and is not its own neighbour. `start`/`end` pick query rows (for splitting).
 */
export function nearestNeighbours(
  query: Uint8Array,
  training: Uint8Array,
  bytes: number,
  options: { leaveOneOut?: boolean; start?: number; end?: number } = {},
): NearestNeighbours {
  const nq = query.length / bytes
  const nt = training.length / bytes
  const start = options.start ?? 0
  const end = options.end ?? nq
  const similarity = new Float64Array(end - start).fill(NaN)
  const index = new Int32Array(end - start).fill(-1)
  for (let i = start; i < end; i++) {
    const q = query.subarray(i * bytes, (i + 1) * bytes)
    let best = -1
    let at = -1
    for (let j = 0; j < nt; j++) {
      if (options.leaveOneOut && j === i) continue
      const s = tanimoto(q, training.subarray(j * bytes, (j + 1) * bytes))
      if (s > best) {
        best = s
        at = j
      }
    }
    if (at >= 0) {
      similarity[i - start] = best
      index[i - start] = at
    }
  }
  return { similarity, index }
}
