import { z } from 'zod'

/**
 * Reports: model cards, drift reports and prediction reports, each one self-contained HTML file
 * kept in the data folder (`reports/`) and listed in the `reports` table, and printed to PDF from
 * that same file on request. A report is made from what is stored; it never changes afterwards.
 */

export const reportKinds = ['model-card', 'drift', 'batch'] as const
export type ReportKind = (typeof reportKinds)[number]

const versionName = z
  .string()
  .trim()
  .regex(/^v\d{1,9}$/, 'a model version like v3')
const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

/** What a report is about. */
export const reportSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('model-card'), version: versionName }).strict(),
  z.object({ kind: z.literal('drift'), driftRunId: rowId }).strict(),
  z.object({ kind: z.literal('batch'), batchId: rowId }).strict(),
])
export type ReportSubject = z.infer<typeof reportSubjectSchema>

export const pageSizes = ['A4', 'Letter'] as const
export type PageSize = (typeof pageSizes)[number]

/** The rows a printed prediction report lists; the rest are counted and left to the HTML file. */
export const DEFAULT_PDF_ROWS = 500
export const MAX_PDF_ROWS = 5000

/** Makes and stores a report (a job: a 100,000-row batch takes seconds). */
export const reportsCreateInput = z.object({ subject: reportSubjectSchema }).strict()

export const reportIdInput = z.object({ reportId: rowId }).strict()

/** Saves a stored report where the user chooses, as its HTML file or printed to PDF. */
export const reportsExportInput = z
  .object({
    reportId: rowId,
    format: z.enum(['html', 'pdf']),
    /** default: from the locale (US Letter in the Americas that use it, A4 elsewhere) */
    pageSize: z.enum(pageSizes).optional(),
    /** PDF of a prediction report: list this many rows (default 500) */
    pdfRows: z.number().int().min(1).max(MAX_PDF_ROWS).optional(),
  })
  .strict()

export const reportsDeleteInput = z
  .object({ reportId: rowId, reason: z.string().trim().max(500).optional() })
  .strict()

/** One stored report, as the list shows it. */
export interface ReportRecord {
  reportId: number
  kind: ReportKind
  subject: ReportSubject
  /** e.g. "Model card — v3 · CHEMBL1978 Cytochrome P450 19A1" */
  title: string
  /** the model version the report is about (or was made with) */
  modelVersion: string
  /** ISO time it was made */
  createdAt: string
  /** the HTML file's size */
  bytes: number
  /** SHA-256 of the HTML file, hex; checked whenever the file is read back */
  sha256: string
  /** the file's name inside the data folder's `reports/` */
  fileName: string
}

/** A stored report's HTML, for the app's sandboxed viewer. */
export interface ReportHtml {
  reportId: number
  title: string
  html: string
}

/** What saving a report did. */
export interface ReportExport {
  reportId: number
  format: 'html' | 'pdf'
  /** false when the user cancelled the save dialog */
  saved: boolean
  /** where it was written (desktop, CLI) */
  path?: string
  /** the one-time download the page starts (web host) */
  downloadId?: string
  bytes: number
  /** PDF: pages printed */
  pages?: number
  pageSize?: PageSize
}

/** Regions whose paper is US Letter (CLDR's paper-size data); everywhere else prints on A4. */
const LETTER_REGIONS = new Set([
  'US',
  'CA',
  'MX',
  'PR',
  'CL',
  'CO',
  'VE',
  'GT',
  'PH',
  'BZ',
  'CR',
  'PA',
  'SV',
  'NI',
  'DO',
])

/** The page size for a BCP 47 locale such as "en-US" or "de-DE"; A4 when it names no region. */
export function defaultPageSize(locale: string | undefined): PageSize {
  const region = /[-_]([A-Za-z]{2})(?:[-_.@]|$)/.exec(locale ?? '')?.[1]?.toUpperCase()
  return region !== undefined && LETTER_REGIONS.has(region) ? 'Letter' : 'A4'
}
