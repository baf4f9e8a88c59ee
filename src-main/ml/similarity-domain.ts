/**
 * The structural half of the applicability domain: a compound's Tanimoto similarity to its
 * nearest training compound (Morgan radius 2, 2048 bits, the compounds' stored `morgan_fp`),
 * against a threshold set from the training set's own leave-one-out nearest-neighbour
 * similarities. The descriptor distance alone flagged 15 of 116 test compounds whose nearest
 * training neighbour had Tanimoto < 0.6, though their errors were twice as large.
 */

/** Bytes of one packed 2048-bit fingerprint. */
export const FP_BYTES = 256
const WORDS = FP_BYTES / 4

export interface SimilarityDomain {
  kind: 'morgan2-2048-tanimoto'
  /** training fingerprints, packed, FP_BYTES each, as base64 */
  fingerprints: string
  count: number
  /** nearest-neighbour similarities below this are outside the domain */
  threshold: number
  /** which quantile of the leave-one-out similarities the threshold is */
  percentile: number
}

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

/** 32-bit words of packed fingerprints (copied when the bytes are not 4-aligned). */
function words(fps: Uint8Array): Uint32Array {
  const aligned = fps.byteOffset % 4 === 0 ? fps : fps.slice()
  return new Uint32Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.byteLength / 4))
}

function counts(w: Uint32Array, n: number): Int32Array {
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let c = 0
    for (let k = 0; k < WORDS; k++) c += popcount32(w[i * WORDS + k]!)
    out[i] = c
  }
  return out
}

/** Tanimoto of two packed rows, as RDKit computes it (two empty fingerprints: 1). */
function sim(w: Uint32Array, i: number, ci: number, v: Uint32Array, j: number, cj: number) {
  let both = 0
  for (let k = 0; k < WORDS; k++) both += popcount32(w[i * WORDS + k]! & v[j * WORDS + k]!)
  const either = ci + cj - both
  return either === 0 ? 1 : both / either
}

/** Each fingerprint's similarity to its nearest other fingerprint of the set (-Infinity alone). */
export function looNearestSimilarities(fps: Uint8Array, n: number): Float64Array {
  const w = words(fps)
  const c = counts(w, n)
  const best = new Float64Array(n).fill(-Infinity)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = sim(w, i, c[i]!, w, j, c[j]!)
      if (s > best[i]!) best[i] = s
      if (s > best[j]!) best[j] = s
    }
  }
  return best
}

/** The q-quantile of values (lower, no interpolation): the floor(q * (n - 1))-th smallest. */
export function lowerQuantile(values: ArrayLike<number>, q: number): number {
  const s = Array.from(values).filter((v) => Number.isFinite(v))
  s.sort((a, b) => a - b)
  if (s.length === 0) return NaN
  return s[Math.floor(q * (s.length - 1))]!
}

/** Default: a training compound is as far from the rest as this share of the set is. */
export const SIMILARITY_PERCENTILE = 0.1

export function fitSimilarityDomain(
  fps: Uint8Array,
  n: number,
  percentile = SIMILARITY_PERCENTILE,
): SimilarityDomain {
  const loo = looNearestSimilarities(fps, n)
  const t = lowerQuantile(loo, percentile)
  return {
    kind: 'morgan2-2048-tanimoto',
    fingerprints: Buffer.from(fps.buffer, fps.byteOffset, n * FP_BYTES).toString('base64'),
    count: n,
    threshold: Number.isFinite(t) ? t : 0,
    percentile,
  }
}

/** A function giving a fingerprint's nearest-neighbour similarity to the training set. */
export function similarityChecker(
  domain: SimilarityDomain,
): (fp: Uint8Array) => { similarity: number; index: number } {
  const bytes = Buffer.from(domain.fingerprints, 'base64')
  const w = words(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  const c = counts(w, domain.count)
  return (fp) => {
    if (fp.length !== FP_BYTES)
      throw new RangeError(`a Morgan fingerprint has ${FP_BYTES} bytes, not ${fp.length}`)
    const q = words(fp)
    const cq = counts(q, 1)[0]!
    let best = -Infinity
    let index = -1
    for (let i = 0; i < domain.count; i++) {
      const s = sim(w, i, c[i]!, q, 0, cq)
      if (s > best) {
        best = s
        index = i
      }
    }
    return { similarity: best, index }
  }
}

/** Nearest-neighbour similarity of each query row (packed) to a reference set (packed). */
export function nearestSimilarities(
  reference: Uint8Array,
  nRef: number,
  queries: Uint8Array,
  nQuery: number,
): Float64Array {
  const w = words(reference)
  const c = counts(w, nRef)
  const q = words(queries)
  const cq = counts(q, nQuery)
  const out = new Float64Array(nQuery).fill(-Infinity)
  for (let j = 0; j < nQuery; j++)
    for (let i = 0; i < nRef; i++) {
      const s = sim(w, i, c[i]!, q, j, cq[j]!)
      if (s > out[j]!) out[j] = s
    }
  return out
}
