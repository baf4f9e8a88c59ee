import type { BatchSummary, PredictionRow, SinglePrediction } from '../../contract'

/**
 * What `assay predict --json` prints, and POST /predict answers for the same input: the two
 * share these shapes so that a script may switch between them.
 */

const round = (v: number, digits = 4) => Number(v.toFixed(digits))

export interface SingleJson {
  modelVersion: string
  pActivity: number
  nM: number
  interval: [number, number]
  inDomain: boolean
}

export function singleJson(
  r: Pick<SinglePrediction, 'modelVersion' | 'pActivity' | 'nM' | 'interval' | 'inDomain'>,
): SingleJson {
  return {
    modelVersion: r.modelVersion,
    pActivity: round(r.pActivity),
    nM: Number(r.nM.toPrecision(4)),
    interval: r.interval.map((v) => round(v)) as [number, number],
    inDomain: r.inDomain,
  }
}

export function batchJson(s: BatchSummary) {
  return {
    batchId: s.batchId,
    rowsScored: s.rowsScored,
    rowsFailed: s.rowsFailed,
    failuresByReason: s.failuresByReason,
    seconds: round(s.seconds, 3),
    rowsPerSecond: Math.round(s.rowsPerSecond),
    modelVersion: s.modelVersion,
    inDomain: s.inDomain,
    observed: s.observed,
    inSample: s.inSample,
    outOfSample: s.outOfSample,
    otherTargetRows: s.otherTargetRows,
    onlyModelTarget: s.onlyModelTarget,
  }
}

/** One row of a batch, rounded as a single prediction is; `failure` says why it has no value. */
export function rowJson(r: PredictionRow) {
  return {
    row: r.rowNumber,
    id: r.moleculeId,
    smiles: r.smiles,
    pActivity: r.pActivity === null ? null : round(r.pActivity),
    nM: r.nM === null ? null : Number(r.nM.toPrecision(4)),
    interval:
      r.intervalLow === null || r.intervalHigh === null
        ? null
        : [round(r.intervalLow), round(r.intervalHigh)],
    inDomain: r.inDomain,
    failure: r.failure,
  }
}
