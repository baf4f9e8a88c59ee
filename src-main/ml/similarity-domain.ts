/**
 * The structural half of the applicability domain: a compound's Tanimoto similarity to its
 * nearest training compound (Morgan radius 2, 2048 bits, the compounds' stored `morgan_fp`),
 * against a threshold set from the training set's own leave-one-out nearest-neighbour
 * similarities. The descriptor distance alone flagged 15 of 116 test compounds whose nearest
 * training neighbour had Tanimoto < 0.6, though their errors were twice as large.
 */

import { nearestNeighbours } from './drift/nearest-neighbours'

/** Bytes of one packed 2048-bit fingerprint. */
export const FP_BYTES = 256

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

/**
 * Each fingerprint's similarity to its nearest other fingerprint of the set (NaN alone), by the
 * drift check's own search (RDKit's Tanimoto, bit for bit).
 */
export function looNearestSimilarities(fps: Uint8Array, n: number): Float64Array {
  return nearestNeighbours(fps.subarray(0, n * FP_BYTES), fps.subarray(0, n * FP_BYTES), FP_BYTES, {
    leaveOneOut: true,
  }).similarity
}

/** The training fingerprints of a domain, packed. */
export function domainFingerprints(domain: SimilarityDomain): Uint8Array {
  const bytes = Buffer.from(domain.fingerprints, 'base64')
  return new Uint8Array(bytes.buffer, bytes.byteOffset, domain.count * FP_BYTES)
}

/** Nearest-neighbour similarity of each query row (packed) to a reference set (packed). */
export function nearestSimilarities(reference: Uint8Array, queries: Uint8Array): Float64Array {
  return nearestNeighbours(queries, reference, FP_BYTES).similarity
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

export interface DomainReport {
  threshold: number
  rows: number
  outside: number
  rmseInside: number
  rmseOutside: number
  /** held-out rows whose nearest training compound has similarity below `lowSimilarity` */
  lowSimilarityRows: number
  lowSimilarityFlagged: number
}

/**
 * How well a domain separates good predictions from bad on held-out rows (for benchmarks): a row
 * is outside when `descriptorOutside[i]` is 1 or its nearest-training similarity is below the
 * threshold set from the training fingerprints' leave-one-out similarities.
 */
export function domainReport(input: {
  trainFingerprints: Uint8Array
  testFingerprints: Uint8Array
  descriptorOutside: ArrayLike<number>
  observed: ArrayLike<number>
  predicted: ArrayLike<number>
  percentile?: number
  lowSimilarity?: number
}): DomainReport {
  const nTrain = input.trainFingerprints.length / FP_BYTES
  const domain = fitSimilarityDomain(input.trainFingerprints, nTrain, input.percentile)
  const sims = nearestSimilarities(input.trainFingerprints, input.testFingerprints)
  const low = input.lowSimilarity ?? 0.4
  let inSe = 0
  let inN = 0
  let outSe = 0
  let outN = 0
  let lowRows = 0
  let lowFlagged = 0
  for (let i = 0; i < sims.length; i++) {
    const outside = input.descriptorOutside[i] === 1 || sims[i]! < domain.threshold
    const e = (input.predicted[i]! - input.observed[i]!) ** 2
    if (outside) {
      outSe += e
      outN++
    } else {
      inSe += e
      inN++
    }
    if (sims[i]! < low) {
      lowRows++
      if (outside) lowFlagged++
    }
  }
  return {
    threshold: domain.threshold,
    rows: sims.length,
    outside: outN,
    rmseInside: inN ? Math.sqrt(inSe / inN) : NaN,
    rmseOutside: outN ? Math.sqrt(outSe / outN) : NaN,
    lowSimilarityRows: lowRows,
    lowSimilarityFlagged: lowFlagged,
  }
}
