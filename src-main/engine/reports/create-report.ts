import type { ReportRecord, ReportSubject } from '../../contract/reports'
import { WorkbenchError } from '../../contract'
import { appVersion } from '../app/versions'
import type { EngineContext } from '../context'
import { dataChanged } from '../data-changed'
import { databasePath } from '../db/connection'
import { subjectExists } from '../db/report-store-queries'
import type { JobContext } from '../jobs/job-runner'
import type { RenderPhase, WrittenHtml } from './render-task'
import { commitReport, newReportTempPath, removeTempReport, reportWriteFailed } from './store'

/**
 * Refuses a subject that is not stored before any job starts: the caller learns at once that
 * "v9" or "batch 12" does not exist, rather than from a failed job.
 */
export function assertSubjectExists(ctx: Pick<EngineContext, 'db'>, subject: ReportSubject): void {
  if (subjectExists(ctx.db, subject)) return
  switch (subject.kind) {
    case 'model-card':
      throw new WorkbenchError(
        'not-found',
        `There is no model version ${subject.version} to make a model card of. The Models screen lists the versions kept.`,
        { subject },
      )
    case 'drift':
      throw new WorkbenchError(
        'not-found',
        `There is no drift check #${subject.driftRunId} to report on. The Drift screen lists the checks kept.`,
        { subject },
      )
    case 'batch':
      throw new WorkbenchError(
        'not-found',
        `There is no prediction batch #${subject.batchId} to report on. The Predict screen lists the batches kept.`,
        { subject },
      )
  }
}

const PHASES: Record<RenderPhase, { fraction: number; message: string }> = {
  gathering: { fraction: 0.05, message: 'Reading the stored results' },
  rendering: { fraction: 0.5, message: 'Drawing the charts and tables' },
  writing: { fraction: 0.9, message: 'Saving the report in the data folder' },
}

/**
 * A report job's body: rendered and written to a temporary file in a worker thread, from the
 * worker's own read-only connection; the engine's thread only commits the row and renames the
 * file (commitReport).
 */
export async function createReport(
  ctx: EngineContext,
  job: JobContext,
  subject: ReportSubject,
): Promise<ReportRecord> {
  const meta = { generatedAt: new Date().toISOString(), appVersion: appVersion() }
  job.progress({ phase: 'gathering', fraction: 0, message: PHASES.gathering.message })
  let temp: string
  try {
    temp = newReportTempPath(ctx.options.dataDir)
  } catch (error) {
    throw reportWriteFailed(error)
  }
  let written: WrittenHtml
  try {
    written = await ctx.pool.run(
      'renderReport',
      { path: databasePath(ctx.options.dataDir), subject, meta, temp },
      {
        signal: job.signal,
        onProgress: (phase) => job.progress({ phase, ...PHASES[phase] }),
      },
    )
  } catch (error) {
    // cancelled (the worker was stopped mid-write), or rendering failed: no file may stay
    removeTempReport(temp)
    throw reportWriteFailed(error)
  }
  const record = await commitReport(
    ctx,
    temp,
    {
      subject,
      title: written.title,
      modelVersion: written.modelVersion,
      createdAt: meta.generatedAt,
      options: { appVersion: meta.appVersion },
      bytes: written.bytes,
      sha256: written.sha256,
    },
    () => job.pointOfNoReturn(),
  )
  dataChanged(ctx, ['reports'])
  return record
}
