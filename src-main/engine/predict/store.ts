import type {
  BatchSummary,
  PredictionRow,
  PredictionSource,
  PredictionsCsv,
  predictionsRowsInput,
} from '../../contract'
import { WorkbenchError } from '../../contract'
import { toCsv } from '../../contract/csv'
import { nmFromPActivity } from '../../chem/units'
import type { z } from 'zod'
import type { Db } from '../db/connection'
import {
  type BatchRow,
  type PredictionFilter,
  type StoredPrediction,
  insertBatch,
  predictionWriter,
  selectBatch,
  selectBatchCounts,
  selectFileBatches,
  selectPredictionPage,
  selectPredictions,
} from '../db/prediction-queries'
import { writeTransaction } from '../db/write-transaction'
import type { Candidate } from './inputs'
import type { LoadedModel } from './loaded-model'
import { compoundKey } from './measured'

export interface BatchResult {
  candidates: Candidate[]
  /** per candidate: prediction or NaN when it failed */
  p: Float64Array
  /** per candidate: its 90% interval (NaN when it failed) */
  low: Float64Array
  high: Float64Array
  inDomain: Uint8Array
}

/** What a file's batch says about targets: rows naming others, and whether they were left out. */
export interface TargetChoice {
  otherTargetRows: number | null
  onlyModelTarget: boolean
}

/**
 * RMSE against measured values, each compound once (a file may hold a compound on several rows),
 * split by whether the model was trained on the compound: in-sample errors flatter a model.
 */
function splitRmse(result: BatchResult) {
  const seen = new Set<string>()
  const acc = { in: { se: 0, n: 0 }, out: { se: 0, n: 0 } }
  result.candidates.forEach((c, i) => {
    if (c.failure !== null || c.observed === null || c.inTrainingSet == null) return
    const key = compoundKey(c) ?? `row:${c.rowNumber}`
    if (seen.has(key)) return
    seen.add(key)
    const side = c.inTrainingSet ? acc.in : acc.out
    side.se += ((result.p[i] ?? NaN) - c.observed) ** 2
    side.n++
  })
  const rmse = (a: { se: number; n: number }) => (a.n > 0 ? Math.sqrt(a.se / a.n) : null)
  return {
    inSample: { rmse: rmse(acc.in), n: acc.in.n },
    outOfSample: { rmse: rmse(acc.out), n: acc.out.n },
  }
}

/**
 * Writes a batch and every row of it in one transaction; returns its summary. Waits on timers,
 * not on the engine's thread, while another writer (an import committing) holds the database.
 */
export function storeBatch(
  db: Db,
  model: LoadedModel,
  source: PredictionSource,
  inputName: string | null,
  result: BatchResult,
  seconds: number,
  targets: TargetChoice = { otherTargetRows: null, onlyModelTarget: false },
): Promise<BatchSummary> {
  return writeTransaction(db, batchWrite(db, model, source, inputName, result, seconds, targets))
}

/**
 * The write `storeBatch` makes, to run inside a transaction (its own, or one shared with other
 * batches: see `storeGrouped`).
 */
export function batchWrite(
  db: Db,
  model: LoadedModel,
  source: PredictionSource,
  inputName: string | null,
  result: BatchResult,
  seconds: number,
  targets: TargetChoice = { otherTargetRows: null, onlyModelTarget: false },
): () => BatchSummary {
  const now = new Date().toISOString()
  const failures: Record<string, number> = {}
  let scored = 0
  let se = 0
  let observedRows = 0
  for (const [i, c] of result.candidates.entries()) {
    if (c.failure) failures[c.failure] = (failures[c.failure] ?? 0) + 1
    else {
      scored++
      if (c.observed !== null) {
        se += ((result.p[i] ?? NaN) - c.observed) ** 2
        observedRows++
      }
    }
  }
  const rmse = observedRows > 0 ? Math.sqrt(se / observedRows) : null
  const split = splitRmse(result)
  return () => {
    const batchId = insertBatch(db, {
      model_version_id: model.row.id,
      source,
      input_name: inputName,
      rows_scored: scored,
      rows_failed: result.candidates.length - scored,
      failures_json: JSON.stringify(failures),
      rmse,
      seconds,
      created_at: now,
      other_target_rows: targets.otherTargetRows,
      only_model_target: targets.onlyModelTarget ? 1 : 0,
      rmse_in_sample: split.inSample.rmse,
      rows_in_sample: split.inSample.n,
      rmse_out_of_sample: split.outOfSample.rmse,
      rows_out_of_sample: split.outOfSample.n,
    })
    const rows = predictionWriter(db)
    result.candidates.forEach((c, i) => {
      const ok = c.failure === null
      const p = ok ? (result.p[i] as number) : null
      rows.add([
        batchId,
        c.rowNumber,
        c.compoundId,
        c.moleculeId,
        c.smiles,
        JSON.stringify(c.seed),
        p,
        p === null ? null : nmFromPActivity(p),
        p === null ? null : (result.low[i] as number),
        p === null ? null : (result.high[i] as number),
        ok ? (result.inDomain[i] ?? 0) : null,
        c.observed,
        c.failure,
        now,
        c.inTrainingSet == null ? null : c.inTrainingSet ? 1 : 0,
      ])
    })
    rows.finish()
    return batchSummary(db, batchId)
  }
}

interface PendingWrite {
  write: () => BatchSummary
  resolve: (s: BatchSummary) => void
  reject: (e: unknown) => void
}
const pending = new WeakMap<Db, PendingWrite[]>()

/**
 * Stores a batch in a transaction shared with the other batches asked for in the same turn of
 * the event loop: under many small concurrent calls (POST /predict, one compound each) one
 * commit per call was most of a call's time. Each caller still hears only once its rows are
 * committed; if the shared transaction fails, every batch in it fails and none is stored.
 */
export function storeGrouped(db: Db, write: () => BatchSummary): Promise<BatchSummary> {
  return new Promise((resolve, reject) => {
    let group = pending.get(db)
    if (!group) {
      const writes: PendingWrite[] = []
      pending.set(db, (group = writes))
      setImmediate(() => {
        pending.delete(db)
        writeTransaction(db, () => writes.map((w) => w.write())).then(
          (summaries) => writes.forEach((w, i) => w.resolve(summaries[i] as BatchSummary)),
          (error: unknown) => writes.forEach((w) => w.reject(error)),
        )
      })
    }
    group.push({ write, resolve, reject })
  })
}

function toSummary(db: Db, b: BatchRow): BatchSummary {
  const counts = selectBatchCounts(db, b.id)
  const seconds = b.seconds ?? 0
  return {
    batchId: b.id,
    modelVersion: b.version,
    source: b.source,
    inputName: b.input_name,
    rowsScored: b.rows_scored,
    rowsFailed: b.rows_failed,
    failuresByReason: JSON.parse(b.failures_json) as Record<string, number>,
    inDomain: counts.inside ?? 0,
    seconds,
    rowsPerSecond: seconds > 0 ? (b.rows_scored + b.rows_failed) / seconds : 0,
    observed: b.rmse === null ? null : { rows: counts.observed, rmse: b.rmse },
    inSample:
      b.rmse_in_sample === null ? null : { compounds: b.rows_in_sample, rmse: b.rmse_in_sample },
    outOfSample:
      b.rmse_out_of_sample === null
        ? null
        : { compounds: b.rows_out_of_sample, rmse: b.rmse_out_of_sample },
    otherTargetRows: b.other_target_rows,
    onlyModelTarget: b.only_model_target === 1,
    createdAt: b.created_at,
  }
}

export function batchSummary(db: Db, batchId: number): BatchSummary {
  const b = selectBatch(db, batchId)
  if (!b) throw new WorkbenchError('not-found', `There is no prediction batch ${batchId}.`)
  return toSummary(db, b)
}

export function listBatches(db: Db): BatchSummary[] {
  return selectFileBatches(db).map((b) => toSummary(db, b))
}

function toRow(r: StoredPrediction): PredictionRow {
  return {
    rowNumber: r.row_number,
    compoundId: r.compound_id,
    moleculeId: r.molecule_id,
    smiles: r.smiles,
    inputs: JSON.parse(r.inputs_json) as Record<string, number | null>,
    pActivity: r.p_activity,
    nM: r.value_nm,
    intervalLow: r.interval_low,
    intervalHigh: r.interval_high,
    inDomain: r.in_domain === null ? null : r.in_domain === 1,
    observed: r.observed_p_activity,
    inTrainingSet: r.in_training_set === null ? null : r.in_training_set === 1,
    failure: r.failure_reason,
  }
}

export function batchRows(db: Db, input: z.output<typeof predictionsRowsInput>) {
  batchSummary(db, input.batchId)
  const { total, rows } = selectPredictionPage(db, input)
  return { total, rows: rows.map(toRow) }
}

/**
 * A batch as CSV. With a filter, the rows it selects in its order, so the file holds what the
 * table shows (an export of a filtered table used to write every row of the batch).
 */
export function batchCsv(db: Db, input: PredictionFilter): PredictionsCsv {
  const { batchId } = input
  const summary = batchSummary(db, batchId)
  const { rows, filtered } = selectPredictions(db, input)
  const header = [
    'row',
    'molecule_id',
    'smiles',
    'mw_freebase',
    'alogp',
    'hba',
    'hbd',
    'p_activity',
    'predicted_nM',
    'interval_90_low',
    'interval_90_high',
    'in_domain',
    'observed_p_activity',
    'failure_reason',
    'model_version',
  ]
  const num = (v: number | null | undefined) =>
    v === null || v === undefined ? null : Number(v.toPrecision(6))
  const body = rows.map((r) => {
    const inputs = JSON.parse(r.inputs_json) as Record<string, number | null>
    return [
      r.row_number,
      r.molecule_id,
      r.smiles,
      num(inputs.mw_freebase),
      num(inputs.alogp),
      num(inputs.hba),
      num(inputs.hbd),
      num(r.p_activity),
      num(r.value_nm),
      num(r.interval_low),
      num(r.interval_high),
      r.in_domain === null ? '' : r.in_domain ? 'yes' : 'no',
      num(r.observed_p_activity),
      r.failure_reason,
      summary.modelVersion,
    ]
  })
  const base = (summary.inputName ?? `batch-${batchId}`)
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_.-]/g, '_')
  return {
    fileName: `${base}-predictions-${summary.modelVersion}${filtered ? '-filtered' : ''}.csv`,
    csv: toCsv(header, body),
  }
}
