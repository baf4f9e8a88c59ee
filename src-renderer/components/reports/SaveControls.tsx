import { useState } from 'react'
import {
  DEFAULT_PDF_ROWS,
  MAX_PDF_ROWS,
  type PageSize,
  type ReportExport,
  type ReportRecord,
  defaultPageSize,
} from '../../../src-main/contract'
import { saveReport } from '../../store/reports-store'
import { useJob } from '../../store/use-job'
import { JobProgress } from '../JobProgress'
import { fmtCount } from '../format'
import { fmtFileSize } from './labels'

/** What a finished save says: where it went, or that the browser is downloading it. */
function outcome(r: ReportExport): string {
  const what = r.format === 'pdf' ? 'PDF' : 'HTML file'
  const size = fmtFileSize(r.bytes)
  const pages = r.pages !== undefined ? `, ${fmtCount(r.pages, 'page')}` : ''
  const paper = r.pageSize ? `, ${r.pageSize === 'Letter' ? 'US Letter' : 'A4'}` : ''
  if (!r.saved) return 'Not saved: the save was cancelled.'
  if (r.path) return `Saved to ${r.path} (${size}${pages}${paper}).`
  return `The ${what} is downloading (${size}${pages}${paper}); your browser puts it in its downloads folder.`
}

/** Save HTML / Save PDF with the page size (and, for batches, the rows the PDF lists). */
export function SaveControls({ report }: { report: ReportRecord }) {
  const slot = `reports.export:${report.reportId}`
  const { job, running } = useJob('reports.export', slot)
  const [pageSize, setPageSize] = useState<PageSize>(() => defaultPageSize(navigator.language))
  const [rows, setRows] = useState(String(DEFAULT_PDF_ROWS))
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null)
  const rowCount = Number(rows)
  const rowsOk = Number.isInteger(rowCount) && rowCount >= 1 && rowCount <= MAX_PDF_ROWS

  const save = async (format: 'html' | 'pdf') => {
    setMessage(null)
    try {
      const r = await saveReport(
        {
          reportId: report.reportId,
          format,
          ...(format === 'pdf' ? { pageSize } : {}),
          ...(format === 'pdf' && report.kind === 'batch' ? { pdfRows: rowCount } : {}),
        },
        slot,
      )
      setMessage({ text: outcome(r), bad: false })
    } catch (e) {
      setMessage({ text: e instanceof Error ? e.message : String(e), bad: true })
    }
  }

  return (
    <div className="report-save" data-testid="report-save">
      <div className="row wrap">
        <button
          type="button"
          className="button"
          disabled={running}
          onClick={() => void save('html')}
        >
          Save HTML
        </button>
        <label className="field report-field">
          <span>Page size</span>
          <select
            value={pageSize}
            onChange={(e) => setPageSize(e.target.value as PageSize)}
            aria-label="PDF page size"
          >
            <option value="A4">A4</option>
            <option value="Letter">US Letter</option>
          </select>
        </label>
        {report.kind === 'batch' && (
          <label className="field report-field">
            <span>Rows in the PDF</span>
            <input
              value={rows}
              onChange={(e) => setRows(e.target.value)}
              inputMode="numeric"
              size={5}
              aria-label="Rows the PDF lists"
              aria-invalid={!rowsOk}
              title={`1 to ${MAX_PDF_ROWS.toLocaleString('en')}; the HTML file always has every row`}
            />
          </label>
        )}
        <button
          type="button"
          className="button"
          disabled={running || !rowsOk}
          onClick={() => void save('pdf')}
        >
          Save PDF
        </button>
      </div>
      {!rowsOk && (
        <p className="error small" role="alert">
          Rows in the PDF: a whole number from 1 to {MAX_PDF_ROWS.toLocaleString('en')}.
        </p>
      )}
      {running && job && (
        <JobProgress
          job={job}
          label="Saving progress"
          cancelLabel="Cancel saving the report"
          testId="report-save-progress"
        />
      )}
      {message && (
        <p
          className={message.bad ? 'error small' : 'muted small'}
          role={message.bad ? 'alert' : 'status'}
          data-testid="report-save-message"
        >
          {message.text}
        </p>
      )}
    </div>
  )
}
