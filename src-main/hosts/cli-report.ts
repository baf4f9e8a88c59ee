import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname, extname, resolve } from 'node:path'
import {
  MAX_PDF_ROWS,
  type ReportKind,
  type ReportSubject,
  reportKinds,
  reportSubjectSchema,
  reportsExportInput,
} from '../contract'
import { assertWritableOutside } from '../engine/files/data-folder-guard'
import { createHeadlessHost } from '../engine/host/headless-host'
import { startReportExport } from '../engine/reports/export'
import { type Command, UsageError, expectOk, waitForJob } from './cli-common'

export const REPORT_HELP = `  assay report model-card VERSION --out FILE.html|FILE.pdf [--page a4|letter] [--json] [--data-dir D]
  assay report drift CHECK_ID --out FILE.html|FILE.pdf [--page a4|letter] [--json] [--data-dir D]
  assay report batch BATCH_ID --out FILE.html|FILE.pdf [--page a4|letter] [--pdf-rows N] [--json] [--data-dir D]
                                             make a report (kept in the data folder, as the app
                                             keeps it) and save it as HTML or PDF, by the file's
                                             extension; PDFs need Chromium (CHROMIUM_PATH); a
                                             batch's PDF lists its first N rows (default 500)
`

const SUBJECT_WORD: Record<ReportKind, string> = {
  'model-card': 'VERSION',
  drift: 'CHECK_ID',
  batch: 'BATCH_ID',
}

function subjectOf(kind: ReportKind, word: string): ReportSubject {
  const value = kind === 'model-card' ? word : /^\d+$/.test(word) ? Number(word) : NaN
  const candidate =
    kind === 'model-card'
      ? { kind, version: value }
      : kind === 'drift'
        ? { kind, driftRunId: value }
        : { kind, batchId: value }
  const parsed = reportSubjectSchema.safeParse(candidate)
  if (!parsed.success)
    throw new UsageError(
      kind === 'model-card'
        ? `report model-card takes a model version like v3, not "${word}"`
        : `report ${kind} takes a positive whole number (${SUBJECT_WORD[kind]}), not "${word}"`,
    )
  return parsed.data
}

function formatOf(out: string): 'html' | 'pdf' {
  const extension = extname(out).toLowerCase()
  if (extension === '.html' || extension === '.htm') return 'html'
  if (extension === '.pdf') return 'pdf'
  throw new UsageError(
    `--out must name a .html or .pdf file (the format follows the extension), not "${out}"`,
  )
}

/** Fails before the report is made when the file could not be written anyway. */
async function checkWritable(out: string, dataDir: string): Promise<void> {
  // the data folder holds the database the engine has open: never written from here
  await assertWritableOutside(dataDir, out)
  const folder = dirname(out)
  const info = await stat(folder).catch(() => null)
  if (!info?.isDirectory())
    throw new Error(`cannot write ${out}: the folder ${folder} does not exist`)
  const existing = await stat(out).catch(() => null)
  if (existing?.isDirectory()) throw new Error(`cannot write ${out}: it is a folder`)
  try {
    await access(existing ? out : folder, constants.W_OK)
  } catch {
    throw new Error(`cannot write ${out}: permission denied`)
  }
}

export const REPORT_COMMANDS: Record<string, Command> = {
  report: {
    options: {
      out: { type: 'string' },
      page: { type: 'string' },
      'pdf-rows': { type: 'string' },
    },
    positionals: true,
    async run(engine, values, positionals, io) {
      const [kindWord, subjectWord, ...extra] = positionals
      if (!kindWord || !(reportKinds as readonly string[]).includes(kindWord))
        throw new UsageError(
          `report takes a kind: ${reportKinds.join(', ')} (see assay --help), not "${kindWord ?? ''}"`,
        )
      const kind = kindWord as ReportKind
      if (subjectWord === undefined || extra.length > 0)
        throw new UsageError(`report ${kind} takes one ${SUBJECT_WORD[kind]}`)
      const subject = subjectOf(kind, subjectWord)
      if (typeof values.out !== 'string' || values.out.trim() === '')
        throw new UsageError(`report needs --out FILE.html or --out FILE.pdf`)
      const out = resolve(values.out)
      const format = formatOf(out)
      let pageSize: 'A4' | 'Letter' | undefined
      if (values.page !== undefined) {
        const page = String(values.page).toLowerCase()
        if (page !== 'a4' && page !== 'letter')
          throw new UsageError(`--page takes a4 or letter, not "${String(values.page)}"`)
        if (format !== 'pdf') throw new UsageError('--page is for a .pdf --out')
        pageSize = page === 'a4' ? 'A4' : 'Letter'
      }
      let pdfRows: number | undefined
      if (values['pdf-rows'] !== undefined) {
        const text = String(values['pdf-rows'])
        pdfRows = /^\d+$/.test(text) ? Number(text) : NaN
        if (!(pdfRows >= 1 && pdfRows <= MAX_PDF_ROWS))
          throw new UsageError(
            `--pdf-rows takes a whole number from 1 to ${MAX_PDF_ROWS}, not "${text}"`,
          )
        if (format !== 'pdf' || kind !== 'batch')
          throw new UsageError('--pdf-rows is for a batch report saved as .pdf')
      }
      await checkWritable(out, engine.context.options.dataDir)

      // made and kept as the app makes it: listed on the Reports screen afterwards
      const { jobId } = await expectOk(engine.invoke('reports.create', { subject }))
      const record = await waitForJob(engine, 'reports.create', jobId)

      const input = reportsExportInput.parse({
        reportId: record.reportId,
        format,
        ...(pageSize ? { pageSize } : {}),
        ...(pdfRows !== undefined ? { pdfRows } : {}),
      })
      // The engine's own CLI host writes into the current folder; this one writes to --out (and
      // still refuses the data folder).
      const writer = createHeadlessHost({
        kind: 'cli',
        dataDir: engine.context.options.dataDir,
        saveTo: out,
      })
      try {
        const exported = await waitForJob(
          engine,
          'reports.export',
          startReportExport(engine.context, input, {
            printToPdf: (html, options) => engine.context.capabilities.printToPdf(html, options),
            saveFile: (file) => writer.saveFile(file),
          }).jobId,
        )
        const written = exported.path ?? out
        const line = {
          reportId: record.reportId,
          kind,
          subject: subjectWord,
          out: written,
          bytes: exported.bytes,
          pages: exported.pages ?? null,
        }
        io.stdout(
          values.json
            ? `${JSON.stringify(line)}\n`
            : `Report #${record.reportId} (${record.title}) saved to ${written}: ${exported.bytes.toLocaleString('en')} bytes${exported.pages !== undefined ? `, ${exported.pages} page${exported.pages === 1 ? '' : 's'} (${exported.pageSize ?? ''})` : ''}\n`,
        )
        return 0
      } finally {
        await writer.close()
      }
    },
  },
}
