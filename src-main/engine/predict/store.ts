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
import { writeTransaction } from '../db/write-transaction'
import type { Candidate } from './inputs'
import type { LoadedModel } from './loaded-model'
import { compoundKey } from './measured'

export interface BatchResult {
  candidates: Candidate[]
  /** per candidate: prediction or NaN when it failed */
  p: Float64Array
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

const ROWS_PER_INSERT = 50
const ROW_PARAMS = 15

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
  const now = new Date().toISOString()
  const q = model.calibration.q
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
  return writeTransaction(db, () => {
    const batch = db
      .prepare(
        `INSERT INTO prediction_batches (model_version_id, source, input_name, rows_scored, rows_failed,
           failures_json, rmse, seconds, created_at, other_target_rows, only_model_target, rmse_in_sample,
           rows_in_sample, rmse_out_of_sample, rows_out_of_sample)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        model.row.id,
        source,
        inputName,
        scored,
        result.candidates.length - scored,
        JSON.stringify(failures),
        rmse,
        seconds,
        now,
        targets.otherTargetRows,
        targets.onlyModelTarget ? 1 : 0,
        split.inSample.rmse,
        split.inSample.n,
        split.outOfSample.rmse,
        split.outOfSample.n,
      )
    const batchId = Number(batch.lastInsertRowid)
    const one = `(${new Array(ROW_PARAMS).fill('?').join(', ')})`
    const insertMany = db.prepare(
      `INSERT INTO predictions (batch_id, row_number, compound_id, molecule_id, smiles, inputs_json, p_activity,
         value_nm, interval_low, interval_high, in_domain, observed_p_activity, failure_reason, created_at,
         in_training_set)
       VALUES ${new Array(ROWS_PER_INSERT).fill(one).join(', ')}`,
    )
    const insertOne = db.prepare(
      `INSERT INTO predictions (batch_id, row_number, compound_id, molecule_id, smiles, inputs_json, p_activity,
         value_nm, interval_low, interval_high, in_domain, observed_p_activity, failure_reason, created_at,
         in_training_set)
       VALUES ${one}`,
    )
    const params: unknown[] = []
    const flush = (all: boolean) => {
      while (params.length >= ROWS_PER_INSERT * ROW_PARAMS)
        insertMany.run(params.splice(0, ROWS_PER_INSERT * ROW_PARAMS))
      if (all) while (params.length > 0) insertOne.run(params.splice(0, ROW_PARAMS))
    }
    result.candidates.forEach((c, i) => {
      const ok = c.failure === null
      const p = ok ? (result.p[i] as number) : null
      params.push(
        batchId,
        c.rowNumber,
        c.compoundId,
        c.moleculeId,
        c.smiles,
        JSON.stringify(c.seed),
        p,
        p === null ? null : nmFromPActivity(p),
        p === null ? null : p - q,
        p === null ? null : p + q,
        ok ? (result.inDomain[i] ?? 0) : null,
        c.observed,
        c.failure,
        now,
        c.inTrainingSet == null ? null : c.inTrainingSet ? 1 : 0,
      )
      if (params.length >= ROWS_PER_INSERT * ROW_PARAMS) flush(false)
    })
    flush(true)
    return batchSummary(db, batchId)
  })
}

interface BatchRow {
  id: number
  version: string
  source: PredictionSource
  input_name: string | null
  rows_scored: number
  rows_failed: number
  failures_json: string
  rmse: number | null
  seconds: number | null
  created_at: string
  other_target_rows: number | null
  only_model_target: number
  rmse_in_sample: number | null
  rows_in_sample: number
  rmse_out_of_sample: number | null
  rows_out_of_sample: number
}

const BATCH_SQL = `SELECT b.id, m.version, b.source, b.input_name, b.rows_scored, b.rows_failed, b.failures_json,
  b.rmse, b.seconds, b.created_at, b.other_target_rows, b.only_model_target, b.rmse_in_sample, b.rows_in_sample,
  b.rmse_out_of_sample, b.rows_out_of_sample FROM prediction_batches b JOIN model_versions m ON m.id = b.model_version_id`

function toSummary(db: Db, b: BatchRow): BatchSummary {
  const counts = db
    .prepare(
      'SELECT sum(in_domain) AS inside, count(observed_p_activity) AS observed FROM predictions WHERE batch_id = ? AND failure_reason IS NULL',
    )
    .get(b.id) as { inside: number | null; observed: number }
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
  const b = db.prepare(`${BATCH_SQL} WHERE b.id = ?`).get(batchId) as BatchRow | undefined
  if (!b) throw new WorkbenchError('not-found', `There is no prediction batch ${batchId}.`)
  return toSummary(db, b)
}

export function listBatches(db: Db): BatchSummary[] {
  const rows = db
    .prepare(`${BATCH_SQL} WHERE b.source != 'single' ORDER BY b.id DESC LIMIT 200`)
    .all() as BatchRow[]
  return rows.map((b) => toSummary(db, b))
}

interface StoredRow {
  row_number: number
  compound_id: number | null
  molecule_id: string | null
  smiles: string | null
  inputs_json: string
  p_activity: number | null
  value_nm: number | null
  interval_low: number | null
  interval_high: number | null
  in_domain: number | null
  observed_p_activity: number | null
  failure_reason: string | null
  in_training_set: number | null
}

function toRow(r: StoredRow): PredictionRow {
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

type PredictionFilter = Omit<z.output<typeof predictionsRowsInput>, 'offset' | 'limit'>

/** WHERE and ORDER BY for a filter: one definition for the table's pages and the CSV export. */
function filterSql(input: PredictionFilter) {
  const where = ['batch_id = @batchId']
  if (input.failed === true) where.push('failure_reason IS NOT NULL')
  if (input.failed === false) where.push('failure_reason IS NULL')
  if (input.inDomain !== undefined) where.push('in_domain = @inDomain')
  if (input.minPActivity !== undefined) where.push('p_activity >= @minP')
  const order =
    input.sort === 'pActivity'
      ? 'p_activity IS NULL, p_activity'
      : input.sort === '-pActivity'
        ? 'p_activity IS NULL, p_activity DESC'
        : 'row_number'
  return {
    where: where.join(' AND '),
    order: `${order}, id`,
    params: {
      batchId: input.batchId,
      inDomain: input.inDomain ? 1 : 0,
      minP: input.minPActivity ?? 0,
    },
    filtered: where.length > 1,
  }
}

const ROW_COLUMNS = `row_number, compound_id, molecule_id, smiles, inputs_json, p_activity, value_nm, interval_low, interval_high,
  in_domain, observed_p_activity, failure_reason, in_training_set`

export function batchRows(db: Db, input: z.output<typeof predictionsRowsInput>) {
  batchSummary(db, input.batchId)
  const { where, order, params } = filterSql(input)
  const total = (
    db.prepare(`SELECT count(*) AS n FROM predictions WHERE ${where}`).get(params) as { n: number }
  ).n
  const rows = db
    .prepare(
      `SELECT ${ROW_COLUMNS} FROM predictions WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: input.limit, offset: input.offset }) as StoredRow[]
  return { total, rows: rows.map(toRow) }
}

/**
 * A batch as CSV. With a filter, the rows it selects in its order, so the file holds what the
 * table shows (an export of a filtered table used to write every row of the batch).
 */
export function batchCsv(db: Db, input: PredictionFilter): PredictionsCsv {
  const { batchId } = input
  const summary = batchSummary(db, batchId)
  const { where, order, params, filtered } = filterSql(input)
  const rows = db
    .prepare(`SELECT ${ROW_COLUMNS} FROM predictions WHERE ${where} ORDER BY ${order}`)
    .all(params) as StoredRow[]
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
