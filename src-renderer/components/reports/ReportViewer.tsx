import { useEffect, useRef, useState } from 'react'
import type { ReportHtml, ReportRecord } from '../../../src-main/contract'
import { call } from '../../api/client'
import { fmtDate } from '../format'
import { SaveControls } from './SaveControls'
import { KIND_LABELS, fmtFileSize } from './labels'

/**
 * A stored report inside the app. The frame's sandbox is empty: the report's scripts do not run,
 * and its document has an origin of its own, so nothing in it (a compound name with markup that
 * escaped escaping, a link) can reach this page, the engine or the user's files.
 */
export function ReportViewer({
  report,
  onClose,
  onDelete,
}: {
  report: ReportRecord
  onClose(): void
  onDelete(): void
}) {
  const [doc, setDoc] = useState<ReportHtml | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    let live = true
    setDoc(null)
    setProblem(null)
    void call('reports.html', { reportId: report.reportId }).then(
      (d) => live && setDoc(d),
      (e: unknown) => live && setProblem(e instanceof Error ? e.message : String(e)),
    )
    return () => {
      live = false
    }
  }, [report.reportId])
  // the viewer replaces the list: focus moves to its title, not to the top of the page
  useEffect(() => {
    heading.current?.focus()
  }, [report.reportId])

  return (
    <section
      className="card wide report-viewer"
      aria-labelledby="report-title"
      data-testid="report-viewer"
    >
      <div className="row spread">
        <div>
          <h2 id="report-title" ref={heading} tabIndex={-1}>
            {report.title}
          </h2>
          <p className="muted small">
            {KIND_LABELS[report.kind]} · made {fmtDate(report.createdAt)} ·{' '}
            {fmtFileSize(report.bytes)}
          </p>
        </div>
        <div className="row">
          <button type="button" className="button" onClick={onDelete}>
            Delete…
          </button>
          <button type="button" className="button primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      <SaveControls report={report} />
      {report.kind === 'batch' && (
        <p className="muted small report-note">
          Shown here without its script: to sort the results table by a column, open the saved HTML
          file in a browser.
        </p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {!doc && !problem && (
        <p className="muted" role="status">
          Opening the report…
        </p>
      )}
      {doc && (
        <iframe
          className="report-frame"
          title={`Report: ${doc.title}`}
          sandbox=""
          srcDoc={doc.html}
          data-testid="report-frame"
        />
      )}
    </section>
  )
}
