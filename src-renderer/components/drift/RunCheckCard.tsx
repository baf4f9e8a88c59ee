import { useEffect, useState } from 'react'
import type {
  BatchSummary,
  DriftSourceInput,
  FileRef,
  ImportRecord,
} from '../../../src-main/contract'
import { call } from '../../api/client'
import { useDataVersion, useJob } from '../../store/use-job'
import { DropZone } from '../DropZone'
import { JobProgress } from '../JobProgress'
import { fmtBytes, fmtDay, fmtInt } from '../format'
import { useOpenFinishedCheck } from './use-open-check'

type Kind = DriftSourceInput['kind']

const KINDS: { value: Kind; label: string }[] = [
  { value: 'since-training', label: 'Compounds imported since the model was trained' },
  { value: 'import', label: 'One import' },
  { value: 'batch', label: 'One prediction batch' },
  { value: 'window', label: 'Predictions made in a time window' },
  { value: 'file', label: 'A file (nothing is imported)' },
]

const daysAgo = (days: number) =>
  new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)

/** Compares a source of new rows with a model's training rows, as a job with progress. */
export function RunCheckCard({ model }: { model: string }) {
  const { job, running, start } = useJob('drift.run')
  const [kind, setKind] = useState<Kind>('since-training')
  const [imports, setImports] = useState<ImportRecord[]>([])
  const [batches, setBatches] = useState<BatchSummary[]>([])
  const [importId, setImportId] = useState<number | null>(null)
  const [batchId, setBatchId] = useState<number | null>(null)
  const [from, setFrom] = useState(daysAgo(30))
  const [to, setTo] = useState('')
  const [file, setFile] = useState<FileRef | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const changed = useDataVersion('imports', 'predictions')
  useOpenFinishedCheck(job)

  useEffect(() => {
    void Promise.all([call('imports.list', {}), call('predictions.batches', {})]).then(
      ([i, b]) => {
        setImports(i)
        setBatches(b)
      },
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    )
  }, [changed])
  const failed = job?.state === 'failed' ? (job.error ?? 'The check failed.') : null
  useEffect(() => {
    if (failed) setProblem(failed)
  }, [failed])

  const source = (): DriftSourceInput | string => {
    switch (kind) {
      case 'since-training':
        return { kind }
      case 'import': {
        const id = importId ?? imports[0]?.id
        return id ? { kind, importId: id } : 'There is no import to check yet.'
      }
      case 'batch': {
        const id = batchId ?? batches[0]?.batchId
        return id ? { kind, batchId: id } : 'There is no prediction batch to check yet.'
      }
      case 'window':
        if (!from) return 'Choose the first day of the window.'
        if (to && to < from) return 'The window ends before it starts.'
        // the days the user picked, whole, in their own time zone
        return {
          kind,
          from: new Date(`${from}T00:00:00`).toISOString(),
          ...(to ? { to: new Date(`${to}T23:59:59.999`).toISOString() } : {}),
        }
      case 'file':
        return file ? { kind, file } : 'Drop or choose a file first.'
    }
  }

  const run = async () => {
    setProblem(null)
    const s = source()
    if (typeof s === 'string') return setProblem(s)
    try {
      await start('drift.run', { model, source: s })
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <section className="card" aria-labelledby="drift-run-title" data-testid="drift-run">
      <h2 id="drift-run-title">Run a check</h2>
      <p className="muted small">
        Compares new rows with the rows {model} was trained on: every feature, the predictions, the
        measured values when there are any, and the chemistry.
      </p>
      <div className="form-grid">
        <label className="field">
          <span>Compare</span>
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as Kind)}
            aria-label="What to compare"
          >
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        {kind === 'import' && (
          <label className="field">
            <span>Import</span>
            <select
              value={importId ?? imports[0]?.id ?? ''}
              onChange={(e) => setImportId(Number(e.target.value))}
              aria-label="Import to check"
              disabled={imports.length === 0}
            >
              {imports.length === 0 && <option value="">no imports yet</option>}
              {imports.map((i) => (
                <option key={i.id} value={i.id}>
                  #{i.id} {i.fileName} · {fmtInt(i.rowsAccepted)} rows · {fmtDay(i.finishedAt)}
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'batch' && (
          <label className="field">
            <span>Prediction batch</span>
            <select
              value={batchId ?? batches[0]?.batchId ?? ''}
              onChange={(e) => setBatchId(Number(e.target.value))}
              aria-label="Prediction batch to check"
              disabled={batches.length === 0}
            >
              {batches.length === 0 && <option value="">no batches yet</option>}
              {batches.map((b) => (
                <option key={b.batchId} value={b.batchId}>
                  #{b.batchId} {b.inputName ?? 'database'} · {fmtInt(b.rowsScored)} rows
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'window' && (
          <div className="row">
            <label className="field">
              <span>From (day)</span>
              <input
                type="date"
                value={from}
                onChange={(e) => setFrom(e.target.value)}
                aria-label="First day of the window"
              />
            </label>
            <label className="field">
              <span>To (empty: now)</span>
              <input
                type="date"
                value={to}
                onChange={(e) => setTo(e.target.value)}
                aria-label="Last day of the window"
              />
            </label>
          </div>
        )}
      </div>
      {kind === 'file' && (
        <>
          <DropZone
            label="Drop a file of compounds to check"
            hint="Any file the importer reads: SMILES, or MW, AlogP, HBA and HBD; measured values are compared too. Nothing is imported."
            onFiles={(files) => {
              const f = files[0]
              if (f)
                void window.workbench
                  .fileRef(f)
                  .then(setFile, (e: unknown) => setProblem(String(e)))
            }}
          />
          {file && (
            <p className="small" data-testid="drift-file">
              {file.name} ({fmtBytes(file.size)})
            </p>
          )}
        </>
      )}
      <div className="row" style={{ marginTop: 12 }}>
        <button
          type="button"
          className="button primary"
          disabled={running}
          onClick={() => void run()}
        >
          Run the check
        </button>
      </div>
      {running && job && (
        <JobProgress
          job={job}
          label="Drift check progress"
          cancelLabel="Cancel the drift check"
          testId="drift-run-progress"
        />
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  )
}
