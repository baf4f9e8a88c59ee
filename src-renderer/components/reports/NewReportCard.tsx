import { useEffect, useState } from 'react'
import type {
  BatchSummary,
  DriftRunSummary,
  ReportKind,
  ReportSubject,
} from '../../../src-main/contract'
import { call } from '../../api/client'
import { useModels } from '../../store/models-store'
import { makeReport, useReports } from '../../store/reports-store'
import { useDataVersion, useJob } from '../../store/use-job'
import { JobProgress } from '../JobProgress'
import { sourceLabel } from '../drift/labels'
import { fmtCount, fmtDate } from '../format'
import { KIND_LABELS, KIND_MEANINGS } from './labels'

const SLOT = 'reports.create:new'

interface Choice {
  value: string
  label: string
  subject: ReportSubject
}

/** What can be reported on now: model versions, drift checks and prediction batches. */
function useSubjects(kind: ReportKind): Choice[] | null {
  const models = useModels((s) => s.models)
  const refreshModels = useModels((s) => s.refresh)
  const [runs, setRuns] = useState<DriftRunSummary[] | null>(null)
  const [batches, setBatches] = useState<BatchSummary[] | null>(null)
  const changed = useDataVersion('models', 'drift', 'predictions')
  useEffect(() => {
    let live = true
    void refreshModels()
    void call('drift.history', {}).then(
      (r) => live && setRuns(r),
      () => live && setRuns([]),
    )
    void call('predictions.batches', {}).then(
      (b) => live && setBatches(b),
      () => live && setBatches([]),
    )
    return () => {
      live = false
    }
  }, [refreshModels, changed])

  if (kind === 'model-card')
    return models.map((m) => ({
      value: m.version,
      label: `${m.version} · ${m.target} · ${m.stage}${m.isSynthetic ? ' · synthetic sample' : ''}`,
      subject: { kind: 'model-card', version: m.version },
    }))
  if (kind === 'drift')
    return (
      runs?.map((r) => ({
        value: String(r.driftRunId),
        label: `Check #${r.driftRunId} · model ${r.modelVersion} · ${sourceLabel(r.source)} · ${
          r.datasetDrift ? 'drifted' : 'no drift'
        } · ${fmtDate(r.createdAt)}`,
        subject: { kind: 'drift', driftRunId: r.driftRunId },
      })) ?? null
    )
  return (
    batches?.map((b) => ({
      value: String(b.batchId),
      label: `Batch #${b.batchId} · ${b.inputName ?? 'database'} · model ${b.modelVersion} · ${fmtCount(
        b.rowsScored,
        'row',
      )} scored · ${fmtDate(b.createdAt)}`,
      subject: { kind: 'batch', batchId: b.batchId },
    })) ?? null
  )
}

const NONE_YET: Record<ReportKind, string> = {
  'model-card': 'No models yet: train one on the Models screen.',
  drift: 'No drift checks yet: run or simulate one on the Drift screen.',
  batch: 'No prediction batches yet: score a file on the Predict screen.',
}

/** "New report": the kind, then one of its subjects; the report is made as a job. */
export function NewReportCard() {
  const [kind, setKind] = useState<ReportKind>('model-card')
  const [value, setValue] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const { job, running } = useJob('reports.create', SLOT)
  const choices = useSubjects(kind)
  const chosen = choices?.find((c) => c.value === value) ?? choices?.[0]

  const make = async () => {
    if (!chosen) return
    setProblem(null)
    try {
      const record = await makeReport(chosen.subject, SLOT)
      await useReports.getState().refresh()
      useReports.getState().select(record.reportId)
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <section className="card wide" aria-labelledby="new-report-title" data-testid="new-report">
      <h2 id="new-report-title">New report</h2>
      <div className="row wrap new-report-row">
        <label className="field">
          <span>Kind</span>
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as ReportKind)
              setValue('')
            }}
            aria-label="Kind of report"
          >
            {(Object.keys(KIND_LABELS) as ReportKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="field subject-field">
          <span>Of</span>
          <select
            value={chosen?.value ?? ''}
            onChange={(e) => setValue(e.target.value)}
            aria-label="What the report is about"
            disabled={!choices || choices.length === 0}
          >
            {choices === null && <option value="">Reading…</option>}
            {choices?.length === 0 && <option value="">{NONE_YET[kind]}</option>}
            {choices?.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button primary"
          disabled={!chosen || running}
          onClick={() => void make()}
        >
          Make report
        </button>
      </div>
      <p className="muted small new-report-hint">
        A {KIND_LABELS[kind].toLowerCase()} describes {KIND_MEANINGS[kind]}
      </p>
      {running && job && (
        <JobProgress
          job={job}
          label="Report progress"
          cancelLabel="Cancel making the report"
          testId="report-progress"
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
