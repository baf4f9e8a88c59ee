import type { DriftCheck, WatchCheck, WatchFileResult } from '../../../contract'
import type { EngineContext } from '../../context'
import type { ImportedTarget } from '../../drift/auto-check'
import { startDriftCheck } from '../../drift/start-check'
import { recordActivity } from '../activity'
import type { WatchFileOptions } from './handle-file'

/**
 * A drift check of the import against each model, one after the other, each waited for and
 * recorded on the timeline. A check that cannot run is recorded with its reason and never fails
 * the file: the import stands.
 */
export async function runChecks(
  ctx: EngineContext,
  file: WatchFileResult,
  targets: ImportedTarget[],
  options: WatchFileOptions,
): Promise<WatchCheck[]> {
  const checks: WatchCheck[] = []
  for (const { target, modelVersion } of targets) {
    if (options.signal.aborted || file.importId === null) break
    let check: DriftCheck | null = null
    let error: string | null = null
    try {
      const { jobId } = await startDriftCheck(
        ctx,
        { model: modelVersion, source: { kind: 'import', importId: file.importId } },
        'watch',
      )
      options.onJob?.('drift.run', jobId)
      const { info, result } = await ctx.jobs.waitFor('drift.run', jobId)
      if (result === undefined) error = info.error?.message ?? `the check was ${info.state}`
      else check = result
    } catch (e) {
      error = e instanceof Error ? e.message : String(e)
    }
    const entry: WatchCheck = {
      modelVersion,
      target,
      driftRunId: check?.driftRunId ?? null,
      datasetDrift: check?.datasetDrift ?? null,
      degraded: check?.performance?.degraded ?? null,
      error,
    }
    checks.push(entry)
    await recordCheck(ctx, file, entry, check)
  }
  return checks
}

async function recordCheck(
  ctx: EngineContext,
  file: WatchFileResult,
  c: WatchCheck,
  check: DriftCheck | null,
): Promise<void> {
  const about = `${file.file} (import #${file.importId}) against ${c.modelVersion} (${c.target})`
  if (check === null) {
    await recordActivity(ctx, {
      kind: 'drift-checked',
      level: 'warning',
      target: c.target,
      summary: `The drift check of ${about} could not run: ${c.error ?? 'unknown reason'}`,
      importId: file.importId,
      modelVersion: c.modelVersion,
      watchFileId: file.id,
      details: { error: c.error, datasetDrift: null, featuresDrifted: null, degraded: null },
    })
    return
  }
  const verdict = check.datasetDrift
    ? `dataset drift (${check.featuresDrifted} of ${check.featuresTested} features drifted)`
    : `no dataset drift (${check.featuresDrifted} of ${check.featuresTested} features drifted)`
  const perf = check.performance
    ? `; RMSE ${check.performance.rmse.toFixed(2)} on ${check.performance.rows} measured compounds${check.performance.degraded ? ', performance degraded' : ''}`
    : ''
  await recordActivity(ctx, {
    kind: 'drift-checked',
    level: check.datasetDrift || c.degraded === true ? 'notice' : 'info',
    target: c.target,
    summary: `Drift check #${check.driftRunId} of ${about}: ${verdict}${perf}.`,
    importId: file.importId,
    driftRunId: check.driftRunId,
    modelVersion: c.modelVersion,
    watchFileId: file.id,
    details: {
      datasetDrift: check.datasetDrift,
      featuresDrifted: check.featuresDrifted,
      featuresTested: check.featuresTested,
      driftedShare: check.driftedShare,
      currentRows: check.currentRows,
      degraded: c.degraded,
      rmse: check.performance?.rmse ?? null,
    },
  })
}
