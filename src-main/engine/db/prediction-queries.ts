import type { z } from 'zod'
import type { PredictionSource, predictionsRowsInput } from '../../contract'
import type { Statement } from 'better-sqlite3'
import type { Db } from './connection'

const statements = new WeakMap<Db, Map<string, Statement>>()

/**
 * A statement prepared once per connection: the statements every stored prediction runs, which
 * POST /predict may run hundreds of times a second, cost more to prepare than to run.
 */
export function statement(db: Db, sql: string): Statement {
  let bySql = statements.get(db)
  if (!bySql) statements.set(db, (bySql = new Map()))
  let st = bySql.get(sql)
  if (!st) bySql.set(sql, (st = db.prepare(sql)))
  return st
}

/** A prediction_batches row with its model's version name. */
export interface BatchRow {
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

/** A prediction_batches row to insert. */
export type BatchInsert = Omit<BatchRow, 'id' | 'version'> & { model_version_id: number }

const BATCH_SQL = `SELECT b.id, m.version, b.source, b.input_name, b.rows_scored, b.rows_failed, b.failures_json,
  b.rmse, b.seconds, b.created_at, b.other_target_rows, b.only_model_target, b.rmse_in_sample, b.rows_in_sample,
  b.rmse_out_of_sample, b.rows_out_of_sample FROM prediction_batches b JOIN model_versions m ON m.id = b.model_version_id`

/** A predictions row as the pages and the CSV read it. */
export interface StoredPrediction {
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

/** Which rows of a batch, in which order: a page of the table or the CSV export. */
export type PredictionFilter = Omit<z.output<typeof predictionsRowsInput>, 'offset' | 'limit'>

const ROW_COLUMNS = `row_number, compound_id, molecule_id, smiles, inputs_json, p_activity, value_nm, interval_low, interval_high,
  in_domain, observed_p_activity, failure_reason, in_training_set`

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

const ROWS_PER_INSERT = 50
const ROW_PARAMS = 15

/** The columns of one predictions row, in the order of PREDICTION_COLUMNS. */
export type PredictionValues = [
  batchId: number,
  rowNumber: number,
  compoundId: number | null,
  moleculeId: string | null,
  smiles: string | null,
  inputsJson: string,
  pActivity: number | null,
  valueNm: number | null,
  intervalLow: number | null,
  intervalHigh: number | null,
  inDomain: number | null,
  observedPActivity: number | null,
  failureReason: string | null,
  createdAt: string,
  inTrainingSet: number | null,
]

const PREDICTION_COLUMNS = `batch_id, row_number, compound_id, molecule_id, smiles, inputs_json, p_activity,
  value_nm, interval_low, interval_high, in_domain, observed_p_activity, failure_reason, created_at,
  in_training_set`

export function insertBatch(db: Db, b: BatchInsert): number {
  const r = statement(
    db,
    `INSERT INTO prediction_batches (model_version_id, source, input_name, rows_scored, rows_failed,
         failures_json, rmse, seconds, created_at, other_target_rows, only_model_target, rmse_in_sample,
         rows_in_sample, rmse_out_of_sample, rows_out_of_sample)
       VALUES (@model_version_id, @source, @input_name, @rows_scored, @rows_failed, @failures_json,
         @rmse, @seconds, @created_at, @other_target_rows, @only_model_target, @rmse_in_sample,
         @rows_in_sample, @rmse_out_of_sample, @rows_out_of_sample)`,
  ).run(b)
  return Number(r.lastInsertRowid)
}

/**
 * The writer's two statements, prepared once per connection: preparing the 50-row INSERT took
 * longer than storing a single prediction, which POST /predict does hundreds of times a second.
 */
const writerCache = new WeakMap<Db, { insertMany: Statement; insertOne: Statement }>()
function writerStatements(db: Db) {
  let hit = writerCache.get(db)
  if (!hit) {
    const one = `(${new Array(ROW_PARAMS).fill('?').join(', ')})`
    hit = {
      insertMany: db.prepare(
        `INSERT INTO predictions (${PREDICTION_COLUMNS}) VALUES ${new Array(ROWS_PER_INSERT).fill(one).join(', ')}`,
      ),
      insertOne: db.prepare(`INSERT INTO predictions (${PREDICTION_COLUMNS}) VALUES ${one}`),
    }
    writerCache.set(db, hit)
  }
  return hit
}

/**
 * Writes predictions rows ROWS_PER_INSERT to a statement; `finish` writes the rest, one a
 * statement. Call inside the batch's transaction.
 */
export function predictionWriter(db: Db): {
  add(row: PredictionValues): void
  finish(): void
} {
  const { insertMany, insertOne } = writerStatements(db)
  const params: unknown[] = []
  const flush = (all: boolean) => {
    while (params.length >= ROWS_PER_INSERT * ROW_PARAMS)
      insertMany.run(params.splice(0, ROWS_PER_INSERT * ROW_PARAMS))
    if (all) while (params.length > 0) insertOne.run(params.splice(0, ROW_PARAMS))
  }
  return {
    add(row) {
      params.push(...row)
      if (params.length >= ROWS_PER_INSERT * ROW_PARAMS) flush(false)
    },
    finish: () => flush(true),
  }
}

export function selectBatch(db: Db, batchId: number): BatchRow | undefined {
  return statement(db, `${BATCH_SQL} WHERE b.id = ?`).get(batchId) as BatchRow | undefined
}

/** The newest 200 batches of files and of the database (single predictions are not listed). */
export function selectFileBatches(db: Db): BatchRow[] {
  return db
    .prepare(`${BATCH_SQL} WHERE b.source != 'single' ORDER BY b.id DESC LIMIT 200`)
    .all() as BatchRow[]
}

/** Among a batch's scored rows: how many are in the domain and how many have a measured value. */
export function selectBatchCounts(
  db: Db,
  batchId: number,
): { inside: number | null; observed: number } {
  return statement(
    db,
    'SELECT sum(in_domain) AS inside, count(observed_p_activity) AS observed FROM predictions WHERE batch_id = ? AND failure_reason IS NULL',
  ).get(batchId) as { inside: number | null; observed: number }
}

/** One page of a batch's rows under a filter, and how many rows the filter selects. */
export function selectPredictionPage(
  db: Db,
  input: z.output<typeof predictionsRowsInput>,
): { total: number; rows: StoredPrediction[] } {
  const { where, order, params } = filterSql(input)
  const total = (
    db.prepare(`SELECT count(*) AS n FROM predictions WHERE ${where}`).get(params) as { n: number }
  ).n
  const rows = db
    .prepare(
      `SELECT ${ROW_COLUMNS} FROM predictions WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: input.limit, offset: input.offset }) as StoredPrediction[]
  return { total, rows }
}

/** Every row a filter selects, in its order; `filtered` when the filter narrows the batch. */
export function selectPredictions(
  db: Db,
  input: PredictionFilter,
): { rows: StoredPrediction[]; filtered: boolean } {
  const { where, order, params, filtered } = filterSql(input)
  const rows = db
    .prepare(`SELECT ${ROW_COLUMNS} FROM predictions WHERE ${where} ORDER BY ${order}`)
    .all(params) as StoredPrediction[]
  return { rows, filtered }
}
