import type { HandlerGroup } from '../context'
import { dataChanged } from '../data-changed'
import { assertSubjectExists, createReport } from './create-report'
import { startReportExport } from './export'
import { deleteReport, listReports, readReport } from './store'

export const reportHandlers: HandlerGroup<
  'reports.create' | 'reports.list' | 'reports.html' | 'reports.export' | 'reports.delete'
> = {
  'reports.create': async ({ subject }, ctx) => {
    assertSubjectExists(ctx, subject)
    return ctx.jobs.start('reports.create', (job) => createReport(ctx, job, subject))
  },
  'reports.list': (_input, ctx) => listReports(ctx),
  'reports.html': ({ reportId }, ctx) => {
    const { record, html } = readReport(ctx, reportId)
    return { reportId, title: record.title, html }
  },
  'reports.export': async (input, ctx) => startReportExport(ctx, input),
  'reports.delete': async ({ reportId, reason }, ctx) => {
    await deleteReport(ctx, reportId, reason || null)
    dataChanged(ctx, ['reports'])
    return { deleted: true as const }
  },
}
