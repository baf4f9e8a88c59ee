import { useEffect, useRef } from 'react'
import type { ReportRecord } from '../../../src-main/contract'
import { fmtDate, fmtDay } from '../format'
import { KIND_LABELS, fmtFileSize, fmtTime, titleWithoutKind } from './labels'

/** Stored reports, newest first; the one made last here is marked. */
export function ReportList({
  reports,
  selectedId,
  onOpen,
  onDelete,
}: {
  reports: ReportRecord[]
  selectedId: number | null
  onOpen(r: ReportRecord): void
  onDelete(r: ReportRecord): void
}) {
  const marked = useRef<HTMLTableRowElement>(null)
  useEffect(() => {
    marked.current?.scrollIntoView({ block: 'nearest' })
  }, [selectedId])
  return (
    <section
      className="card wide"
      aria-labelledby="report-list-title"
      data-testid="report-list-card"
    >
      <h2 id="report-list-title">Stored reports</h2>
      <div className="table-scroll">
        <table className="table reports" data-testid="report-list">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Report</th>
              <th scope="col">Model</th>
              <th scope="col">Made</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr
                key={r.reportId}
                ref={r.reportId === selectedId ? marked : undefined}
                className={r.reportId === selectedId ? 'selected' : ''}
                data-testid={`report-${r.reportId}`}
              >
                <td className="report-kind">{KIND_LABELS[r.kind]}</td>
                <td className="report-title-cell">
                  <button
                    type="button"
                    className="link-button report-title"
                    onClick={() => onOpen(r)}
                    title="Open the report"
                  >
                    {titleWithoutKind(r.title, r.kind)}
                  </button>
                </td>
                <td>{r.modelVersion}</td>
                <td className="muted report-made" title={fmtDate(r.createdAt)}>
                  {/* day and time wrap as two whole pieces in a narrow window */}
                  <span className="nowrap">{fmtDay(r.createdAt)}</span>{' '}
                  <span className="nowrap">{fmtTime(r.createdAt)}</span>
                </td>
                <td className="num nowrap">{fmtFileSize(r.bytes)}</td>
                <td>
                  <div className="row-actions">
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Open ${r.title}`}
                      onClick={() => onOpen(r)}
                    >
                      Open
                    </button>
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Delete ${r.title}`}
                      onClick={() => onDelete(r)}
                    >
                      Delete…
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
