import { useEffect, useState } from 'react'
import type { ReportRecord } from '../../src-main/contract'
import { call } from '../api/client'
import { ReasonDialog } from '../components/ReasonDialog'
import { ScreenHeader } from '../components/ScreenHeader'
import { NewReportCard } from '../components/reports/NewReportCard'
import { ReportList } from '../components/reports/ReportList'
import { ReportViewer } from '../components/reports/ReportViewer'
import { KIND_LABELS, KIND_MEANINGS } from '../components/reports/labels'
import { useReports } from '../store/reports-store'
import { useDataVersion } from '../store/use-job'

/** Where each kind's button lives, for the empty state. */
const WHERE: [keyof typeof KIND_LABELS, string][] = [
  [
    'model-card',
    '“Model card” on a model’s page in the Models screen (click its version in the registry)',
  ],
  ['drift', '“Report” on a drift check’s page in the Drift screen'],
  ['batch', '“Report” above a batch’s results in the Predict screen'],
]

export function ReportsScreen() {
  const { reports, error, openId, selectedId, refresh, open, close } = useReports()
  const [deleting, setDeleting] = useState<ReportRecord | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const changed = useDataVersion('reports')
  useEffect(() => {
    void refresh()
  }, [refresh, changed])

  const shown = reports?.find((r) => r.reportId === openId) ?? null
  const confirmDelete = async (report: ReportRecord, reason: string) => {
    // an engine error shows in the dialog, which stays open
    await call('reports.delete', {
      reportId: report.reportId,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    })
    setDeleting(null)
    if (openId === report.reportId) close()
    setMessage(`Deleted “${report.title}”. The deletion is in the audit log.`)
    await refresh()
  }

  return (
    <>
      <ScreenHeader title="Reports">
        Model cards, drift reports and prediction reports, each one HTML file that opens in any
        browser without a network, and a PDF of the same pages to send or print.
      </ScreenHeader>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {shown ? (
        <div className="cards reports-cards">
          <ReportViewer report={shown} onClose={close} onDelete={() => setDeleting(shown)} />
        </div>
      ) : openId !== null && reports === null ? (
        <p className="muted" role="status">
          Opening the report…
        </p>
      ) : (
        <div className="cards reports-cards">
          <NewReportCard />
          {message && (
            <p className="muted reports-message" role="status" data-testid="reports-message">
              {message}
            </p>
          )}
          {reports === null ? (
            <p className="muted" role="status">
              Reading the reports…
            </p>
          ) : reports.length === 0 ? (
            <section
              className="empty-state card wide"
              aria-label="No reports yet"
              data-testid="reports-empty"
            >
              <h2>No reports yet</h2>
              <p>Three kinds of report are made from what the app has stored:</p>
              <ul className="formats">
                {WHERE.map(([kind, where]) => (
                  <li key={kind}>
                    <strong>{KIND_LABELS[kind]}</strong>: {KIND_MEANINGS[kind]} Made with {where},
                    or with New report above.
                  </li>
                ))}
              </ul>
              <p>
                Each is kept here, opens inside the app, and saves as an HTML file or a PDF (A4 or
                US Letter).
              </p>
            </section>
          ) : (
            <ReportList
              reports={reports}
              selectedId={selectedId}
              onOpen={(r) => {
                setMessage(null)
                open(r.reportId)
              }}
              onDelete={setDeleting}
            />
          )}
        </div>
      )}
      {deleting && (
        <ReasonDialog
          title={`Delete “${deleting.title}”?`}
          confirmLabel="Delete the report"
          reasonLabel="Why delete it? (optional, kept in the audit log)"
          placeholder="e.g. made from the wrong batch"
          optional
          onConfirm={(reason) => confirmDelete(deleting, reason)}
          onClose={() => setDeleting(null)}
        >
          <p>
            The stored file ({KIND_LABELS[deleting.kind].toLowerCase()}, made with model{' '}
            {deleting.modelVersion}) is removed from the data folder. Copies you saved elsewhere
            stay. While the model, check or batch is kept, the report can be made again.
          </p>
        </ReasonDialog>
      )}
    </>
  )
}
