import { type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type {
  BatchFileCheck,
  BatchSummary,
  FileRef,
  MethodInput,
  PredictionRow,
} from '../../../src-main/contract'
import { call } from '../../api/client'
import { PlotlyChart } from '../../charts/PlotlyChart'
import { observedVsPredicted } from '../../charts/figures'
import { usePredict } from '../../store/predict-store'
import { useDataVersion, useJob } from '../../store/use-job'
import { DropZone } from '../DropZone'
import { JobProgress } from '../JobProgress'
import { downloadFile } from '../csv'
import { type Column, VirtualTable } from '../VirtualTable'
import { StructureImage } from '../chem/StructureImage'
import { DriftLine } from '../drift/DriftLine'
import { ReportButton } from '../reports/ReportButton'
import { useCompoundPanel } from '../../store/compound-store'
import { REASON_LABELS, fmtConcentration, fmtCount, fmtDate, fmtInt, fmtNum } from '../format'

const COLUMNS: Column<PredictionRow>[] = [
  { key: 'row', label: 'Row', width: 60, align: 'right', render: (r) => fmtInt(r.rowNumber) },
  {
    key: 'structure',
    label: 'Structure',
    width: 112,
    className: 'structure-cell',
    render: (r) => (
      <StructureImage
        {...(r.compoundId !== null ? { compoundId: r.compoundId } : { smiles: r.smiles })}
        size={104}
        title={r.moleculeId ?? undefined}
      />
    ),
  },
  { key: 'id', label: 'Molecule', width: 150, render: (r) => r.moleculeId ?? '—' },
  {
    key: 'p',
    label: 'pActivity',
    width: 86,
    align: 'right',
    render: (r) => (r.failure ? '' : fmtNum(r.pActivity, 2)),
  },
  {
    key: 'nm',
    label: 'Predicted',
    width: 96,
    align: 'right',
    render: (r) => (r.failure ? '' : fmtConcentration(r.nM)),
  },
  {
    key: 'interval',
    label: '90% interval',
    width: 110,
    align: 'right',
    render: (r) => (r.failure ? '' : `${fmtNum(r.intervalLow, 2)} – ${fmtNum(r.intervalHigh, 2)}`),
  },
  {
    key: 'domain',
    label: 'Domain',
    width: 80,
    render: (r) =>
      r.failure ? (
        ''
      ) : r.inDomain ? (
        <span className="ok-text">inside</span>
      ) : (
        <span className="error">outside</span>
      ),
  },
  {
    key: 'obs',
    label: 'Measured',
    width: 84,
    align: 'right',
    render: (r) => fmtNum(r.observed, 2),
  },
  {
    key: 'trained',
    label: 'Trained on',
    width: 84,
    render: (r) => (r.inTrainingSet === null ? '—' : r.inTrainingSet ? 'yes' : 'no'),
    title: () => 'Whether the model was trained on this compound',
  },
  {
    key: 'features',
    label: 'MW · AlogP · HBA · HBD',
    width: 190,
    render: (r) =>
      [r.inputs.mw_freebase, r.inputs.alogp, r.inputs.hba, r.inputs.hbd]
        .map((v, i) => fmtNum(v ?? null, i < 2 ? 1 : 0))
        .join(' · '),
  },
  {
    key: 'failure',
    label: 'Not scored because',
    width: 200,
    render: (r) =>
      r.failure ? <span className="error">{REASON_LABELS[r.failure] ?? r.failure}</span> : '',
  },
  {
    key: 'smiles',
    label: 'SMILES',
    width: 320,
    render: (r) => <span className="mono">{r.smiles ?? ''}</span>,
    title: (r) => r.smiles ?? undefined,
  },
]

/** A row of a database batch opens its compound's page; a file's rows have no stored compound. */
const OPEN_ROW = {
  open: (r: PredictionRow) => {
    if (r.compoundId !== null) useCompoundPanel.getState().open(r.compoundId)
  },
  label: (r: PredictionRow) => `Open compound ${r.moleculeId ?? r.compoundId}`,
  can: (r: PredictionRow) => r.compoundId !== null,
}

/** Batch scoring: drop a file or score the database, then the results, export and history. */
export function BatchPanel({ model }: { model: string }) {
  const { batches, current, refresh, open } = usePredict()
  const { job, running, start: startJob } = useJob('predictions.batch')
  const predictions = useDataVersion('predictions')
  const [problem, setProblem] = useState<string | null>(null)
  const resultsHeading = useRef<HTMLHeadingElement>(null)
  // A batch reopened from the history appears above the link that opened it: focus goes to its
  // heading once it is shown, or a keyboard user is left below the results they asked for.
  const [focusBatch, setFocusBatch] = useState<number | null>(null)
  const reopen = (batchId: number) => {
    setFocusBatch(batchId)
    void open(batchId)
  }
  useEffect(() => {
    if (focusBatch !== null && current?.batchId === focusBatch) {
      resultsHeading.current?.focus()
      setFocusBatch(null)
    }
  }, [focusBatch, current?.batchId])

  // the history is read again whenever a batch or a single prediction is stored
  useEffect(() => {
    void refresh()
  }, [refresh, predictions])
  const scored = job?.state === 'succeeded' ? job.result.batchId : null
  useEffect(() => {
    if (scored !== null) void open(scored)
  }, [scored, open])
  const failed = job?.state === 'failed' ? (job.error ?? 'The batch failed.') : null
  useEffect(() => {
    if (failed) setProblem(failed)
  }, [failed])

  const start = async (input: MethodInput<'predictions.batch'>) => {
    setProblem(null)
    try {
      await startJob('predictions.batch', { ...input, model })
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    }
  }

  // A file is checked before it is scored: rows that name other targets than the model's are
  // shown, and the user chooses to score them all or only the model's target's rows.
  const [checking, setChecking] = useState(false)
  const [pending, setPending] = useState<{ file: FileRef; check: BatchFileCheck } | null>(null)
  const chooseFile = async (file: FileRef) => {
    setProblem(null)
    setPending(null)
    setChecking(true)
    try {
      const check = await call('predictions.checkFile', { file })
      if (check.otherTargetRows > 0) setPending({ file, check })
      else await start({ file })
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    } finally {
      setChecking(false)
    }
  }
  const scorePending = (onlyModelTarget: boolean) => {
    if (!pending) return
    setPending(null)
    void start({ file: pending.file, onlyModelTarget })
  }

  return (
    <>
      <section className="card" aria-labelledby="batch-title">
        <h2 id="batch-title">Many compounds</h2>
        <DropZone
          label="Drop a file of compounds to score"
          hint="Any file the importer reads: a SMILES column, or MW, AlogP, HBA and HBD. Measured values, when present, are compared."
          onFiles={(files) => {
            const file = files[0]
            if (file) void window.workbench.fileRef(file).then((ref) => chooseFile(ref))
          }}
        />
        {checking && (
          <p className="muted" role="status">
            Checking the file’s targets…
          </p>
        )}
        {pending && (
          <TargetWarning
            check={pending.check}
            onScore={scorePending}
            onCancel={() => setPending(null)}
          />
        )}
        <div className="row" style={{ marginTop: 10 }}>
          <button
            type="button"
            className="button"
            disabled={running || checking || pending !== null}
            onClick={() => void start({ database: {} })}
          >
            Score every compound in the database
          </button>
        </div>
        {running && job && (
          <JobProgress
            job={job}
            label="Batch progress"
            cancelLabel="Cancel scoring this batch"
            testId="batch-progress"
          />
        )}
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
      </section>
      {current && (
        <BatchResults
          batch={current}
          headingRef={resultsHeading}
          scoredBy={
            job?.state === 'succeeded' && job.result.batchId === current.batchId
              ? job.id
              : undefined
          }
        />
      )}
      {batches.length > 0 && (
        <section className="card wide" aria-labelledby="history-title">
          <h2 id="history-title">Prediction history</h2>
          <table className="table" data-testid="batch-history">
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Input</th>
                <th scope="col">Model</th>
                <th scope="col" className="num">
                  Scored
                </th>
                <th scope="col" className="num">
                  Not scored
                </th>
                <th scope="col" className="num">
                  RMSE vs measured
                </th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.batchId} className={current?.batchId === b.batchId ? 'selected' : ''}>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => reopen(b.batchId)}
                      aria-label={`Open batch #${b.batchId}`}
                    >
                      #{b.batchId}
                    </button>
                  </td>
                  <td>{b.inputName}</td>
                  <td>{b.modelVersion}</td>
                  <td className="num">{fmtInt(b.rowsScored)}</td>
                  <td className="num">{fmtInt(b.rowsFailed)}</td>
                  <td className="num">{b.observed ? fmtNum(b.observed.rmse, 3) : '—'}</td>
                  <td className="muted nowrap">{fmtDate(b.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  )
}

/** "312 of 1,204 rows name other targets: …" and the two ways on. */
function TargetWarning({
  check,
  onScore,
  onCancel,
}: {
  check: BatchFileCheck
  onScore: (onlyModelTarget: boolean) => void
  onCancel: () => void
}) {
  const others = check.targets.filter((t) => t.targetChemblId !== check.modelTarget)
  const model = [check.modelTarget, check.modelTargetName].filter(Boolean).join(' ')
  const modelRows = check.rows - check.otherTargetRows
  return (
    <div className="notice" role="alert" data-testid="batch-target-warning">
      <p>
        <strong>
          {fmtInt(check.otherTargetRows)} of {fmtCount(check.rows, 'row')} name other targets
        </strong>
        :{' '}
        {others
          .map(
            (t) =>
              `${t.targetChemblId ?? 'no target'}${t.name ? ` ${t.name}` : ''} (${fmtInt(t.rows)})`,
          )
          .join(', ')}
        . This model ({check.modelVersion}) predicts{' '}
        {check.modelTypes.length > 0 ? `${check.modelTypes.join(', ')} for ` : ''}
        {model}.
      </p>
      <p className="muted small">
        Measured values are compared only on {check.modelTarget} rows of{' '}
        {check.modelTypes.join(', ')}, whichever you choose.
      </p>
      <div className="row">
        <button type="button" className="button" onClick={() => onScore(false)}>
          Score all rows
        </button>
        <button
          type="button"
          className="button primary"
          disabled={modelRows === 0}
          onClick={() => onScore(true)}
        >
          Score only {check.modelTarget} rows
        </button>
        <button type="button" className="link-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  )
}

function BatchResults({
  batch,
  headingRef,
  scoredBy,
}: {
  batch: BatchSummary
  headingRef: RefObject<HTMLHeadingElement | null>
  /** the job that scored this batch here, when it was (its automatic check follows it) */
  scoredBy?: string
}) {
  const [domain, setDomain] = useState<'all' | 'inside' | 'outside' | 'failed'>('all')
  const [minP, setMinP] = useState('')
  const [sort, setSort] = useState<'row' | '-pActivity'>('row')
  const [total, setTotal] = useState(0)
  const [points, setPoints] = useState<PredictionRow[]>([])
  const filters = useMemo(() => {
    const min = minP.trim() === '' ? undefined : Number(minP)
    return {
      batchId: batch.batchId,
      sort,
      ...(domain === 'failed' ? { failed: true } : {}),
      ...(domain === 'inside' ? { inDomain: true, failed: false } : {}),
      ...(domain === 'outside' ? { inDomain: false, failed: false } : {}),
      ...(min !== undefined && Number.isFinite(min) ? { minPActivity: min } : {}),
    }
  }, [batch.batchId, domain, minP, sort])
  const queryKey = JSON.stringify(filters)
  useEffect(() => {
    void call('predictions.rows', { ...filters, limit: 1 }).then((r) => setTotal(r.total))
  }, [filters])
  useEffect(() => {
    if (!batch.observed) return setPoints([])
    void call('predictions.rows', { batchId: batch.batchId, failed: false, limit: 1000 }).then(
      (r) => setPoints(r.rows.filter((p) => p.observed !== null)),
    )
  }, [batch.batchId, batch.observed])
  const fetchPage = useCallback(
    async (offset: number, limit: number) =>
      (await call('predictions.rows', { ...filters, offset, limit })).rows,
    [filters],
  )
  const scatter = useCallback(
    () =>
      observedVsPredicted(
        points.map((p) => p.observed as number),
        points.map((p) => p.pActivity as number),
        { x: 'measured pActivity', y: 'predicted' },
        260,
      ),
    [points],
  )

  const filtered = Object.keys(filters).some(
    (k) => k === 'failed' || k === 'inDomain' || k === 'minPActivity',
  )
  const allRows = batch.rowsScored + batch.rowsFailed
  // The file holds what the table shows (filter and order); "all rows" is offered beside it.
  const exportCsv = async (which: 'shown' | 'all') => {
    const csv = await call(
      'predictions.csv',
      which === 'shown' ? { ...filters } : { batchId: batch.batchId },
    )
    downloadFile(csv.fileName, csv.csv)
  }

  return (
    <section className="card wide" aria-labelledby="results-title" data-testid="batch-results">
      <div className="row spread">
        <h2 id="results-title" ref={headingRef} tabIndex={-1}>
          Batch #{batch.batchId} · {batch.inputName} · model {batch.modelVersion}
        </h2>
        <div className="row">
          {filtered && (
            <button type="button" className="button" onClick={() => void exportCsv('shown')}>
              Export {fmtCount(total, 'shown row')} (CSV)
            </button>
          )}
          <button
            type="button"
            className="button"
            onClick={() => void exportCsv(filtered ? 'all' : 'shown')}
          >
            Export all {fmtCount(allRows, 'row')} (CSV)
          </button>
          <ReportButton subject={{ kind: 'batch', batchId: batch.batchId }} label="Report" />
        </div>
      </div>
      <div className="stats">
        <div>
          Scored<span className="stat ok">{fmtInt(batch.rowsScored)}</span>
        </div>
        <div>
          Not scored
          <span className={batch.rowsFailed ? 'stat bad' : 'stat'}>{fmtInt(batch.rowsFailed)}</span>
        </div>
        <div>
          Inside domain<span className="stat">{fmtInt(batch.inDomain)}</span>
        </div>
        <div>
          RMSE vs measured
          <span className="stat">{batch.observed ? fmtNum(batch.observed.rmse, 3) : '—'}</span>
        </div>
        <div>
          Measured rows
          <span className="stat">{batch.observed ? fmtInt(batch.observed.rows) : '—'}</span>
        </div>
        <div>
          Rows/s<span className="stat">{fmtInt(Math.round(batch.rowsPerSecond))}</span>
        </div>
      </div>
      <DriftLine batchId={batch.batchId} afterJob={scoredBy} />
      {(batch.inSample || batch.outOfSample) && (
        <div data-testid="batch-rmse-split" style={{ marginTop: 12 }}>
          {batch.inSample && (
            <p>
              RMSE {fmtNum(batch.inSample.rmse, 2)} (in-sample,{' '}
              {fmtCount(batch.inSample.compounds, 'compound')} the model was trained on)
            </p>
          )}
          {batch.outOfSample && (
            <p>
              RMSE {fmtNum(batch.outOfSample.rmse, 2)} (out-of-sample,{' '}
              {fmtCount(batch.outOfSample.compounds, 'new compound')})
            </p>
          )}
        </div>
      )}
      {batch.otherTargetRows !== null && batch.otherTargetRows > 0 && (
        <p className="muted small" data-testid="batch-other-targets">
          {batch.onlyModelTarget
            ? `${fmtCount(batch.otherTargetRows, 'row')} naming other targets were not scored.`
            : `${fmtCount(batch.otherTargetRows, 'row')} name other targets: scored, but their measured values are not compared.`}
        </p>
      )}
      {batch.rowsFailed > 0 && (
        <p className="muted small" data-testid="batch-failures">
          Not scored:{' '}
          {Object.entries(batch.failuresByReason)
            .map(([r, n]) => `${fmtInt(n)} ${REASON_LABELS[r] ?? r}`)
            .join(', ')}
          .
        </p>
      )}
      {points.length > 0 && (
        <figure className="batch-plot">
          <figcaption>
            Predicted vs measured ({fmtInt(points.length)}
            {batch.observed && batch.observed.rows > points.length
              ? ` of ${fmtInt(batch.observed.rows)}`
              : ''}{' '}
            rows)
          </figcaption>
          <PlotlyChart
            figure={scatter}
            label="Predicted versus measured pActivity"
            testId="batch-scatter"
          />
        </figure>
      )}
      <div className="filters">
        <label className="field">
          <span>Show</span>
          <select
            value={domain}
            onChange={(e) => setDomain(e.target.value as typeof domain)}
            aria-label="Show rows"
          >
            <option value="all">All rows</option>
            <option value="inside">Inside the domain</option>
            <option value="outside">Outside the domain</option>
            <option value="failed">Not scored</option>
          </select>
        </label>
        <label className="field">
          <span>pActivity at least</span>
          <input
            value={minP}
            onChange={(e) => setMinP(e.target.value)}
            inputMode="decimal"
            placeholder="e.g. 7"
            aria-label="Minimum pActivity"
          />
        </label>
        <label className="field">
          <span>Order</span>
          <select
            value={sort}
            onChange={(e) => setSort(e.target.value as typeof sort)}
            aria-label="Order"
          >
            <option value="row">File order</option>
            <option value="-pActivity">Most potent first</option>
          </select>
        </label>
        <span className="muted" data-testid="prediction-count">
          {fmtCount(total, 'row')}
        </span>
      </div>
      <VirtualTable
        label="Predictions"
        columns={COLUMNS}
        total={total}
        fetchPage={fetchPage}
        queryKey={queryKey}
        height={480}
        rowHeight={80}
        onOpen={OPEN_ROW}
      />
    </section>
  )
}
