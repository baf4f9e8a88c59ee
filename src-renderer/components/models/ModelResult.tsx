import { useCallback, useEffect, useState } from 'react'
import type { AutoSearch, ModelDetail, RunRecord } from '../../../src-main/contract'
import { call } from '../../api/client'
import { PlotlyChart } from '../../charts/PlotlyChart'
import { observedVsPredicted } from '../../charts/figures'
import { baseLayout, themeColor } from '../../charts/plotly-theme'
import { fmtDate, fmtInt, fmtNum, fmtParams } from '../format'
import { ReportButton } from '../reports/ReportButton'

const LEARNER_NAMES: Record<string, string> = {
  gbdt: 'Gradient-boosted trees',
  rf: 'Random forest',
  ridge: 'Ridge regression',
}

/** What Auto tried within its budget and what it skipped for time. */
function SearchSummary({ search, folds }: { search: AutoSearch; folds: number }) {
  const tried = search.tried.length
  if (search.skipped.length === 0)
    return (
      <p className="muted small" data-testid="auto-search">
        Auto tried all {tried} candidates within its {search.budgetSeconds} s budget.
      </p>
    )
  return (
    <div data-testid="auto-search">
      <p className="small">
        Auto’s {search.budgetSeconds} s budget ran out: it compared {tried} candidate
        {tried === 1 ? '' : 's'} and skipped {search.skipped.length} for time. A longer budget tries
        them too.
      </p>
      <table className="table">
        <caption>Skipped for time</caption>
        <thead>
          <tr>
            <th scope="col">Learner</th>
            <th scope="col">Parameters</th>
            <th scope="col">Folds run</th>
          </tr>
        </thead>
        <tbody>
          {search.skipped.map((c, i) => (
            <tr key={i}>
              <td>{LEARNER_NAMES[c.learner]}</td>
              <td className="mono small">{fmtParams(c.params, c.learner)}</td>
              <td>
                {c.foldsDone === undefined
                  ? 'not started'
                  : `${c.foldsDone} of ${folds}, then stopped`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** One version's evaluation: metrics, plots, importance, and the runs of its training job. */
export function ModelResult({ model }: { model: ModelDetail }) {
  const [runs, setRuns] = useState<RunRecord[]>([])
  useEffect(() => {
    let stale = false
    void call('models.runs', { target: model.target }).then((all) => {
      if (stale) return
      const job = all.find((r) => r.modelVersion === model.version)?.jobId
      setRuns(job ? all.filter((r) => r.jobId === job) : [])
    })
    return () => {
      stale = true
    }
  }, [model.target, model.version])

  const scatter = useCallback(
    () =>
      observedVsPredicted(
        model.oof.observed,
        model.oof.predicted,
        { x: 'observed pActivity', y: 'predicted (out-of-fold)' },
        320,
      ),
    [model],
  )

  const residuals = useCallback(() => {
    const r = model.oof.observed.map((o, i) => (model.oof.predicted[i] ?? NaN) - o)
    const layout = baseLayout(320)
    return {
      data: [
        {
          type: 'histogram' as const,
          x: r,
          nbinsx: 40,
          marker: { color: themeColor('--accent') },
          hovertemplate: '%{x}: %{y}<extra></extra>',
        },
      ],
      layout: {
        ...layout,
        bargap: 0.04,
        shapes: [-model.intervalHalfWidth, model.intervalHalfWidth].map((x) => ({
          type: 'line' as const,
          x0: x,
          x1: x,
          yref: 'paper' as const,
          y0: 0,
          y1: 1,
          line: { color: themeColor('--muted'), dash: 'dot' as const, width: 1 },
        })),
        xaxis: { ...layout.xaxis, title: { text: 'predicted − observed (log units)' } },
        yaxis: { ...layout.yaxis, title: { text: 'compounds' } },
      },
    }
  }, [model])

  const importance = useCallback(() => {
    const top = model.importance.slice(0, 15).reverse()
    const layout = baseLayout(Math.max(160, top.length * 20 + 50))
    return {
      data: [
        {
          type: 'bar' as const,
          orientation: 'h' as const,
          x: top.map((i) => i.value),
          y: top.map((i) => i.feature),
          marker: { color: themeColor('--accent') },
          hovertemplate: '%{y}: %{x:.3~g}<extra></extra>',
        },
      ],
      layout: {
        ...layout,
        margin: { ...layout.margin, l: 150 },
        xaxis: {
          ...layout.xaxis,
          title: { text: model.learner === 'ridge' ? '|standardised coefficient|' : 'total gain' },
        },
      },
    }
  }, [model])

  const cv = model.cv
  return (
    <section className="card wide" aria-labelledby="result-title" data-testid="model-result">
      {/* the model card sits with the version it describes; the registry's rows have no room */}
      <div className="row spread result-head">
        <h2 id="result-title">
          {model.version} · {LEARNER_NAMES[model.learner]} on {model.featureSet} ·{' '}
          <span className="muted">
            {model.target}, {fmtInt(model.trainingRows)} compounds, {model.folds}-fold
            cross-validation
          </span>
        </h2>
        <ReportButton subject={{ kind: 'model-card', version: model.version }} label="Model card" />
      </div>
      <div className="stats">
        <div>
          RMSE<span className="stat">{fmtNum(cv.rmse, 3)}</span>
        </div>
        <div>
          MAE<span className="stat">{fmtNum(cv.mae, 3)}</span>
        </div>
        <div>
          R²<span className="stat">{fmtNum(cv.r2, 3)}</span>
        </div>
        <div>
          Spearman<span className="stat">{fmtNum(cv.spearman, 3)}</span>
        </div>
        <div>
          {model.interval.method === 'adaptive' ? '90% interval (median)' : '90% interval'}
          <span className="stat">±{fmtNum(model.intervalHalfWidth, 2)}</span>
        </div>
        <div>
          {model.interval.nested ? 'Coverage (held-out)' : 'Coverage (calibration rows)'}
          <span className="stat">
            {Number.isFinite(model.intervalCoverage)
              ? `${(model.intervalCoverage * 100).toFixed(1)}%`
              : '—'}
          </span>
        </div>
      </div>
      <IntervalCoverage model={model} />
      <p className="muted small">
        {model.timeSplit
          ? `Time split (trained on compounds first reported before ${model.timeSplit.cutYear}, tested on ${fmtInt(model.timeSplit.testRows)} newer ones): RMSE ${fmtNum(model.timeSplit.metrics.rmse, 3)}, R² ${fmtNum(model.timeSplit.metrics.r2, 3)}. `
          : 'No document years, so no time split. '}
        ONNX file {(model.onnxBytes / 1024).toFixed(0)} KB, SHA-256 {model.onnxSha256.slice(0, 12)}
        …;{' '}
        {typeof model.onnxMaxDifference === 'number' && Number.isFinite(model.onnxMaxDifference)
          ? `ONNX Runtime matched the trained model to ${model.onnxMaxDifference.toExponential(1)} when it was registered.`
          : 'imported from a bundle (checksum verified).'}{' '}
        Training set {model.trainingSetHash.slice(0, 12)}…
        {model.rdkitVersion ? `, RDKit ${model.rdkitVersion}` : ''}.
      </p>
      {model.oof.observed.length > 0 && (
        <div className="plots">
          <figure>
            <figcaption>Predicted vs observed</figcaption>
            <PlotlyChart
              figure={scatter}
              label={`Predicted versus observed pActivity for ${model.oof.observed.length} compounds`}
              testId="oof-scatter"
            />
          </figure>
          <figure>
            <figcaption>Residuals, with the 90% interval</figcaption>
            <PlotlyChart figure={residuals} label="Histogram of out-of-fold residuals" />
          </figure>
          <figure>
            <figcaption>Feature importance</figcaption>
            <PlotlyChart figure={importance} label="Feature importance" />
          </figure>
        </div>
      )}
      {runs.length > 0 && (
        <table className="table" data-testid="runs">
          <caption>Candidates tried by this training job (cross-validated)</caption>
          <thead>
            <tr>
              <th scope="col">Learner</th>
              <th scope="col">Parameters</th>
              <th scope="col" className="num">
                RMSE
              </th>
              <th scope="col" className="num">
                R²
              </th>
              <th scope="col" className="num">
                Seconds
              </th>
              <th scope="col">Kept</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>{LEARNER_NAMES[r.learner]}</td>
                <td className="mono small">{fmtParams(r.params, r.learner)}</td>
                <td className="num">{fmtNum(r.metrics.rmse, 3)}</td>
                <td className="num">{fmtNum(r.metrics.r2, 3)}</td>
                <td className="num">{r.seconds.toFixed(1)}</td>
                <td>{r.chosen ? '✓' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {model.search && <SearchSummary search={model.search} folds={model.folds} />}
      <p className="muted small">Trained {fmtDate(model.createdAt)}</p>
      {model.history.length > 0 && (
        // the audit log of this version: who changed production when, and why
        <ul className="history small" data-testid="model-history" aria-label="History">
          {model.history.map((h, i) => (
            <li key={i}>
              <span className="muted nowrap">{fmtDate(h.at)}</span> {h.action}
              {h.reason ? ` — ${h.reason}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`
}

/** How the intervals are made, and how often they held on compounds that did not set them. */
function IntervalCoverage({ model }: { model: ModelDetail }) {
  const { interval, domain } = model
  const rows = (
    [
      ['Nested cross-validation', interval.nested],
      ['Time split (newest compounds)', interval.timeSplit],
    ] as const
  ).flatMap(([label, r]) => (r ? [{ label, r }] : []))
  return (
    <div className="interval-coverage small" data-testid="interval-coverage">
      {interval.method === 'adaptive' ? (
        <p>
          Each compound gets its own 90% interval, wider where the model has erred more on similar
          compounds, calibrated separately in each fifth of predicted pActivity. Coverage below is
          measured on compounds whose errors did not set the interval.
        </p>
      ) : (
        <p className="muted">
          Every compound gets the same interval width: this model was calibrated before intervals
          adapted to each compound, and its coverage figure is measured on the residuals that set
          the width (about 90% by construction).
        </p>
      )}
      {rows.length > 0 && (
        <table className="coverage-table">
          <thead>
            <tr>
              <th>Held-out rows</th>
              <th className="n">Compounds</th>
              <th className="n">Coverage</th>
              <th className="n">By fifth of predicted pActivity (low → high)</th>
              <th className="n">Spearman (width, |error|)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ label, r }) => (
              <tr key={label}>
                <td>{label}</td>
                <td className="n">{fmtInt(r.rows)}</td>
                <td className="n">{pct(r.coverage)}</td>
                <td className="n">{r.byFifth.map((b) => pct(b.coverage)).join(' · ')}</td>
                <td className="n">{fmtNum(r.widthErrorSpearman, 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">
        Applicability domain:{' '}
        {domain.structureAware
          ? `outside when the nearest of ${fmtInt(domain.structures)} training structures has Tanimoto similarity below ${fmtNum(domain.similarityThreshold, 2)} (the ${Math.round((domain.similarityPercentile ?? 0) * 100)}th percentile of the training compounds' own nearest-neighbour similarities), or when the descriptor distance exceeds ${fmtNum(domain.descriptorThreshold, 2)}.`
          : `descriptor distance only (limit ${fmtNum(domain.descriptorThreshold, 2)}); no training structures to compare with (trained on file values, or before structures were compared).`}
      </p>
    </div>
  )
}
