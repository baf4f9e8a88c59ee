import type { PlotlyPoint } from 'plotly.js-dist-min'
import { useCallback } from 'react'
import type { DriftRunSummary } from '../../../src-main/contract'
import { PlotlyChart } from '../../charts/PlotlyChart'
import { driftTimelineFigure } from '../../charts/drift-figures'
import { fmtDate, fmtInt, fmtNum } from '../format'
import { TRIGGER_LABELS, fmtShare, sourceLabel } from './labels'

interface Props {
  model: string
  /** the model is no longer in the registry */
  modelDeleted: boolean
  runs: DriftRunSummary[]
  datasetShare: number
  cvRmse: number | null
  onOpen(driftRunId: number): void
}

/** A model's checks over time, and the same checks as a list to open (keyboard and screen readers). */
export function DriftTimeline({ model, modelDeleted, runs, datasetShare, cvRmse, onOpen }: Props) {
  const figure = useCallback(
    () => driftTimelineFigure(runs, { datasetShare, cvRmse }),
    [runs, datasetShare, cvRmse],
  )
  const onPointClick = useCallback(
    (p: PlotlyPoint) => {
      if (typeof p.customdata === 'number') onOpen(p.customdata)
    },
    [onOpen],
  )
  const deleted = modelDeleted || runs.some((r) => r.modelDeleted)
  return (
    <section className="card wide" aria-labelledby="drift-timeline-title">
      <div className="row spread">
        <h2 id="drift-timeline-title">
          Checks of {model} over time
          {deleted && <span className="tag bad-tag">model deleted</span>}
        </h2>
        <span className="muted small">
          <span className="legend-dot ok-dot" /> no drift <span className="legend-dot bad-dot" />{' '}
          drifted or degraded · click a point to open its check
        </span>
      </div>
      <PlotlyChart
        figure={figure}
        label={`Drift checks of ${model} over time: ${runs.length} checks`}
        testId="drift-timeline"
        onPointClick={onPointClick}
      />
      <table className="table drift-history" data-testid="drift-history">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">When</th>
            <th scope="col">Compared</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col" className="num">
              Features drifted
            </th>
            <th scope="col">Verdict</th>
            <th scope="col" className="num">
              RMSE
            </th>
            <th scope="col" className="num">
              In 90% interval
            </th>
          </tr>
        </thead>
        <tbody>
          {[...runs]
            .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
            .map((r) => (
              <tr key={r.driftRunId}>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onOpen(r.driftRunId)}
                    aria-label={`Open check #${r.driftRunId}`}
                  >
                    #{r.driftRunId}
                  </button>
                </td>
                <td className="nowrap">{fmtDate(r.createdAt)}</td>
                <td>
                  {sourceLabel(r.source)}
                  <span className="muted small"> · {TRIGGER_LABELS[r.trigger]}</span>
                </td>
                <td className="num">{fmtInt(r.currentRows)}</td>
                <td className="num">
                  {r.featuresDrifted} of {r.featuresTested} ({fmtShare(r.driftedShare)})
                </td>
                <td className="nowrap">
                  <Verdict drift={r.datasetDrift} degraded={r.degraded} />
                </td>
                <td className="num">{fmtNum(r.rmse, 2)}</td>
                <td className="num">{fmtShare(r.coverage)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  )
}

/** "Drifted" / "No drift", and "performance degraded" when measured values say so. */
export function Verdict({ drift, degraded }: { drift: boolean; degraded: boolean | null }) {
  return (
    <span className="verdict">
      {drift ? <span className="error">Drifted</span> : <span className="ok-text">No drift</span>}
      {degraded && <span className="error"> · performance degraded</span>}
    </span>
  )
}
