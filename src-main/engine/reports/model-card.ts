import { type ReportMeta, facts, renderDocument, section } from './document'
import { driftTimeline } from './drift-timeline'
import {
  formatCount,
  formatFixed,
  formatNm,
  formatPercent,
  formatRangeEnd,
  formatUtc,
} from './format'
import { type SafeHtml, html } from './html'
import type { FeatureSource } from '../../contract'
import { barChart, chartRow, figure, scatter } from './svg-charts'
import type { ModelCardData } from './model-card-data'

export { type ModelCardData, gatherModelCard } from './model-card-data'

const LEARNERS: Record<string, string> = {
  gbdt: 'Gradient-boosted trees (histogram)',
  rf: 'Random forest',
  ridge: 'Ridge regression',
}

function params(p: Record<string, number | boolean>): string {
  // keys sorted: the same parameters print the same way whatever order they were stored in
  return Object.keys(p)
    .sort()
    .map((k) => `${k} = ${String(p[k])}`)
    .join(', ')
}

function details(d: ModelCardData): SafeHtml {
  const m = d.model
  const shown = m.featureNames.length > 40 ? m.featureNames.slice(0, 40) : m.featureNames
  const featureList = html`${shown.map((f, k) => html`${k > 0 ? ', ' : ''}${f} (${d.units[f] ?? ''})`)}${
    m.featureNames.length > shown.length
      ? html` and ${formatCount(m.featureNames.length - shown.length)} more`
      : ''
  }`
  return section(
    'details',
    'Model details',
    html`${facts([
        ['Version', html`<strong>${m.version}</strong>`],
        ['Target', `${m.target}${d.targetName ? ` — ${d.targetName}` : ''}`],
        ['Predicts', 'pActivity = 9 − log10(standard value in nM), e.g. pIC50'],
        ['Learner', LEARNERS[m.learner] ?? m.learner],
        ['Parameters', params(m.params) || '—'],
        ['Seed', m.seed === null ? '—' : String(m.seed)],
        [
          'Feature set',
          html`${m.featureSet} (${formatCount(m.featureNames.length)} features): ${featureList}`,
        ],
        [
          'ONNX model',
          html`<span class="mono">SHA-256 ${m.onnxSha256}</span> · ${formatCount(m.onnxBytes)} bytes`,
        ],
        ['Trained with', `Assay Workbench ${d.trainedWithApp ?? 'version not recorded'}`],
        ['Feature source', featureSourceText(m.trainingSet.featureSource)],
        ['RDKit', m.rdkitVersion ?? 'not used (features from the file)'],
        ['Created', formatUtc(m.createdAt)],
        [
          'Stage',
          html`<strong>${m.stage}</strong
            >${m.promotedAt ? ` (promoted ${formatUtc(m.promotedAt)})` : ''}`,
        ],
      ])}
      <h3>Stage history (audit log)</h3>
      ${
        m.history.length === 0
          ? html`<p class="muted">No entries.</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>When</th>
                  <th>Action</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                ${m.history.map(
                  (h) =>
                    html`<tr>
                      <td>${formatUtc(h.at)}</td>
                      <td>${h.action}</td>
                      <td>${h.reason ?? '—'}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`,
  )
}

function intendedUse(d: ModelCardData): SafeHtml {
  const m = d.model
  let lo = Infinity
  let hi = -Infinity
  for (const v of m.oof.observed) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  const seen = Number.isFinite(lo)
  return section(
    'intended-use',
    'Intended use and limits',
    html`${
        m.isSynthetic
          ? html`<p class="notice">
              <strong>Trained on synthetic data.</strong> This model learned from the bundled
              synthetic sample, not from measurements. Its predictions say nothing about real
              compounds; use it only to try the app.
            </p>`
          : ''
      }
      <p>
        Ranks and triages compounds for ${m.target}${d.targetName ? ` (${d.targetName})` : ''} by
        predicted potency from their molecular traits, with a 90% interval. It does not replace a
        measurement, and it knows only the standard types it was trained on
        (${m.trainingSet.types.join(', ')}).
      </p>
      ${facts([
        [
          'Potency range seen',
          seen
            ? `pActivity ${formatFixed(lo, 2)} to ${formatFixed(hi, 2)} (${formatNm(10 ** (9 - hi))} to ${formatNm(10 ** (9 - lo))} nM); predictions outside it are extrapolations`
            : 'not recorded',
        ],
        ['90% interval', `prediction ± ${formatFixed(m.intervalHalfWidth, 2)} log units`],
        [
          'Applicability domain',
          d.domainThreshold === null
            ? 'not recorded'
            : `a compound is out of domain when its distance to the nearest training compound (standardised features) exceeds ${formatFixed(d.domainThreshold, 3)}, the 95th percentile among training compounds`,
        ],
      ])}
      ${
        d.domainRanges.length > 0
          ? html`<table>
                <thead>
                  <tr>
                    <th>Feature</th>
                    <th>Unit</th>
                    <th class="n">Training min</th>
                    <th class="n">Training max</th>
                  </tr>
                </thead>
                <tbody>
                  ${d.domainRanges.slice(0, 30).map(
                    (r) =>
                      html`<tr>
                        <td>${r.feature}</td>
                        <td>${d.units[r.feature] ?? ''}</td>
                        <td class="n">${formatRangeEnd(r.min)}</td>
                        <td class="n">${formatRangeEnd(r.max)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              ${
                d.domainRanges.length > 30
                  ? html`<p class="muted">
                      ${formatCount(d.domainRanges.length - 30)} more features not listed.
                    </p>`
                  : ''
              }`
          : ''
      }`,
  )
}

function trainingData(d: ModelCardData): SafeHtml {
  const t = d.model.trainingSet
  const excluded = Object.keys(t.excluded).sort()
  return section(
    'training-data',
    'Training data',
    html`${
        d.sources.length === 0
          ? html`<p class="muted">
              No stored import holds this model's measurements (it may have been imported as a
              bundle).
            </p>`
          : html`<table>
              <thead>
                <tr>
                  <th>Source file</th>
                  <th>SHA-256</th>
                  <th>Imported</th>
                  <th class="n">Measurements of the target and types</th>
                </tr>
              </thead>
              <tbody>
                ${d.sources.map(
                  (s) =>
                    html`<tr>
                      <td>${s.fileName}${s.isSynthetic ? ' (synthetic sample)' : ''}</td>
                      <td class="mono">${s.sha256}</td>
                      <td>${formatUtc(s.finishedAt)}</td>
                      <td class="n">${formatCount(s.activities)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${facts([
        ['Standard types', t.types.join(', ')],
        ['Measurements considered', formatCount(t.activitiesConsidered)],
        ['Measurements used', formatCount(t.activitiesUsed)],
        ['Rows used (one per compound)', formatCount(d.model.trainingRows)],
        [
          'Repeats aggregated',
          `${formatCount(Math.max(0, t.activitiesUsed - t.compounds))} repeat measurements merged into their compound's median; ${formatCount(t.compoundsWithSpreadOver1)} compounds have repeats spanning more than 1 log unit`,
        ],
        ['Training set hash', html`<span class="mono">${t.hash}</span>`],
      ])}
      <h3>Measurements left out, by reason</h3>
      ${
        excluded.length === 0
          ? html`<p>None.</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>Reason</th>
                  <th class="n">Measurements</th>
                </tr>
              </thead>
              <tbody>
                ${excluded.map(
                  (r) =>
                    html`<tr>
                      <td>${r}</td>
                      <td class="n">${formatCount(t.excluded[r] ?? 0)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`,
  )
}

function evaluation(d: ModelCardData): SafeHtml {
  const m = d.model
  const residual = m.oof.observed.map((o, i) => o - (m.oof.predicted[i] ?? NaN))
  const ts = m.timeSplit
  return section(
    'evaluation',
    'Evaluation',
    html`<p>
        ${formatCount(m.folds)}-fold cross-validation; every figure is on out-of-fold predictions
        (${formatCount(m.cv.n)} compounds).
      </p>
      <table>
        <thead>
          <tr>
            <th>Evaluation</th>
            <th class="n">RMSE</th>
            <th class="n">MAE</th>
            <th class="n">R²</th>
            <th class="n">Spearman ρ</th>
            <th class="n">Rows</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Cross-validation</td>
            <td class="n cv-rmse">${formatFixed(m.cv.rmse, 3)}</td>
            <td class="n">${formatFixed(m.cv.mae, 3)}</td>
            <td class="n">${formatFixed(m.cv.r2, 3)}</td>
            <td class="n">${formatFixed(m.cv.spearman, 3)}</td>
            <td class="n">${formatCount(m.cv.n)}</td>
          </tr>
          ${
            ts
              ? html`<tr>
                  <td>
                    Time split (trained before ${ts.cutYear}, tested from ${ts.cutYear};
                    ${formatCount(ts.trainRows)} / ${formatCount(ts.testRows)} rows)
                  </td>
                  <td class="n">${formatFixed(ts.metrics.rmse, 3)}</td>
                  <td class="n">${formatFixed(ts.metrics.mae, 3)}</td>
                  <td class="n">${formatFixed(ts.metrics.r2, 3)}</td>
                  <td class="n">${formatFixed(ts.metrics.spearman, 3)}</td>
                  <td class="n">${formatCount(ts.metrics.n)}</td>
                </tr>`
              : html`<tr>
                  <td colspan="6" class="muted">
                    No time split: the training rows carry no document years.
                  </td>
                </tr>`
          }
        </tbody>
      </table>
      <p>
        RMSE and MAE in log units of pActivity. Interval coverage:
        ${formatPercent(m.intervalCoverage)} of out-of-fold measurements fall inside their 90%
        interval (expected about 90%).
      </p>
      ${chartRow([
        figure(
          scatter({
            title: 'Predicted vs observed (out-of-fold)',
            xLabel: 'Observed pActivity (log units)',
            yLabel: 'Predicted pActivity (log units)',
            x: m.oof.observed,
            y: m.oof.predicted,
            guide: 'identity',
          }),
          'Each point a training compound predicted by a model that did not see it; the dashed line is y = x.',
        ),
        figure(
          scatter({
            title: 'Residuals',
            xLabel: 'Predicted pActivity (log units)',
            yLabel: 'Observed − predicted (log units)',
            x: m.oof.predicted,
            y: residual,
            guide: 'zero',
          }),
          'Out-of-fold residuals against the prediction; a pattern away from zero shows bias.',
        ),
      ])}
      ${
        m.importance.length > 0
          ? figure(
              barChart(
                'Feature importance (top 15)',
                m.learner === 'ridge' ? 'Absolute coefficient' : 'Total split gain',
                m.importance.map((i) => ({ label: i.feature, value: i.value })),
              ),
              'The features the model relies on most.',
            )
          : html`<p class="muted">No feature importance stored for this model.</p>`
      }`,
  )
}

function lineage(d: ModelCardData): SafeHtml {
  const m = d.model
  return section(
    'lineage',
    'Lineage',
    html`${facts([
        ['Parent version', m.parentVersion ?? 'none'],
        [
          'Imported from',
          m.importedFrom
            ? `${m.importedFrom.version} (parent ${m.importedFrom.parentVersion ?? 'none'}, app ${m.importedFrom.appVersion ?? 'unknown'})`
            : 'trained here',
        ],
      ])}
      <h3>Runs compared by the training job</h3>
      ${
        d.comparedRuns.length === 0
          ? html`<p class="muted">No runs stored.</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>Run</th>
                  <th>Learner</th>
                  <th>Parameters</th>
                  <th class="n">CV RMSE</th>
                  <th class="n">R²</th>
                  <th class="n">Seconds</th>
                  <th>Kept</th>
                </tr>
              </thead>
              <tbody>
                ${d.comparedRuns.map(
                  (r) =>
                    html`<tr>
                      <td>${String(r.id)}</td>
                      <td>${LEARNERS[r.learner] ?? r.learner}</td>
                      <td>${params(r.params)}</td>
                      <td class="n">${formatFixed(r.metrics.rmse, 3)}</td>
                      <td class="n">${formatFixed(r.metrics.r2, 3)}</td>
                      <td class="n">${formatFixed(r.seconds, 1)}</td>
                      <td>${r.chosen ? 'yes' : ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`,
  )
}

/** The model card as one self-contained HTML document. */
export function renderModelCard(d: ModelCardData, meta: ReportMeta): string {
  const m = d.model
  return renderDocument(
    {
      title: 'Model card',
      subject: `${m.version} · ${m.target}${d.targetName ? ` ${d.targetName}` : ''}`,
      modelVersion: m.version,
    },
    meta,
    html`${details(d)}${intendedUse(d)}${trainingData(d)}${evaluation(d)}${
      d.drift.length > 0
        ? section('drift', 'Drift history', driftTimeline(d.drift, null, d.datasetShare))
        : ''
    }${lineage(d)}`,
  )
}

/** Where the training rows' features came from, in words (escaped by the html tag's caller). */
function featureSourceText(source: FeatureSource | undefined): string {
  if (!source)
    return 'not recorded (trained before features were standardised): file values where the file had them, RDKit for the rest'
  const rows = (n: number) => `${formatCount(n)} row${n === 1 ? '' : 's'}`
  if (source.kind === 'file values')
    return `file values for all ${rows(source.fileRows)}: predicts only from MW, AlogP, HBA and HBD values, not from structures`
  return `RDKit on the standardised structure for ${rows(source.rdkitRows)}${
    source.fileRows > 0 ? `; file values for ${rows(source.fileRows)} without a structure` : ''
  }. Standardisation: ${source.standardisation}`
}
