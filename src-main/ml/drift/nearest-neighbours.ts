/**
 * Nearest-neighbour Tanimoto similarity of packed bit fingerprints: for each query row, the most
 * similar training row. Pure and single-threaded; the engine splits the query rows across workers
 * (the worker task `nearestNeighbourChunk`).
 *
 * Fast by construction: the training rows are indexed once per call by bit (for each bit, the rows
 * that have it), so a query's overlap with every training row is counted by walking the lists of
 * the query's own bits (a Morgan fingerprint sets about 50 of 2048) instead of comparing 64 words
 * per pair; every row's bit count is counted once; the best row is kept as the fraction
 * common / union of whole numbers and compared by cross-multiplying, so no division happens per
 * pair. The similarity returned is common / union divided once, the same division RDKit's
 * TanimotoSimilarity does, so it equals RDKit's bit for bit; distinct fractions of this size
 * never round to the same double, so ties (exactly equal similarities) go to the lowest row as
 * an exact comparison would.
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
  const bits = words * 32
  const t = asWords(training, bytes, words)
  const q = asWords(query.subarray(start * bytes, end * bytes), bytes, words)

  // training rows by bit, in row order (compressed rows: offsets[bit] .. offsets[bit + 1])
  const tBits = new Int32Array(nt)
  const offsets = new Int32Array(bits + 1)
  for (let j = 0; j < nt; j++) {
    let c = 0
    for (let k = 0; k < words; k++) {
      let v = t[j * words + k]!
      while (v !== 0) {
        const low = v & -v
        offsets[k * 32 + 32 - Math.clz32(low)]!++
        c++
        v ^= low
      }
    }
    tBits[j] = c
  }
  for (let i = 0; i < bits; i++) offsets[i + 1]! += offsets[i]!
  const postings = new Int32Array(offsets[bits]!)
  const fill = offsets.slice(0, bits)
  for (let j = 0; j < nt; j++)
    for (let k = 0; k < words; k++) {
      let v = t[j * words + k]!
      while (v !== 0) {
        const low = v & -v
        postings[fill[k * 32 + 31 - Math.clz32(low)]!++] = j
        v ^= low
      }
    }

  // common bits of the query with each training row (at most `bits`, which 16 bits hold for any
  // fingerprint up to 65,535 bits)
  const common = bits < 65_536 ? new Uint16Array(nt) : new Int32Array(nt)
  const every = Math.max(1, options.progressEvery ?? 256)
  const onProgress = options.onProgress

  for (let r = 0; r < rows; r++) {
    common.fill(0)
    let a = 0
    for (let k = 0, qo = r * words; k < words; k++) {
      let v = q[qo + k]!
      while (v !== 0) {
        const low = v & -v
        const bit = k * 32 + 31 - Math.clz32(low)
        for (let p = offsets[bit]!, e = offsets[bit + 1]!; p < e; p++) common[postings[p]!]!++
        a++
        v ^= low
      }
    }
    const self = leaveOneOut ? start + r : -1
    // the best so far as a fraction bestCommon / bestUnion; -1 / 1 is below any similarity
    let bestCommon = -1
    let bestUnion = 1
    let at = -1
    for (let j = 0; j < nt; j++) {
      if (j === self) continue
      let c = common[j]!
      let u = a + tBits[j]! - c
      // two empty fingerprints are identical: 1, as RDKit answers
      if (u === 0) {
        c = 1
        u = 1
      }
      if (c * bestUnion > bestCommon * u) {
        bestCommon = c
        bestUnion = u
        at = j
      }
    }
    if (at >= 0) {
      similarity[r] = bestCommon / bestUnion
      index[r] = at
    }
    if (onProgress && ((r + 1) % every === 0 || r + 1 === rows)) onProgress(r + 1)
  }
  return { similarity, index }
}
