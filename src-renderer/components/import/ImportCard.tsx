import { useEffect, useRef } from 'react'
import { type Delimiter, type ImportItem, importSlot, useImports } from '../../store/import-store'
import { useJob } from '../../store/use-job'
import { JobProgress } from '../JobProgress'
import { fmtBytes, fmtDate } from '../format'
import { ImportSummary } from './ImportSummary'
import { DELIMITERS, FIELD_LABELS, FORMAT_LABELS } from './labels'

/** One dropped file: its preview and mapping, then its progress, then its summary. */
export function ImportCard({ item }: { item: ImportItem }) {
  const { setField, setDuplicate, setDelimiter, start, dismiss } = useImports()
  const { job, running } = useJob('imports.start', importSlot(item.key))
  const p = item.preview
  const card = useRef<HTMLElement>(null)
  const outcome = useRef<HTMLDivElement>(null)
  // The Import button goes when the job starts and the progress bar when it ends; focus on either
  // fell to the page. It follows to the job's Cancel button, then to the outcome, unless the user
  // has already moved on to something else.
  const state = job?.state
  useEffect(() => {
    const here = card.current
    const active = document.activeElement
    if (!state || !here || (active && active !== document.body && !here.contains(active))) return
    if (state === 'running')
      here.querySelector<HTMLButtonElement>('[data-testid="import-progress"] button')?.focus()
    else outcome.current?.focus()
  }, [state])
  const mappedFields = new Set(Object.values(item.mapping).filter(Boolean))
  // The preview's problems describe the guessed mapping; once the user maps a column to a
  // molecule ID or SMILES they no longer apply (the engine checks again when the import starts).
  const identified = mappedFields.has('molecule_chembl_id') || mappedFields.has('smiles')
  const canImport = p && !running && identified

  return (
    <section
      ref={card}
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
      {p && !identified && p.problems.length === 0 && (
        <p className="error" role="alert">
          Map a column to Molecule ChEMBL ID or SMILES: the importer needs one of them to tell
          molecules apart.
        </p>
      )}
      {!identified &&
        p?.problems.map((problem) => (
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
            kept as written) · first {p.rows.length} rows of the file
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
                {p.rows.map((row, r) => (
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
        <JobProgress
          job={job}
          label={`Import progress for ${item.file.name}`}
          cancelLabel={`Cancel importing ${item.file.name}`}
          testId="import-progress"
        />
      )}
      <div ref={outcome} tabIndex={-1} className="import-outcome" data-testid="import-outcome">
        {job && job.state === 'failed' && (
          <p className="error" role="alert">
            The import failed and nothing was kept: {job.error}
          </p>
        )}
        {job && job.state === 'cancelled' && (
          <p className="notice">Cancelled. Nothing from this file was kept.</p>
        )}
        {job && job.state === 'succeeded' && <ImportSummary summary={job.result} jobId={job.id} />}
      </div>
      {p && (!job || job.state === 'failed' || job.state === 'cancelled') && (
        <div className="row">
          <button
            type="button"
            className="button primary"
            disabled={!canImport}
            onClick={() => void start(item.key)}
            // the sidebar has an "Import" button too: this one names its file
            aria-label={`${item.duplicate === 'skip' && p.previousImports.length > 0 ? 'Check and skip' : 'Import'} ${item.file.name}`}
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
