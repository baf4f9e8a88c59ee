import { useEffect } from 'react'
import type { ImportRecord, ImportSummary } from '../../src-main/contract'
import { call, on } from '../api/client'
import { DropZone } from '../components/DropZone'
import { ScreenHeader } from '../components/ScreenHeader'
import { downloadText, toCsv } from '../components/csv'
import { REASON_LABELS, fmtBytes, fmtDate, fmtInt } from '../components/format'
import { useApp } from '../store/app-store'
import { type Delimiter, type ImportItem, useImports } from '../store/import-store'

const FIELD_LABELS: Record<string, string> = {
  molecule_chembl_id: 'Molecule ChEMBL ID',
  molecule_name: 'Molecule name',
  smiles: 'SMILES',
  mw_freebase: 'MW (mw_freebase)',
  alogp: 'AlogP',
  hba: 'HBA',
  hbd: 'HBD',
  standard_type: 'Standard type',
  standard_relation: 'Relation',
  standard_value: 'Standard value',
  standard_units: 'Standard units',
  pchembl_value: 'pChEMBL / pActivity',
  assay_chembl_id: 'Assay ChEMBL ID',
  target_chembl_id: 'Target ChEMBL ID',
  target_name: 'Target name',
  document_chembl_id: 'Document ChEMBL ID',
  document_year: 'Document year',
}

const FORMAT_LABELS: Record<string, string> = {
  'chembl-web': 'ChEMBL web export',
  'chembl-api': 'ChEMBL web-services dump',
  generic: 'Delimited table',
}

const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' }

async function downloadRejections(importId: number, fileName: string) {
  const rows: unknown[][] = []
  for (let offset = 0; ; offset += 50_000) {
    const page = await call('imports.rejections', { importId, offset, limit: 50_000 })
    rows.push(...page.rows.map((r) => [r.line, r.reason, r.detail, r.rawLine]))
    if (offset + page.rows.length >= page.total || page.rows.length === 0) break
  }
  downloadText(
    `${fileName.replace(/\.[^.]+$/, '')}-rejected-rows.csv`,
    toCsv(['line', 'reason', 'detail', 'raw_line'], rows),
  )
}

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

function Summary({ summary }: { summary: ImportSummary }) {
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
      <div className="summary-columns">
        <div>
          <h3>Rejected rows by reason</h3>
          <Counts counts={summary.rejectionsByReason} />
        </div>
        <div>
          <h3>Kept, but not used for training</h3>
          <Counts counts={summary.unusableByReason} />
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

function ImportCard({ item }: { item: ImportItem }) {
  const { setField, setDuplicate, setDelimiter, start, dismiss } = useImports()
  const job = useApp((s) => (item.jobId ? s.jobs[item.jobId] : undefined))
  const p = item.preview
  const running = job?.state === 'running'
  const mappedFields = new Set(Object.values(item.mapping).filter(Boolean))
  const canImport =
    p &&
    p.problems.length === 0 &&
    !running &&
    (mappedFields.has('molecule_chembl_id') || mappedFields.has('smiles'))

  return (
    <section
      className="card import-card"
      aria-label={`Import ${item.file.name}`}
      data-testid="import-card"
    >
      <header className="import-card-head">
        <div>
          <h2>{item.file.name}</h2>
          <p className="muted">
            {fmtBytes(item.file.size)}
            {p &&
              ` · ${FORMAT_LABELS[p.format] ?? p.format} · ${DELIMITERS[p.delimiter] ?? p.delimiter}-separated · ${p.encoding.toUpperCase()} · ${p.header.length} columns`}
          </p>
        </div>
        {p && !job && (
          <label className="field inline">
            <span>Separator</span>
            <select
              value={p.delimiter}
              onChange={(e) => void setDelimiter(item.key, e.target.value as Delimiter)}
            >
              <option value=",">comma</option>
              <option value=";">semicolon</option>
              <option value={'\t'}>tab</option>
            </select>
          </label>
        )}
        {!running && (
          <button
            type="button"
            className="link-button"
            onClick={() => dismiss(item.key)}
            aria-label={`Close ${item.file.name}`}
          >
            Close
          </button>
        )}
      </header>
      {(item.state === 'uploading' || item.state === 'previewing') && (
        <p className="muted">
          {item.state === 'uploading' ? 'Reading the file…' : 'Looking at the file…'}
        </p>
      )}
      {item.error && (
        <p className="error" role="alert">
          {item.error}
        </p>
      )}
      {p && p.previousImports.length > 0 && !job && (
        <div className="notice" role="status">
          This file was imported before (
          {p.previousImports.map((x) => `#${x.id} on ${fmtDate(x.finishedAt)}`).join(', ')}).
          <label>
            <input
              type="radio"
              name={`dup-${item.key}`}
              checked={item.duplicate === 'skip'}
              onChange={() => setDuplicate(item.key, 'skip')}
            />{' '}
            Skip it
          </label>
          <label>
            <input
              type="radio"
              name={`dup-${item.key}`}
              checked={item.duplicate === 'import'}
              onChange={() => setDuplicate(item.key, 'import')}
            />{' '}
            Import again
          </label>
        </div>
      )}
      {p?.problems.map((problem) => (
        <p key={problem} className="error" role="alert">
          {problem}
        </p>
      ))}
      {p && p.duplicateColumns.length > 0 && (
        <p className="notice">
          Columns named twice: {p.duplicateColumns.join(', ')}. The first of each is used.
        </p>
      )}
      {p && !job && (
        <details open className="mapping">
          <summary>
            Columns and mapping ({mappedFields.size} of {p.header.length} columns used; the rest are
            kept as written)
          </summary>
          <div className="preview-scroll">
            <table className="table preview-table">
              <thead>
                <tr>
                  {p.header.map((h, i) => (
                    <th
                      key={`${h}-${i}`}
                      scope="col"
                      className={item.mapping[h] ? 'mapped' : undefined}
                    >
                      <div className="col-name">{h}</div>
                      <select
                        aria-label={`Field for column ${h}`}
                        value={item.mapping[h] ?? ''}
                        onChange={(e) => setField(item.key, h, e.target.value)}
                      >
                        <option value="">— keep as written</option>
                        {p.fields.map((f) => (
                          <option key={f} value={f}>
                            {FIELD_LABELS[f] ?? f}
                          </option>
                        ))}
                      </select>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {p.rows.slice(0, 8).map((row, r) => (
                  <tr key={r}>
                    {p.header.map((h, c) => (
                      <td key={`${h}-${c}`}>{row[c]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {job && job.state === 'running' && (
        <div className="job-progress" data-testid="import-progress">
          <progress
            max={1}
            value={job.progress.fraction}
            aria-label={`Import progress for ${item.file.name}`}
          />
          <div className="row">
            <span>
              {job.progress.phase}
              {job.progress.message ? ` · ${job.progress.message}` : ''}
            </span>
            <span className="num">{Math.round(job.progress.fraction * 100)}%</span>
            <button
              type="button"
              className="button"
              onClick={() => void call('jobs.cancel', { jobId: job.id })}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {job && job.state === 'failed' && (
        <p className="error" role="alert">
          The import failed and nothing was kept: {job.error}
        </p>
      )}
      {job && job.state === 'cancelled' && (
        <p className="notice">Cancelled. Nothing from this file was kept.</p>
      )}
      {job && job.state === 'succeeded' && <Summary summary={job.result as ImportSummary} />}
      {p && (!job || job.state === 'failed' || job.state === 'cancelled') && (
        <div className="row">
          <button
            type="button"
            className="button primary"
            disabled={!canImport}
            onClick={() => void start(item.key)}
          >
            {item.duplicate === 'skip' && p.previousImports.length > 0
              ? 'Check and skip'
              : 'Import'}
          </button>
        </div>
      )}
    </section>
  )
}

function History({ history }: { history: ImportRecord[] }) {
  if (history.length === 0) return null
  return (
    <section className="card wide" aria-labelledby="history">
      <h2 id="history">Import history</h2>
      <table className="table" data-testid="import-history">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">File</th>
            <th scope="col">Format</th>
            <th scope="col">Imported</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col" className="num">
              Accepted
            </th>
            <th scope="col" className="num">
              Rejected
            </th>
            <th scope="col" className="num">
              New compounds
            </th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {history.map((h) => (
            <tr key={h.id}>
              <td className="num">{h.id}</td>
              <td>
                {h.fileName}
                {h.isSynthetic && <span className="tag">synthetic</span>}
              </td>
              <td>{FORMAT_LABELS[h.format] ?? h.format}</td>
              <td>{fmtDate(h.finishedAt)}</td>
              <td className="num">{fmtInt(h.rowsTotal)}</td>
              <td className="num">{fmtInt(h.rowsAccepted)}</td>
              <td className="num">{fmtInt(h.rowsRejected)}</td>
              <td className="num">{fmtInt(h.compoundsNew)}</td>
              <td>
                {h.rowsRejected > 0 && (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => void downloadRejections(h.id, h.fileName)}
                  >
                    Rejected rows
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

export function ImportScreen() {
  const { items, history, addFiles, addRefs, refreshHistory } = useImports()
  const jobs = useApp((s) => s.jobs)
  const finishedImports = Object.values(jobs).filter(
    (j) => j.kind === 'imports.start' && j.state !== 'running',
  ).length

  useEffect(() => {
    void refreshHistory()
  }, [refreshHistory, finishedImports])

  // Files picked from the desktop app's File menu arrive as an event.
  useEffect(() => on('files.chosen', ({ files }) => void addRefs(files)), [addRefs])

  return (
    <>
      <ScreenHeader title="Import">
        Bring ChEMBL bioactivity exports into the local database. Every row is kept or rejected with
        a reason.
      </ScreenHeader>
      <div className="stack">
        <DropZone
          onFiles={(files) => void addFiles(files)}
          label="Drop ChEMBL exports here"
          hint="Web-interface exports (semicolon-separated), web-services dumps (comma-separated) or any table with a header: CSV, TSV, UTF-8 or UTF-16."
        />
        {items.map((item) => (
          <ImportCard key={item.key} item={item} />
        ))}
        {items.length === 0 && history.length === 0 && (
          <p className="muted">
            Potency is stored in nM and as pActivity = 9 − log10(nM). Missing molecular weight,
            AlogP, H-bond acceptors and donors are computed from the SMILES with RDKit.
          </p>
        )}
        <History history={history} />
      </div>
    </>
  )
}
