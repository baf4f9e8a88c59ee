import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type SampleStatus, WorkbenchError } from '../../contract'
import type { HandlerGroup } from '../context'
import { importHandlers } from '../import/handlers'
import type { EngineContext } from '../context'
import { importBundle } from '../models/bundle'
import { audit, promote } from '../models/registry'
import { modelReference } from '../models/reference-data'
import { writeTransaction } from '../db/write-transaction'
import { changing, dataChanged } from '../data-changed'

export const SAMPLE_FILE = 'resources/sample/chembl-synthetic-sample.csv'
export const BASELINE_ONNX = 'models/baseline-core4-gbdt.onnx'
export const BASELINE_CARD = 'models/baseline-core4-gbdt.json'
/** The sample's target, named so no one mistakes it for a real ChEMBL target. */
export const SAMPLE_TARGET = 'SYNTHETIC-SAMPLE'

/** Imports the bundled synthetic sample and marks it synthetic; returns the import id. */
export async function importSample(ctx: EngineContext, appRoot: string): Promise<number> {
  // The bundled file is granted like any other, so it passes the same data-folder checks.
  const file = await ctx.files.grant(resolve(appRoot, SAMPLE_FILE))
  const { jobId } = await importHandlers['imports.start'](
    { file, computeDescriptors: false, duplicate: 'import' },
    ctx,
  )
  const { info, result } = await ctx.jobs.waitFor('imports.start', jobId)
  if (info.state !== 'succeeded' || !result)
    throw new WorkbenchError('internal', `The sample could not be imported: ${info.error?.message}`)
  const { importId } = result
  if (importId === null) throw new WorkbenchError('internal', 'The sample import was skipped.')
  await writeTransaction(ctx.db, () =>
    ctx.db.prepare('UPDATE imports SET is_synthetic = 1 WHERE id = ?').run(importId),
  )
  return importId
}

function alreadySeeded(ctx: EngineContext): boolean {
  return (
    ctx.db.prepare("SELECT 1 FROM audit_log WHERE action = 'seed-sample' LIMIT 1").get() !==
    undefined
  )
}

/**
 * First launch: an empty data folder gets the synthetic sample and the bundled baseline model as
 * production, so Predict works at once. Done once per data folder (an audit entry remembers it,
 * so removing the sample later does not bring it back).
 */
export async function seedSampleIfEmpty(ctx: EngineContext, appRoot: string): Promise<boolean> {
  if (alreadySeeded(ctx)) return false
  const empty = ctx.db
    .prepare('SELECT (SELECT count(*) FROM imports) + (SELECT count(*) FROM model_versions) AS n')
    .get() as {
    n: number
  }
  if (empty.n > 0) return false
  if (![SAMPLE_FILE, BASELINE_ONNX, BASELINE_CARD].every((f) => existsSync(join(appRoot, f))))
    return false
  const importId = await importSample(ctx, appRoot)
  const { model } = await importBundle(
    ctx.db,
    join(appRoot, BASELINE_ONNX),
    join(appRoot, BASELINE_CARD),
    'bundled baseline model',
  )
  await writeTransaction(ctx.db, () => {
    ctx.db
      .prepare('UPDATE model_versions SET is_synthetic = 1 WHERE version = ?')
      .run(model.version)
    promote(ctx.db, model.version, 'bundled baseline, trained on the synthetic sample')
    audit(ctx.db, 'seed-sample', model.version, 'first launch', { importId })
    // Its training rows are kept now, while the data is exactly the sample it was trained on:
    // rebuilt later, after more rows of the sample's target came in (a simulated file imported),
    // they would no longer match and every drift check of the baseline would be refused.
    modelReference(ctx.db, model.version)
  })
  dataChanged(ctx, ['models'])
  return true
}

/** Removes the synthetic sample, the models trained on it, and their predictions. */
export function removeSample(ctx: EngineContext): Promise<{ imports: number; models: number }> {
  return writeTransaction(ctx.db, () => {
    const models = ctx.db
      .prepare('SELECT id, version FROM model_versions WHERE is_synthetic = 1')
      .all() as { id: number; version: string }[]
    const imports = ctx.db.prepare('SELECT id FROM imports WHERE is_synthetic = 1').all() as {
      id: number
    }[]
    if (models.length === 0 && imports.length === 0)
      throw new WorkbenchError('not-found', 'There is no sample data to remove.')
    for (const m of models) {
      ctx.db.prepare('DELETE FROM prediction_batches WHERE model_version_id = ?').run(m.id)
      ctx.db
        .prepare('UPDATE training_runs SET model_version_id = NULL WHERE model_version_id = ?')
        .run(m.id)
      ctx.db.prepare('DELETE FROM model_versions WHERE id = ?').run(m.id)
      audit(ctx.db, 'delete', m.version, 'sample removed', {})
    }
    for (const i of imports) {
      ctx.db.prepare('DELETE FROM activity_records WHERE import_id = ?').run(i.id)
      ctx.db.prepare('DELETE FROM imports WHERE id = ?').run(i.id)
    }
    // compounds and activity contexts that only the sample brought in
    ctx.db.exec(
      'DELETE FROM compounds WHERE id NOT IN (SELECT DISTINCT compound_id FROM activity_records)',
    )
    ctx.db.exec(
      'DELETE FROM activity_contexts WHERE id NOT IN (SELECT DISTINCT context_id FROM activity_records)',
    )
    audit(ctx.db, 'remove-sample', 'sample', 'removed by the user', {
      models: models.map((m) => m.version),
      imports: imports.map((i) => i.id),
    })
    return { imports: imports.length, models: models.length }
  })
}

export function sampleStatus(ctx: EngineContext): SampleStatus {
  const models = (
    ctx.db
      .prepare('SELECT version FROM model_versions WHERE is_synthetic = 1 ORDER BY id')
      .all() as {
      version: string
    }[]
  ).map((m) => m.version)
  const { n } = ctx.db
    .prepare(
      'SELECT count(*) AS n FROM activity_records WHERE import_id IN (SELECT id FROM imports WHERE is_synthetic = 1)',
    )
    .get() as { n: number }
  return { present: models.length > 0 || n > 0, models, activities: n }
}

export const sampleHandlers: HandlerGroup<'sample.status' | 'sample.remove'> = {
  'sample.status': (_input, ctx) => sampleStatus(ctx),
  'sample.remove': (_input, ctx) =>
    changing(ctx, ['imports', 'activities', 'compounds', 'models', 'runs', 'predictions'], () =>
      removeSample(ctx),
    ),
}
