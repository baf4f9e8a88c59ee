import type { DriftRunSummary } from '../../contract'
import { formatCount, formatFixed, formatPercent, formatUtc } from './format'
import { type SafeHtml, html } from './html'
import { figure, timeline } from './svg-charts'

/** What a check compared, in words (the label the check stored, else its kind). */
export function sourceLabel(s: DriftRunSummary['source']): string {
  return s.label || s.kind
}

/**
 * A model's drift checks in order (oldest first) as a timeline and a table; `current` marks the
 * check a drift report is about; `threshold` is the share of drifted features that makes a
 * dataset drift.
 */
export function driftTimeline(
  checks: readonly DriftRunSummary[],
  current: number | null,
  threshold: number,
): SafeHtml {
  const points = checks.map((c) => ({
    label: `#${c.driftRunId}`,
    detail: `Check #${c.driftRunId}, ${formatUtc(c.createdAt)}: ${formatCount(c.featuresDrifted)} of ${formatCount(c.featuresTested)} features drifted (${sourceLabel(c.source)})${c.isSynthetic ? ', synthetic' : ''}`,
    share: c.driftedShare,
    drifted: c.datasetDrift,
    highlight: c.driftRunId === current,
  }))
  return html`${figure(
      timeline('Drift share per check', points, threshold),
      'Share of features that drifted in each check of this model; the dashed line is the share that makes a dataset drift.',
    )}
    <table>
      <thead>
        <tr>
          <th>Check</th>
          <th>When</th>
          <th>Compared</th>
          <th class="n">Rows</th>
          <th class="n">Features drifted</th>
          <th>Dataset</th>
          <th>Predictions</th>
          <th class="n">RMSE</th>
        </tr>
      </thead>
      <tbody>
        ${checks.map(
          (c) =>
            html`<tr${c.driftRunId === current ? html` class="current"` : ''}><td>#${String(c.driftRunId)}${c.driftRunId === current ? ' (this report)' : ''}</td><td>${formatUtc(c.createdAt)}</td><td>${sourceLabel(c.source)}${c.isSynthetic ? ' (synthetic)' : ''}</td><td class="n">${formatCount(c.currentRows)}</td><td class="n">${formatCount(c.featuresDrifted)} of ${formatCount(c.featuresTested)} (${formatPercent(c.driftedShare, 0)})</td><td>${c.datasetDrift ? html`<span class="badge bad">drifted</span>` : html`<span class="badge good">no drift</span>`}</td><td>${c.predictionDrifted === null ? '—' : c.predictionDrifted ? 'drifted' : 'stable'}</td><td class="n">${formatFixed(c.rmse, 3)}</td></tr>`,
        )}
      </tbody>
    </table>`
}
