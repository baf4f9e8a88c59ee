import type { BatchSummary, DriftCheck, ImportSummary, TrainResult } from '../src-main/contract'
import type { Engine } from '../src-main/engine/engine'
import { fileRef, runJob, waitForFinished } from './helpers'
import { ACHE } from './reference-csv'

/** Starts a job through the contract and waits for its result; a failed job throws its error. */
export async function contractJob<T>(engine: Engine, method: string, input: unknown): Promise<T> {
  const started = await engine.invoke(method as 'models.train', input)
  if (!started.ok) throw Object.assign(new Error(started.error.message), started.error)
  const finished = await waitForFinished(engine, (started.value as { jobId: string }).jobId)
  if (finished.state !== 'succeeded')
    throw Object.assign(new Error(finished.error?.message), finished.error)
  return finished.result as T
}

/** One of each report's subjects, made from real data. */
export interface ReportSubjects {
  /** a model trained on the aromatase export (target CHEMBL1978) */
  version: string
  /** a drift check of the AChE import against that model */
  check: DriftCheck
  /** a batch of the AChE file scored by that model */
  batch: BatchSummary
}

/**
 * Given an engine holding the aromatase export (importOnce), trains a model on it, imports the
 * AChE dump, checks it for drift and scores it as a batch: one subject of each report kind.
 */
export async function makeReportSubjects(engine: Engine): Promise<ReportSubjects> {
  const trained = await contractJob<TrainResult>(engine, 'models.train', {
    featureSet: 'core4',
    learner: 'gbdt',
    seed: 3,
    promote: true,
    reason: 'first model',
  })
  const imported = await runJob(engine, 'imports.start', { file: await fileRef(engine, ACHE) })
  if (imported.state !== 'succeeded') throw new Error(imported.error?.message)
  const importId = (imported.result as ImportSummary).importId as number
  const check = await contractJob<DriftCheck>(engine, 'drift.run', {
    model: trained.modelVersion,
    source: { kind: 'import', importId },
  })
  const batch = await contractJob<BatchSummary>(engine, 'predictions.batch', {
    model: trained.modelVersion,
    file: await fileRef(engine, ACHE),
  })
  return { version: trained.modelVersion, check, batch }
}

/** One row of the engine's database, read with the test's own query. */
export function storedRow(
  engine: Engine,
  sql: string,
  ...params: unknown[]
): Record<string, number | string> {
  return engine.context.db.prepare(sql).get(...params) as Record<string, number | string>
}

/** A model's cross-validated RMSE as stored, to three decimals: what a report must print. */
export function storedCvRmse(engine: Engine, version: string): string {
  const row = storedRow(
    engine,
    'SELECT cv_metrics_json FROM model_versions WHERE version = ?',
    version,
  )
  return (JSON.parse(row.cv_metrics_json as string) as { cv: { rmse: number } }).cv.rmse.toFixed(3)
}
