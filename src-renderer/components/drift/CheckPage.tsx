import { useCallback } from 'react'
import type { DriftCheck } from '../../../src-main/contract'
import { PlotlyChart } from '../../charts/PlotlyChart'
import { driftHistogramFigure } from '../../charts/drift-figures'
import { fmtCount, fmtDate, fmtInt, fmtNum } from '../format'
import { StructureImage } from '../chem/StructureImage'
import { ReportButton } from '../reports/ReportButton'
import { FeatureTable } from './FeatureTable'
import {
  METHOD_LABELS,
  TRIGGER_LABELS,
  fmtP,
  fmtShare,
  fmtStat,
  isPValueMethod,
  sourceLabel,
} from './labels'

/** One stored check: the verdict and its evidence, feature by feature. */
export function CheckPage({ check, onBack }: { check: DriftCheck; onBack(): void }) {
  return (
    <div className="cards drift-check" data-testid="drift-check">
      <section className="card wide" aria-labelledby="drift-check-title">
        <div className="row spread">
          <h2 id="drift-check-title">
            Check #{check.driftRunId} · model {check.modelVersion}
            {check.modelDeleted && <span className="tag bad-tag">model deleted</span>}
            {check.isSynthetic && <span className="tag">synthetic data</span>}
          </h2>
          <div className="row">
            <ReportButton
              subject={{ kind: 'drift', driftRunId: check.driftRunId }}
              label="Report"
            />
            <button type="button" className="button" onClick={onBack}>
              Back to the timeline
            </button>
          </div>
        </div>
        <p className="muted" data-testid="drift-compared">
          Compared <strong>{sourceLabel(check.source)}</strong> ({TRIGGER_LABELS[check.trigger]},{' '}
          {fmtDate(check.createdAt)}) with the {fmtInt(check.referenceRows)} rows model{' '}
          {check.modelVersion} was trained on, for {check.target}. Took {fmtNum(check.seconds, 1)}{' '}
          s.
        </p>
        <SummaryCards check={check} />
        <p className="small drift-meaning" data-testid="drift-meaning">
          {meaning(check)}
        </p>
      </section>
      <FeatureTable check={check} />
      {check.prediction && <PredictionCard check={check} />}
      {check.chemistry && <ChemistryCard check={check} />}
    </div>
  )
}

/** What the verdicts mean for the user's next step, in one or two sentences. */
function meaning(check: DriftCheck): string {
  const degraded = check.performance?.degraded === true
  if (check.datasetDrift && degraded)
    return 'These compounds differ from what the model learned from, and it predicts their measured values worse than cross-validation promised: retrain it with the new measurements before trusting its predictions.'
  if (degraded)
    return 'The compounds look like the training data, but the model predicts their measured values worse than cross-validation promised: look at the measurements, and consider retraining with them.'
  if (check.datasetDrift)
    return 'These compounds differ from what the model learned from: its predictions for them may be less reliable than its cross-validated figures suggest. Once they are measured, retraining with them brings the model up to date.'
  if (check.featuresDrifted > 0)
    return 'Some features moved, but fewer than it takes to call the whole dataset drifted: look at those features before relying on predictions for compounds at their extremes.'
  return 'These compounds look like the ones the model learned from: its cross-validated figures apply to them.'
}

function SummaryCards({ check }: { check: DriftCheck }) {
  const perf = check.performance
  const chem = check.chemistry
  const pred = check.prediction
  return (
    <div className="drift-summary" data-testid="drift-summary">
      <div className={check.datasetDrift ? 'drift-verdict bad' : 'drift-verdict ok'}>
        <span className="label">Verdict</span>
        <span className="big" data-testid="drift-verdict">
          {check.datasetDrift ? 'Dataset drifted' : 'No dataset drift'}
        </span>
        <span>
          {check.featuresDrifted} of {fmtCount(check.featuresTested, 'feature')} drifted (
          {fmtShare(check.driftedShare)}); the dataset counts as drifted at{' '}
          {fmtShare(check.datasetShare)} or more.
        </span>
        {check.features.length > check.featuresTested && (
          <span className="muted small">
            {check.features.length - check.featuresTested} not tested (no values on one side).
          </span>
        )}
      </div>
      <div>
        <span className="label">Rows compared</span>
        <span className="big">
          {fmtInt(check.referenceRows)} <span className="vs">vs</span> {fmtInt(check.currentRows)}
        </span>
        <span className="muted small">training rows vs rows checked</span>
      </div>
      {pred && (
        <div data-testid="drift-prediction">
          <span className="label">Predictions</span>
          <span className={pred.drifted ? 'big error' : 'big'}>
            {pred.drifted ? 'Shifted' : 'Stable'}
          </span>
          <span className="small">
            mean predicted pActivity {fmtNum(pred.currentMean, 2)} vs{' '}
            {fmtNum(pred.referenceMean, 2)} on the training rows
          </span>
          <span className="small muted" title={METHOD_LABELS[pred.method].hint}>
            {METHOD_LABELS[pred.method].short}{' '}
            {isPValueMethod(pred.method)
              ? `p = ${fmtP(pred.pValue)} (drifted at ≤ ${fmtStat(pred.threshold)})`
              : `${fmtStat(pred.statistic)} (drifted at ≥ ${fmtStat(pred.threshold)})`}
          </span>
        </div>
      )}
      <div data-testid="drift-performance">
        <span className="label">Performance on measured values</span>
        {perf ? (
          <>
            <span className={perf.degraded ? 'big error' : 'big'}>RMSE {fmtNum(perf.rmse, 2)}</span>
            <span className="small">
              cross-validated {fmtNum(perf.cvRmse, 2)}; 95% CI of the new RMSE{' '}
              {fmtNum(perf.rmseCi[0], 2)}–{fmtNum(perf.rmseCi[1], 2)} (pActivity units), on{' '}
              {fmtCount(perf.rows, 'measured row')}
            </span>
            <span className="small">
              Inside the 90% interval: {fmtShare(perf.coverage)} (expected about 90%)
            </span>
            <span className="small muted">
              MAE {fmtNum(perf.mae, 2)} (CV {fmtNum(perf.cvMae, 2)}) · R² {fmtNum(perf.r2, 2)} (CV{' '}
              {fmtNum(perf.cvR2, 2)}) · Spearman {fmtNum(perf.spearman, 2)} (CV{' '}
              {fmtNum(perf.cvSpearman, 2)})
            </span>
            {perf.reasons.map((r) => (
              <span key={r} className="small error">
                {r}
              </span>
            ))}
          </>
        ) : (
          <span className="muted small">
            No measured values of the model’s target in these rows, so performance was not measured.
          </span>
        )}
      </div>
      <div data-testid="drift-chemistry">
        <span className="label">Chemical space</span>
        {chem ? (
          <>
            <span className="big">
              {fmtNum(chem.medianNnSimilarity, 2)}
              <span className="vs"> vs {fmtNum(chem.referenceMedianNnSimilarity, 2)} training</span>
            </span>
            <span className="small">
              median similarity to the nearest training compound (Tanimoto, 0–1)
            </span>
            <span className="small">
              Outside the applicability domain: {fmtShare(chem.outOfDomainShare)} (training{' '}
              {fmtShare(chem.referenceOutOfDomainShare)})
            </span>
          </>
        ) : (
          <span className="muted small">
            No structures in these rows, so chemistry was not compared.
          </span>
        )}
      </div>
    </div>
  )
}

function PredictionCard({ check }: { check: DriftCheck }) {
  const pred = check.prediction
  const figure = useCallback(
    () =>
      driftHistogramFigure(
        pred?.histogram ?? { edges: [], reference: [], current: [] },
        {
          x: 'predicted pActivity',
          reference: 'training rows (out-of-fold)',
          current: 'rows checked',
        },
        240,
      ),
    [pred],
  )
  if (!pred) return null
  return (
    // alone on its row (no structures to compare) it takes the card's whole width
    <section
      className={check.chemistry ? 'card' : 'card wide'}
      aria-labelledby="drift-prediction-title"
    >
      <h2 id="drift-prediction-title">What the model predicts</h2>
      <PlotlyChart
        figure={figure}
        label="Predicted pActivity of the rows checked against the training rows"
        testId="drift-prediction-chart"
      />
      <p className="muted small">
        The model’s predictions for the rows checked, against its out-of-fold predictions for its
        own training rows.
      </p>
    </section>
  )
}

function ChemistryCard({ check }: { check: DriftCheck }) {
  const chem = check.chemistry
  const figure = useCallback(
    () =>
      driftHistogramFigure(
        chem?.histogram ?? { edges: [], reference: [], current: [] },
        {
          x: 'similarity to the nearest training compound (Tanimoto)',
          reference: 'training compounds (leave-one-out)',
          current: 'compounds checked',
        },
        240,
      ),
    [chem],
  )
  if (!chem) return null
  return (
    <>
      <section className="card" aria-labelledby="drift-similarity-title">
        <h2 id="drift-similarity-title">How similar the compounds are to the training set</h2>
        <PlotlyChart
          figure={figure}
          label="Nearest-neighbour similarity of the compounds checked against the training compounds"
          testId="drift-similarity-chart"
        />
        <p className="muted small">
          {fmtInt(chem.compared)} compounds checked, {fmtInt(chem.referenceCompared)} training
          compounds (Morgan fingerprints, radius 2, 2048 bits). Low similarity means the model has
          seen nothing like them.
        </p>
      </section>
      {chem.leastSimilar.length > 0 && (
        <section className="card wide" aria-labelledby="drift-least-title">
          <h2 id="drift-least-title">Least similar compounds</h2>
          <div className="least-similar" data-testid="drift-least-similar">
            {chem.leastSimilar.map((c, i) => (
              <figure key={`${c.compoundId ?? c.smiles}-${i}`}>
                <StructureImage
                  {...(c.compoundId !== null ? { compoundId: c.compoundId } : { smiles: c.smiles })}
                  size={150}
                  title={c.moleculeId ?? c.smiles}
                />
                <figcaption>
                  <span className="mono">{c.moleculeId ?? 'no ChEMBL ID'}</span>
                  <span>similarity {fmtNum(c.similarity, 2)}</span>
                  {c.nearestMoleculeId && (
                    <span className="muted">nearest: {c.nearestMoleculeId}</span>
                  )}
                </figcaption>
              </figure>
            ))}
          </div>
        </section>
      )}
    </>
  )
}
