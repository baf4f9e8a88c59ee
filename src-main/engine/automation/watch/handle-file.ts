import { stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import {
  type ImportSummary,
  type JobMethodName,
  type RetrainOutcome,
  WATCH_SUBFOLDERS,
  type WatchAfterImport,
  type WatchFileResult,
  type WatchOutcome,
  type WorkbenchErrorData,
  toErrorData,
} from '../../../contract'
import type { EngineContext } from '../../context'
import {
  enabledPolicyTargets,
  handledBefore,
  insertWatchFile,
  saveWatchFileResult,
} from '../../db/automation-queries'
import { importedTargets } from '../../drift/auto-check'
import { startImport } from '../../import/handlers'
import { sha256OfFile } from '../../import/preview'
import { notReadable } from '../../import/read-table'
import { recordActivity } from '../activity'
import { startRetrain } from '../retrain/run-policy'
import { runChecks } from './after-import'
import { moveAside } from './move-aside'

export interface WatchFileOptions {
  /** the watched folder, as configured */
  folder: string
  afterImport: WatchAfterImport
  /** aborted when the watcher stops: nothing more is started for the file */
  signal: AbortSignal
  /** told of every job the file starts, so a stop can cancel the one running */
  onJob?: (kind: JobMethodName, jobId: string) => void
}

/** The import's end, as the watcher records it: a summary, or the error that refused the file. */
interface Taken {
  outcome: WatchOutcome
  summary: ImportSummary | null
  error: WorkbenchErrorData | null
}

/**
 * Handles one complete file of the watched folder: the normal import (same rules, same summary,
 * duplicate files skipped by SHA-256), then a drift check against the production model of each
 * target it brought measurements of, then each such target's retraining policy when it is on; the
 * file is moved aside when so configured, and all of it recorded (a `watch_files` row and the
 * timeline). Returns null, recording nothing, when this path with these bytes was handled before
 * (a file left in the folder) or the watcher stopped while the import ran (the file is taken
 * again at the next start). A bad file is a `rejected` result, never a throw.
 */
export async function handleWatchedFile(
  ctx: EngineContext,
  path: string,
  options: WatchFileOptions,
): Promise<WatchFileResult | null> {
  const name = basename(path)
  let bytes = 0
  let sha256: string | null = null
  let taken: Taken
  try {
    // the file stood still for the stable time before it was taken: its size now is the hashed one
    ;[bytes, sha256] = await Promise.all([
      stat(path).then((s) => s.size),
      sha256OfFile(path),
    ]).catch((error: unknown) => {
      throw notReadable(path, error)
    })
    if (handledBefore(ctx.db, path, sha256)) return null
    const result = await importFile(ctx, path, options)
    if (result === null) return null
    taken = result
  } catch (error) {
    taken = { outcome: 'rejected', summary: null, error: toErrorData(error) }
  }
  const movedTo = await moveIfAsked(path, taken.outcome, options).catch((error: unknown) => {
    console.warn(`The watched file ${name} could not be moved aside: ${(error as Error).message}`)
    return null
  })
  const s = taken.summary
  const result: WatchFileResult = {
    id: 0,
    file: name,
    path,
    bytes,
    sha256,
    outcome: taken.outcome,
    importId: taken.outcome === 'imported' ? (s?.importId ?? null) : null,
    previousImportId: taken.outcome === 'duplicate' ? (s?.previousImportId ?? null) : null,
    rowsTotal: taken.outcome === 'imported' ? (s?.rowsTotal ?? null) : null,
    rowsAccepted: taken.outcome === 'imported' ? (s?.rowsAccepted ?? null) : null,
    rowsRejected: taken.outcome === 'imported' ? (s?.rowsRejected ?? null) : null,
    reason: taken.error ? `${taken.error.code}: ${taken.error.message}` : null,
    movedTo,
    checks: [],
    retrains: [],
    handledAt: new Date().toISOString(),
  }
  result.id = insertWatchFile(ctx.db, {
    folder: options.folder,
    path,
    fileName: name,
    bytes,
    sha256,
    outcome: result.outcome,
    importId: result.importId,
    previousImportId: result.previousImportId,
    reason: result.reason,
    movedTo,
    handledAt: result.handledAt,
  })
  await recordFileEntry(ctx, result, taken)
  if (result.outcome === 'imported' && result.importId !== null && !options.signal.aborted) {
    const targets = importedTargets(ctx, result.importId)
    result.checks = await runChecks(ctx, result, targets, options)
    result.retrains = await runRetrains(ctx, targets, options)
  }
  saveWatchFileResult(ctx.db, result.id, result)
  return result
}

/** The normal import of the file, without the automatic drift checks (the watcher runs its own). */
async function importFile(
  ctx: EngineContext,
  path: string,
  options: WatchFileOptions,
): Promise<Taken | null> {
  const file = await ctx.files.grant(path)
  const { jobId } = await startImport(ctx, { file, duplicate: 'skip' }, { autoCheck: false })
  options.onJob?.('imports.start', jobId)
  const { info, result } = await ctx.jobs.waitFor('imports.start', jobId)
  if (info.state === 'cancelled' && options.signal.aborted) return null
  if (info.state !== 'succeeded' || result === undefined) {
    const error = info.error ?? { code: 'cancelled', message: 'The import was cancelled.' }
    return { outcome: 'rejected', summary: null, error }
  }
  return { outcome: result.skipped ? 'duplicate' : 'imported', summary: result, error: null }
}

async function moveIfAsked(
  path: string,
  outcome: WatchOutcome,
  options: WatchFileOptions,
): Promise<string | null> {
  if (options.afterImport !== 'move') return null
  // a file that vanished meanwhile has nothing to move
  if (!(await stat(path).catch(() => null))) return null
  const sub = outcome === 'rejected' ? WATCH_SUBFOLDERS.rejected : WATCH_SUBFOLDERS.imported
  return moveAside(path, join(options.folder, sub))
}

async function recordFileEntry(
  ctx: EngineContext,
  r: WatchFileResult,
  { summary: s, error }: Taken,
): Promise<void> {
  const moved = r.movedTo ? ` Moved to ${r.movedTo}.` : ''
  if (r.outcome === 'imported' && s) {
    await recordActivity(ctx, {
      kind: 'file-imported',
      summary: `${r.file}: imported as import #${s.importId}: ${s.rowsAccepted.toLocaleString('en')} of ${s.rowsTotal.toLocaleString('en')} rows accepted, ${s.rowsRejected.toLocaleString('en')} rejected; ${s.activities.toLocaleString('en')} measurements added.${moved}`,
      importId: r.importId,
      watchFileId: r.id,
      details: {
        file: r.file,
        rows: s.rowsTotal,
        rowsAccepted: s.rowsAccepted,
        rowsRejected: s.rowsRejected,
        activities: s.activities,
        compoundsNew: s.compoundsNew,
        rejectionsByReason: s.rejectionsByReason,
        movedTo: r.movedTo,
      },
    })
  } else if (r.outcome === 'duplicate') {
    await recordActivity(ctx, {
      kind: 'file-duplicate',
      summary: `${r.file}: skipped, the same file (same SHA-256) was imported before as import #${r.previousImportId}; nothing was imported.${moved}`,
      importId: r.previousImportId,
      watchFileId: r.id,
      details: { file: r.file, previousImportId: r.previousImportId, movedTo: r.movedTo },
    })
  } else {
    // the sentence a scientist reads is the message alone; the code stays in the details
    await recordActivity(ctx, {
      kind: 'file-rejected',
      level: 'warning',
      summary: `${r.file} was not imported. ${error?.message ?? 'unknown reason'}${moved}`,
      watchFileId: r.id,
      details: { file: r.file, code: error?.code ?? null, reason: r.reason, movedTo: r.movedTo },
    })
  }
}

/**
 * Each target's retraining policy, when it is on: the retrain job judges its own triggers (it
 * sees the check just stored) and records its own timeline entries; the watcher waits for it.
 */
async function runRetrains(
  ctx: EngineContext,
  targets: { target: string }[],
  options: WatchFileOptions,
): Promise<RetrainOutcome[]> {
  const enabled = new Set(enabledPolicyTargets(ctx.db))
  const outcomes: RetrainOutcome[] = []
  for (const target of new Set(targets.map((t) => t.target))) {
    if (!enabled.has(target) || options.signal.aborted) continue
    try {
      const { jobId } = await startRetrain(ctx, { target, dryRun: false, force: false }, 'watch')
      options.onJob?.('automation.retrain', jobId)
      const { info, result } = await ctx.jobs.waitFor('automation.retrain', jobId)
      if (result !== undefined) outcomes.push(result)
      else outcomes.push(failedOutcome(target, info.error?.message ?? `the job was ${info.state}`))
    } catch (error) {
      outcomes.push(failedOutcome(target, error instanceof Error ? error.message : String(error)))
    }
  }
  return outcomes
}

function failedOutcome(target: string, message: string): RetrainOutcome {
  return {
    target,
    dryRun: false,
    triggered: false,
    reasons: [],
    triggers: [],
    challenger: null,
    champion: null,
    comparison: null,
    decision: 'failed',
    explanation: `The retraining policy could not run: ${message}`,
    plan: null,
    activityId: null,
    at: new Date().toISOString(),
  }
}
