import type { ImportSummary as Summary } from '../../../src-main/contract'
import { useApp } from '../../store/app-store'
import { DriftLine } from '../drift/DriftLine'
import { FLAG_REASONS, QUALITATIVE_REASONS, REASON_LABELS, fmtInt } from '../format'
import { downloadRejections } from './rejections'

function Counts({ counts }: { counts: Record<string, number> }) {
  const entries = Object.entries(counts).filter(([, n]) => n > 0)
  if (entries.length === 0) return <span className="muted">none</span>
  return (
    <ul className="counts">
      {entries.map(([reason, n]) => (
        <li key={reason}>
          <span className="num">{fmtInt(n)}</span> {REASON_LABELS[reason] ?? reason}
        </li>
      ))}
    </ul>
  )
}

const grouped = new Set([...QUALITATIVE_REASONS, ...FLAG_REASONS])

const pick = (counts: Record<string, number>, keep: (reason: string) => boolean) =>
  Object.fromEntries(Object.entries(counts).filter(([r]) => keep(r)))

/** What an import kept and why it rejected the rest. */
export function ImportSummary({ summary, jobId }: { summary: Summary; jobId?: string }) {
  const go = useApp((s) => s.go)
  if (summary.skipped) {
    return (
      <p className="notice" data-testid="import-skipped">
        Skipped: this file was imported before (import #{summary.previousImportId}). Choose “Import
        again” to import it once more.
      </p>
    )
  }
  return (
    <div className="summary" data-testid="import-summary">
      <div className="stats">
        <div>
          <span className="stat">{fmtInt(summary.rowsTotal)}</span>rows read
        </div>
        <div>
          <span className="stat ok">{fmtInt(summary.rowsAccepted)}</span>accepted
        </div>
        <div>
          <span className="stat bad">{fmtInt(summary.rowsRejected)}</span>rejected
        </div>
        <div data-testid="import-already-present">
          <span className="stat">{fmtInt(summary.alreadyPresent)}</span>already present
        </div>
        <div>
          <span className="stat">{fmtInt(summary.compoundsNew)}</span>new compounds
        </div>
        <div>
          <span className="stat">{fmtInt(summary.compoundsUpdated)}</span>updated
        </div>
        <div>
          <span className="stat">{summary.seconds.toFixed(1)} s</span>
          {fmtInt(Math.round(summary.rowsPerSecond))} rows/s
        </div>
      </div>
      {summary.alreadyPresent > 0 && (
        <p className="notice" data-testid="import-already-present-note">
          {fmtInt(summary.alreadyPresent)} of the accepted rows were already in the database from an
          earlier import (same ChEMBL activity ID, or the same compound, type, relation, value,
          units, assay and document): they were not added a second time.{' '}
          {fmtInt(summary.activities)} new measurements were added.
        </p>
      )}
      {summary.importId !== null && <DriftLine importId={summary.importId} afterJob={jobId} />}
      <div className="summary-columns">
        <div>
          <h3>Rejected rows by reason</h3>
          <Counts counts={summary.rejectionsByReason} />
        </div>
        <div>
          <h3>Kept, but not used for training</h3>
          <Counts counts={pick(summary.unusableByReason, (r) => !grouped.has(r))} />
        </div>
        <div data-testid="import-qualitative">
          <h3>Results in words (no value)</h3>
          <Counts counts={pick(summary.unusableByReason, (r) => QUALITATIVE_REASONS.includes(r))} />
        </div>
        <div data-testid="import-flagged">
          <h3>Doubted by ChEMBL’s curators</h3>
          <Counts counts={pick(summary.unusableByReason, (r) => FLAG_REASONS.includes(r))} />
          <p className="muted small">Left out of training unless you include them.</p>
        </div>
        <div>
          <h3>File values vs RDKit</h3>
          {summary.disagreements.compared > 0 ? (
            <p>
              {fmtInt(summary.disagreements.compared)} compounds compared: MW differs by more than
              0.5 for {summary.disagreements.mw}, AlogP for {summary.disagreements.alogp}.
            </p>
          ) : (
            <p className="muted">
              {summary.rdkitVersion
                ? 'The file has no MW and AlogP to compare.'
                : 'Descriptors were not computed.'}
            </p>
          )}
          {summary.rdkitVersion && (
            <p className="muted">Computed features: RDKit {summary.rdkitVersion}.</p>
          )}
        </div>
      </div>
      <div className="row">
        {summary.rowsRejected > 0 && summary.importId !== null && (
          <button
            type="button"
            className="button"
            onClick={() => void downloadRejections(summary.importId as number, summary.file)}
          >
            Download rejected rows (CSV)
          </button>
        )}
        <button type="button" className="button primary" onClick={() => go('data')}>
          View data
        </button>
      </div>
    </div>
  )
}
