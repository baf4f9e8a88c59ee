import { WorkbenchError } from '../../contract'
import type { HandlerGroup } from '../context'
import { startReportExport } from './export'

function notYet(): never {
  throw new WorkbenchError('not-found', 'Reports are not stored yet.')
}

export const reportHandlers: HandlerGroup<
  'reports.create' | 'reports.list' | 'reports.html' | 'reports.export' | 'reports.delete'
> = {
  'reports.create': async (_input, ctx) => ctx.jobs.start('reports.create', () => notYet()),
  'reports.list': () => [],
  'reports.html': () => notYet(),
  'reports.export': async (input, ctx) => startReportExport(ctx, input),
  'reports.delete': () => notYet(),
}
