import { WorkbenchError } from '../../contract'
import type { DriftCheck, DriftRunSummary, FeatureDriftResult } from '../../contract/drift'
import { featureUnits } from '../../chem/feature-sets'
import type { Db } from '../db/connection'
import { selectDriftCheck, selectDriftHistory } from '../db/drift-queries'
import { selectTargetName } from '../db/report-queries'
import { modelRow, summarize } from '../models/registry'
import { type ReportMeta, facts, renderDocument, section } from './document'
import { driftTimeline, sourceLabel } from './drift-timeline'
import {
  formatCount,
  formatFixed,
  formatPValue,
  formatPercent,
  formatSignificant,
  formatUtc,
} from './format'
import { type SafeHtml, html } from './html'
import { chartRow, figure, overlaidHistogram } from './svg-charts'

/** Everything a drift report shows, read from the database. */
export interface DriftReportData {
  check: DriftCheck
  targetName: string | null
  units: Record<string, string>
  /** the model's checks up to and including this one, oldest first */
  history: DriftRunSummary[]
  /** the model's cross-validated RMSE as stored (null when the model was deleted since) */
  modelCvRmse: number | null
}

/** Reads one stored check; an unknown id is a `not-found` WorkbenchError. */
export function gatherDriftReport(db: Db, driftRunId: number): DriftReportData {
  const check = selectDriftCheck(db, driftRunId)
  if (!check)
    throw new WorkbenchError('not-found', `There is no drift check #${driftRunId}.`, {
      driftRunId,
    })
  const history = selectDriftHistory(db, { model: check.modelVersion })
    .filter((c) => c.driftRunId <= driftRunId)
    .reverse()
  return {
    check,
    targetName: selectTargetName(db, check.target),
    units: featureUnits(check.features.map((f) => f.name)),
    history,
    modelCvRmse: check.modelDeleted
      ? null
      : summarize(db, modelRow(db, check.modelVersion)).cv.rmse,
  }
}

const METHODS: Record<string, string> = {
  ks: 'Kolmogorov–Smirnov (p-value)',
  'chi-square': 'Chi-square (p-value)',
  z: 'Two-proportion Z (p-value)',
  wasserstein: 'Wasserstein distance / reference SD',
  'jensen-shannon': 'Jensen–Shannon distance',
  psi: 'Population stability index',
}

/** Features whose distributions the report draws: every drifted one, then the top by statistic. */
export const TOP_BY_STATISTIC = 6
/** At most this many distributions (a fingerprint model can drift on hundreds of bits). */
export const MAX_DISTRIBUTIONS = 24

export function featuresToDraw(features: readonly FeatureDriftResult[]): FeatureDriftResult[] {
  const tested = features.filter((f) => f.notTested === null && f.histogram.edges.length > 1)
  const byStatistic = [...tested].sort(
    (a, b) => (b.statistic ?? -Infinity) - (a.statistic ?? -Infinity) || (a.name < b.name ? -1 : 1),
  )
  const chosen = new Set<string>(byStatistic.filter((f) => f.drifted).map((f) => f.name))
  for (const f of byStatistic.slice(0, TOP_BY_STATISTIC)) chosen.add(f.name)
  // the model's feature order, so the figures follow the table
  return tested.filter((f) => chosen.has(f.name)).slice(0, MAX_DISTRIBUTIONS)
}

function verdict(d: DriftReportData): SafeHtml {
  const c = d.check
  return section(
    'verdict',
    'Verdict',
    html`<p>
        ${c.datasetDrift ? html`<span class="badge bad">Dataset drifted</span>` : html`<span class="badge good">No dataset drift</span>`}
        ${formatCount(c.featuresDrifted)} of ${formatCount(c.featuresTested)} tested features
        drifted (${formatPercent(c.driftedShare)}); the dataset counts as drifted when at least
        ${formatPercent(c.datasetShare, 0)} of them do.
      </p>
      ${c.prediction ? html`<p>Predictions: ${c.prediction.drifted ? html`<strong>drifted</strong>` : 'stable'} (mean ${formatFixed(c.prediction.referenceMean, 2)} on the training rows, ${formatFixed(c.prediction.currentMean, 2)} now).</p>` : ''}
      ${c.performance ? html`<p>Performance on ${formatCount(c.performance.rows)} measured rows: ${c.performance.degraded ? html`<strong>degraded</strong>` : 'as cross-validated'} (RMSE ${formatFixed(c.performance.rmse, 3)} vs ${formatFixed(c.performance.cvRmse, 3)} in cross-validation).</p>` : ''}
      ${c.isSynthetic ? html`<p class="notice"><strong>Synthetic data.</strong> The model or the rows checked are synthetic; this check says nothing about real compounds.</p>` : ''}`,
  )
}

function compared(d: DriftReportData): SafeHtml {
  const c = d.check
  return section(
    'compared',
    'What was compared',
    facts([
      [
        'Model',
        `${c.modelVersion}${c.modelDeleted ? ' (since deleted)' : ` (CV RMSE ${formatFixed(d.modelCvRmse, 3)} log units)`}`,
      ],
      ['Target', `${c.target}${d.targetName ? ` — ${d.targetName}` : ''}`],
      ['Reference', `the model's ${formatCount(c.referenceRows)} training rows`],
      ['Current', `${sourceLabel(c.source)}: ${formatCount(c.currentRows)} rows`],
      ['Started by', c.trigger],
      ['Checked', `${formatUtc(c.createdAt)} (${formatFixed(c.seconds, 1)} s)`],
    ]),
  )
}

function featureTable(d: DriftReportData): SafeHtml {
  return section(
    'features',
    'Features',
    html`<p class="muted">
        Statistics follow Evidently's defaults: up to 1,000 reference rows a test with a p-value
        (drift when p ≤ the threshold), above that a distance (drift when it reaches the threshold).
        PSI bands: below 0.1 stable, 0.1–0.25 moderate, above 0.25 significant.
      </p>
      <table>
        <thead>
          <tr>
            <th>Feature</th>
            <th>Unit</th>
            <th>Method</th>
            <th class="n">Statistic</th>
            <th class="n">Threshold</th>
            <th class="n">p-value</th>
            <th class="n">PSI</th>
            <th class="n">Missing (ref / cur)</th>
            <th>Drifted</th>
          </tr>
        </thead>
        <tbody>
          ${d.check.features.map(
            (f) =>
              html`<tr>
                <td>${f.name}</td>
                <td>${d.units[f.name] ?? ''}</td>
                <td>${METHODS[f.method] ?? f.method}${f.overridden ? ' (chosen)' : ''}</td>
                <td class="n">${formatSignificant(f.statistic, 3)}</td>
                <td class="n">${formatSignificant(f.threshold, 3)}</td>
                <td class="n">${formatPValue(f.pValue)}</td>
                <td class="n">${formatFixed(f.psi, 3)}${f.psiBand ? ` ${f.psiBand}` : ''}</td>
                <td class="n">
                  ${formatCount(f.missing.reference)} / ${formatCount(f.missing.current)}
                </td>
                <td>
                  ${
                    f.notTested !== null
                      ? html`<span class="muted">not tested: ${f.notTested}</span>`
                      : f.drifted
                        ? html`<span class="badge bad">yes</span>`
                        : 'no'
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  )
}

function distributions(d: DriftReportData): SafeHtml {
  const drawn = featuresToDraw(d.check.features)
  return section(
    'distributions',
    'Distributions',
    html`<p class="muted">
        Every drifted feature and the ${TOP_BY_STATISTIC} features with the largest statistic: share
        of rows per bin, training rows against the current rows.
      </p>
      ${chartRow(
        drawn.map((f) =>
          figure(
            overlaidHistogram({
              title: `${f.name}${f.drifted ? ' (drifted)' : ''}`,
              xLabel: `${f.name}${d.units[f.name] ? ` (${d.units[f.name]})` : ''}`,
              edges: f.histogram.edges,
              reference: f.histogram.reference,
              current: f.histogram.current,
            }),
            `${f.name}: ${METHODS[f.method] ?? f.method} ${formatSignificant(f.statistic, 3)} (threshold ${formatSignificant(f.threshold, 3)})${f.drifted ? ', drifted' : ''}.`,
          ),
        ),
      )}`,
  )
}

function beyondColumns(d: DriftReportData): SafeHtml {
  const c = d.check
  const p = c.prediction
  const perf = c.performance
  const chem = c.chemistry
  return section(
    'beyond-columns',
    'Predictions, performance and chemistry',
    html`<h3>Prediction drift</h3>
      ${
        p
          ? html`${facts([
              ['Method', METHODS[p.method] ?? p.method],
              [
                'Statistic',
                `${formatSignificant(p.statistic, 3)} (threshold ${formatSignificant(p.threshold, 3)})`,
              ],
              ['p-value', formatPValue(p.pValue)],
              ['PSI', formatFixed(p.psi, 3)],
              [
                'Mean predicted pActivity',
                `${formatFixed(p.referenceMean, 2)} training (out-of-fold) · ${formatFixed(p.currentMean, 2)} current`,
              ],
              ['Drifted', p.drifted ? 'yes' : 'no'],
            ])}${figure(
              overlaidHistogram({
                title: 'Predicted pActivity',
                xLabel: 'Predicted pActivity (log units)',
                edges: p.histogram.edges,
                reference: p.histogram.reference,
                current: p.histogram.current,
                referenceLabel: 'Training rows (out-of-fold)',
              }),
              'The model’s predictions on the current rows against its out-of-fold predictions on the training rows.',
            )}`
          : html`<p class="muted">Not computed for this check.</p>`
      }
      <h3>Performance on new measurements</h3>
      ${
        perf
          ? html`<table>
                <thead>
                  <tr>
                    <th></th>
                    <th class="n">RMSE</th>
                    <th class="n">MAE</th>
                    <th class="n">R²</th>
                    <th class="n">Spearman ρ</th>
                    <th class="n">90% interval coverage</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td>Current (${formatCount(perf.rows)} measured rows)</td>
                    <td class="n">
                      ${formatFixed(perf.rmse, 3)} (95% CI
                      ${formatFixed(perf.rmseCi[0], 3)}–${formatFixed(perf.rmseCi[1], 3)})
                    </td>
                    <td class="n">${formatFixed(perf.mae, 3)}</td>
                    <td class="n">${formatFixed(perf.r2, 3)}</td>
                    <td class="n">${formatFixed(perf.spearman, 3)}</td>
                    <td class="n">${formatPercent(perf.coverage)}</td>
                  </tr>
                  <tr>
                    <td>Cross-validation</td>
                    <td class="n">${formatFixed(perf.cvRmse, 3)}</td>
                    <td class="n">${formatFixed(perf.cvMae, 3)}</td>
                    <td class="n">${formatFixed(perf.cvR2, 3)}</td>
                    <td class="n">${formatFixed(perf.cvSpearman, 3)}</td>
                    <td class="n">about 90%</td>
                  </tr>
                </tbody>
              </table>
              <p>
                ${perf.degraded ? html`<span class="badge bad">Degraded</span> ${perf.reasons.join(' ')}` : html`<span class="badge good">Not degraded</span>`}
              </p>`
          : html`<p class="muted">
              The current rows hold no measured value of ${c.target} with the model's standard
              types.
            </p>`
      }
      <h3>Chemical space</h3>
      ${
        chem
          ? html`${facts([
              [
                'Compared',
                `${formatCount(chem.compared)} current structures against ${formatCount(chem.referenceCompared)} training structures (Morgan radius 2, 2,048 bits)`,
              ],
              [
                'Median nearest-neighbour Tanimoto',
                `${formatFixed(chem.medianNnSimilarity, 3)} current · ${formatFixed(chem.referenceMedianNnSimilarity, 3)} training (leave-one-out)`,
              ],
              [
                'Outside the applicability domain',
                `${formatPercent(chem.outOfDomainShare)} current · ${formatPercent(chem.referenceOutOfDomainShare)} training`,
              ],
            ])}${figure(
              overlaidHistogram({
                title: 'Nearest-neighbour similarity to the training set',
                xLabel: 'Tanimoto similarity to the nearest training compound',
                edges: chem.histogram.edges,
                reference: chem.histogram.reference,
                current: chem.histogram.current,
                referenceLabel: 'Training (leave-one-out)',
              }),
              'Low similarity means compounds unlike anything the model learned from.',
            )}
            ${
              chem.leastSimilar.length > 0
                ? html`<h3>Least similar current compounds</h3>
                    <table>
                      <thead>
                        <tr>
                          <th>Compound</th>
                          <th>SMILES</th>
                          <th class="n">Tanimoto</th>
                          <th>Nearest training compound</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${chem.leastSimilar.map(
                          (l) =>
                            html`<tr>
                              <td>
                                ${l.moleculeId ?? (l.compoundId === null ? '—' : `#${l.compoundId}`)}
                              </td>
                              <td class="mono">${l.smiles}</td>
                              <td class="n">${formatFixed(l.similarity, 3)}</td>
                              <td>
                                ${l.nearestMoleculeId ?? (l.nearestCompoundId === null ? '—' : `#${l.nearestCompoundId}`)}
                              </td>
                            </tr>`,
                        )}
                      </tbody>
                    </table>`
                : ''
            }`
          : html`<p class="muted">No structures to compare.</p>`
      }`,
  )
}

/** The drift report as one self-contained HTML document. */
export function renderDriftReport(d: DriftReportData, meta: ReportMeta): string {
  const c = d.check
  return renderDocument(
    {
      title: 'Drift report',
      subject: `Check #${c.driftRunId} of ${c.modelVersion} · ${c.target}${d.targetName ? ` ${d.targetName}` : ''}`,
      modelVersion: c.modelVersion,
    },
    meta,
    html`${verdict(d)}${compared(d)}${featureTable(d)}${distributions(d)}${beyondColumns(d)}${section(
      'timeline',
      'Drift timeline of this model',
      driftTimeline(d.history, c.driftRunId, c.datasetShare),
    )}`,
  )
}
