/**
 * Nearest-neighbour Tanimoto similarity of packed bit fingerprints: for each query row, the most
 * similar training row. Pure and single-threaded; the engine splits the query rows across workers
 * (the worker task `nearestNeighbourChunk`).
 *
 * Fast by construction: fingerprints are read as 32-bit words (a Morgan 2048-bit fingerprint is 64
 * words), bits are counted without tables or loops (SWAR popcount), every training row's bit count
 * is counted once, and a training row is skipped when even a perfect overlap could not beat the
 * best similarity found so far (Tanimoto <= min(|A|, |B|) / max(|A|, |B|), Swamidass and Baldi
 * 2007). No array is allocated per pair. Similarities are common / union of whole numbers, the
 * same division RDKit's TanimotoSimilarity does, so they equal RDKit's bit for bit.
 */

export interface NearestNeighbours {
  /** per query row: the highest Tanimoto similarity to a training row (NaN with no training row) */
  similarity: Float64Array
  /** per query row: the training row it is most similar to (-1 with none); ties: the lowest row */
  index: Int32Array
}

export interface NearestNeighbourOptions {
  /** query row i is training row i (the same set), which is then not its own neighbour */
  leaveOneOut?: boolean
  /** the query rows to do: start (inclusive) to end (exclusive); default all */
  start?: number
  end?: number
  /** called with the query rows done so far (of end - start), at most every `progressEvery` rows */
  onProgress?: (done: number) => void
  progressEvery?: number
  /**
   * Skip training rows whose bit counts alone rule them out (default true). The answer is the
   * same either way; false computes every pair (for measuring the bound's gain).
   */
  prune?: boolean
}

/** Set bits of a 32-bit word. */
function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

/** The rows as 32-bit words, `words` a row, zero-padded; a view when the bytes allow one. */
function asWords(bytes: Uint8Array, rowBytes: number, words: number): Uint32Array {
  const rows = bytes.length / rowBytes
  if (rowBytes === words * 4 && bytes.byteOffset % 4 === 0)
    return new Uint32Array(bytes.buffer, bytes.byteOffset, rows * words)
  const out = new Uint32Array(rows * words)
  const view = new Uint8Array(out.buffer)
  for (let r = 0; r < rows; r++)
    view.set(bytes.subarray(r * rowBytes, (r + 1) * rowBytes), r * words * 4)
  return out
}

/**
 * `query` and `training` hold `bytes` bytes a row. With `leaveOneOut`, query row i is training
 * row i and is not its own neighbour. `start`/`end` pick query rows (for splitting); the result
 * holds those rows only, in order.
 */
export function nearestNeighbours(
  query: Uint8Array,
  training: Uint8Array,
  bytes: number,
  options: NearestNeighbourOptions = {},
): NearestNeighbours {
  if (!(Number.isInteger(bytes) && bytes > 0))
    throw new RangeError(`a fingerprint has a whole, positive number of bytes, not ${bytes}`)
  if (query.length % bytes !== 0 || training.length % bytes !== 0)
    throw new RangeError(`the fingerprints are not whole rows of ${bytes} bytes`)
  const nq = query.length / bytes
  const nt = training.length / bytes
  const start = options.start ?? 0
  const end = options.end ?? nq
  if (!(
    Number.isInteger(start) &&
    Number.isInteger(end) &&
    start >= 0 &&
    start <= end &&
    end <= nq
  ))
    throw new RangeError(`query rows ${start} to ${end} are not within 0 to ${nq}`)
  const leaveOneOut = options.leaveOneOut ?? false
  if (leaveOneOut && nq !== nt)
    throw new RangeError('leave-one-out needs the query and the training rows to be the same set')
  const rows = end - start
  const similarity = new Float64Array(rows).fill(Number.NaN)
  const index = new Int32Array(rows).fill(-1)
  if (nt === 0 || rows === 0) return { similarity, index }

  const words = Math.ceil(bytes / 4)
  const t = asWords(training, bytes, words)
  const q = asWords(query.subarray(start * bytes, end * bytes), bytes, words)
  const tBits = new Int32Array(nt)
  for (let j = 0; j < nt; j++) {
    let c = 0
    for (let k = j * words, e = k + words; k < e; k++) c += popcount32(t[k]!)
    tBits[j] = c
  }
  const every = Math.max(1, options.progressEvery ?? 256)
  const onProgress = options.onProgress
  const prune = options.prune !== false

  for (let r = 0; r < rows; r++) {
    const qo = r * words
    let a = 0
    for (let k = 0; k < words; k++) a += popcount32(q[qo + k]!)
    const self = leaveOneOut ? start + r : -1
    let best = -1
    let at = -1
    for (let j = 0; j < nt; j++) {
      if (j === self) continue
      const b = tBits[j]!
      // the best this row could reach; ties keep the earlier row, so equal is not enough
      const hi = a > b ? a : b
      if (prune && (hi === 0 ? best >= 1 : (a > b ? b : a) / hi <= best)) continue
      let common = 0
      const to = j * words
      for (let k = 0; k < words; k++) common += popcount32(q[qo + k]! & t[to + k]!)
      const union = a + b - common
      const s = union === 0 ? 1 : common / union
      if (s > best) {
        best = s
        at = j
      }
    }
    if (at >= 0) {
      similarity[r] = best
      index[r] = at
    }
    if (onProgress && ((r + 1) % every === 0 || r + 1 === rows)) onProgress(r + 1)
  }
  return { similarity, index }
}
