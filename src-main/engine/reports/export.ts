import { join } from 'node:path'
import {
  DEFAULT_PDF_ROWS,
  type JobStarted,
  type PageSize,
  type ParsedInput,
  type ReportExport,
  type ReportRecord,
  WorkbenchError,
  defaultPageSize,
} from '../../contract'
import { appVersion } from '../app/versions'
import type { EngineContext } from '../context'
import type { HostCapabilities, PdfOptions } from '../host/capabilities'
import { pdfPageCount } from '../host/pdf-pages'
import { formatUtc } from './format'
import { withPrintedRows } from './print-rows'
import { readReport, reportsDir } from './store'

/** What an export needs from the host: a printer and a place to put the file. */
export type ExportHost = Pick<HostCapabilities, 'printToPdf' | 'saveFile'>

/**
 * The paper the host's locale uses: `LC_ALL`, then `LC_PAPER` (POSIX's own setting for paper),
 * then `LANG`, then the locale Node's Intl resolved. "en_US.UTF-8" and "en-US" both name the US.
 */
export function hostPageSize(env: NodeJS.ProcessEnv = process.env): PageSize {
  const posix = [env.LC_ALL, env.LC_PAPER, env.LANG].find(
    (v) => v !== undefined && v !== '' && v !== 'C' && v !== 'POSIX' && !v.startsWith('C.'),
  )
  return defaultPageSize(posix ?? Intl.DateTimeFormat().resolvedOptions().locale)
}

/**
 * Saves a stored report where the user chooses (a job): its HTML file as it is stored, or that
 * file printed to PDF with the running header and footer. The stored file is the one source: it
 * is read back (and checked against its SHA-256) by `readReport`, never rendered again, so the PDF
 * and the HTML a colleague gets always agree. `host` defaults to the engine's capabilities; the
 * CLI passes its own `saveFile` that writes to `--out`.
 */
export function startReportExport(
  ctx: EngineContext,
  input: ParsedInput<'reports.export'>,
  host: ExportHost = ctx.capabilities,
): JobStarted {
  return ctx.jobs.start('reports.export', async (job) => {
    job.progress({ phase: 'reading', fraction: 0, message: 'Reading the stored report' })
    const { record, html } = readReport(ctx, input.reportId)
    const stem = record.fileName.replace(/\.html$/, '')
    if (input.format === 'html') {
      const bytes = Buffer.from(html, 'utf8')
      job.progress({
        phase: 'saving',
        fraction: 0.5,
        bytes: bytes.byteLength,
        message: 'Saving the HTML file',
      })
      job.throwIfCancelled()
      const saved = await host.saveFile({
        suggestedName: `${stem}.html`,
        bytes,
        mime: 'text/html',
      })
      return outcome(record, 'html', saved, bytes.byteLength)
    }

    const pageSize = input.pageSize ?? hostPageSize()
    // Only a prediction report has a results table to cut; the others print whole.
    const printed =
      record.kind === 'batch' ? withPrintedRows(html, input.pdfRows ?? DEFAULT_PDF_ROWS).html : html
    job.progress({ phase: 'printing', fraction: 0.1, message: `Printing the PDF (${pageSize})` })
    job.throwIfCancelled()
    let pdf: Uint8Array
    try {
      pdf = await host.printToPdf(printed, { pageSize, running: running(record) })
    } catch (error) {
      throw withHtmlFallback(error, ctx, record)
    }
    const pages = pdfPageCount(pdf)
    job.progress({
      phase: 'saving',
      fraction: 0.9,
      bytes: pdf.byteLength,
      message: 'Saving the PDF',
    })
    job.throwIfCancelled()
    const saved = await host.saveFile({
      suggestedName: `${stem}.pdf`,
      bytes: pdf,
      mime: 'application/pdf',
    })
    return {
      ...outcome(record, 'pdf', saved, pdf.byteLength),
      ...(pages !== null ? { pages } : {}),
      pageSize,
    }
  })
}

/** The running header and footer: the report's title and model version; when it was made, by which app. */
function running(record: ReportRecord): NonNullable<PdfOptions['running']> {
  return {
    title: record.title.slice(0, 300),
    modelVersion: record.modelVersion.slice(0, 40),
    date: `Made ${formatUtc(record.createdAt)}`.slice(0, 40),
    appVersion: appVersion().slice(0, 40),
  }
}

function outcome(
  record: ReportRecord,
  format: 'html' | 'pdf',
  saved: { saved: boolean; path?: string; downloadId?: string },
  bytes: number,
): ReportExport {
  return {
    reportId: record.reportId,
    format,
    saved: saved.saved,
    ...(saved.path !== undefined ? { path: saved.path } : {}),
    ...(saved.downloadId !== undefined ? { downloadId: saved.downloadId } : {}),
    bytes,
  }
}

/**
 * Where the host cannot print (no Chromium), the report is not lost: its HTML file is in the data
 * folder, and any browser prints it. The error names that file by its full path.
 */
function withHtmlFallback(error: unknown, ctx: EngineContext, record: ReportRecord): unknown {
  if (!(error instanceof WorkbenchError) || error.code !== 'pdf-unavailable') return error
  const path = join(reportsDir(ctx.options.dataDir), record.fileName)
  return new WorkbenchError(
    'pdf-unavailable',
    `${error.message} The report itself is kept as HTML at ${path}: open that file in a browser and print it from there (Print, then "Save as PDF").`,
    {
      ...(isRecord(error.details) ? error.details : {}),
      reportId: record.reportId,
      htmlPath: path,
    },
  )
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
