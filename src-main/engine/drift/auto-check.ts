/**
 * Automatic drift checks: after an import commits and after a prediction batch is stored, a check
 * against the production model of each target concerned, when the `drift.autoCheck` setting is on.
 * They run as jobs of their own and are never awaited: whatever happens to a check, the import or
 * the batch that started it stands.
 */
import type { EngineContext } from '../context'
import { readSettings } from '../db/settings-queries'
import { startDriftCheck } from './start-check'

function autoCheckOn(ctx: EngineContext): boolean {
  return readSettings(ctx.db)['drift.autoCheck'] === true
}

/** Starts a check and forgets it; a check that cannot even start is logged, never thrown. */
function startQuietly(ctx: EngineContext, start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    console.warn(
      `An automatic drift check could not start: ${error instanceof Error ? error.message : String(error)}`,
    )
  })
}

/** A production model of a target an import brought measurements of. */
export interface ImportedTarget {
  target: string
  modelVersion: string
}

/**
 * The production model of each target an import brought measurements of; a target without one
 * has none (so the synthetic sample's first import, made before its baseline model is
 * registered, has none).
 */
export function importedTargets(ctx: EngineContext, importId: number): ImportedTarget[] {
  return ctx.db
    .prepare(
      `SELECT DISTINCT m.target_chembl_id AS target, m.version AS modelVersion FROM activities a
         JOIN model_versions m ON m.target_chembl_id = a.target_chembl_id AND m.stage = 'production'
        WHERE a.import_id = ? ORDER BY m.target_chembl_id, m.version`,
    )
    .all(importId) as ImportedTarget[]
}

/** After an import: a check of its compounds against each of those production models. */
export function autoCheckAfterImport(ctx: EngineContext, importId: number): string[] {
  try {
    if (!autoCheckOn(ctx)) return []
    const models = importedTargets(ctx, importId).map((t) => t.modelVersion)
    for (const model of models)
      startQuietly(ctx, () =>
        startDriftCheck(ctx, { model, source: { kind: 'import', importId } }, 'import'),
      )
    return models
  } catch (error) {
    console.warn(`Automatic drift checks were skipped: ${(error as Error).message}`)
    return []
  }
}

/** After a prediction batch: a check of its rows, when the model that scored it is in production. */
export function autoCheckAfterBatch(ctx: EngineContext, batchId: number): void {
  try {
    if (!autoCheckOn(ctx)) return
    const model = ctx.db
      .prepare(
        `SELECT m.version FROM prediction_batches b JOIN model_versions m ON m.id = b.model_version_id
          WHERE b.id = ? AND m.stage = 'production'`,
      )
      .pluck()
      .get(batchId) as string | undefined
    if (model === undefined) return
    startQuietly(ctx, () =>
      startDriftCheck(ctx, { model, source: { kind: 'batch', batchId } }, 'batch'),
    )
  } catch (error) {
    console.warn(`An automatic drift check was skipped: ${(error as Error).message}`)
  }
}
