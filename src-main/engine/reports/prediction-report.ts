import type { BatchSummary } from '../../contract'
import type { Db } from '../db/connection'
import {
  type ReportPredictionRow,
  selectBatchValues,
  selectReportRows,
  selectTargetName,
} from '../db/report-queries'
import { modelRow, summarize } from '../models/registry'
import { batchSummary } from '../predict/store'
import { type ReportMeta, facts, renderDocument, section } from './document'
import { formatCount, formatFixed, formatPercent, formatUtc } from './format'
import { type SafeHtml, html, trustedMarkup } from './html'
import { printRowsMarker } from './print-rows'
import { resultTable } from './result-table'
import { chartRow, figure, histogram, scatter } from './svg-charts'

export interface PredictionReportOptions {
  /** list at most this many rows in the table (the PDF's choice); all rows when absent */
  maxRows?: number
}

/** Everything a prediction report shows, read from the database. */
export interface PredictionReportData {
  batch: BatchSummary
  target: string
  targetName: string | null
  isSynthetic: boolean
  intervalHalfWidth: number
  cvRmse: number
  predicted: Float64Array
  observed: Float64Array
  /** the table's rows: scored by predicted pActivity (most potent first), then failed rows */
  rows: ReportPredictionRow[]
  /** rows of the batch not in `rows` (when maxRows cut the table) */
  rowsLeftOut: number
}

/** Reads one batch; an unknown id is a `not-found` WorkbenchError. */
export function gatherPredictionReport(
  db: Db,
  batchId: number,
  options: PredictionReportOptions = {},
): PredictionReportData {
  const batch = batchSummary(db, batchId)
  const model = summarize(db, modelRow(db, batch.modelVersion))
  const { predicted, observed } = selectBatchValues(db, batchId)
  const limit = options.maxRows ?? null
  const rows = selectReportRows(db, batchId, limit)
  const total = batch.rowsScored + batch.rowsFailed
  return {
    batch,
    target: model.target,
    targetName: selectTargetName(db, model.target),
    isSynthetic: model.isSynthetic,
    intervalHalfWidth: model.intervalHalfWidth,
    cvRmse: model.cv.rmse,
    predicted,
    observed,
    rows,
    rowsLeftOut: Math.max(0, total - rows.length),
  }
}

const SOURCES: Record<string, string> = {
  file: 'a file',
  database: 'compounds in the database',
  single: 'single predictions',
  api: 'the API',
  watch: 'a watched folder',
}

function overview(d: PredictionReportData): SafeHtml {
  const b = d.batch
  const total = b.rowsScored + b.rowsFailed
  const reasons = Object.keys(b.failuresByReason).sort()
  return section(
    'overview',
    'Model and input',
    html`${d.isSynthetic ? html`<p class="notice"><strong>Synthetic model.</strong> ${b.modelVersion} was trained on the bundled synthetic sample; these predictions say nothing about real compounds.</p>` : ''}
    ${facts([
      [
        'Model',
        `${b.modelVersion} · ${d.target}${d.targetName ? ` — ${d.targetName}` : ''} (CV RMSE ${formatFixed(d.cvRmse, 3)} log units)`,
      ],
      ['Input', `${b.inputName ?? '—'} (${SOURCES[b.source] ?? b.source})`],
      ['Scored', formatUtc(b.createdAt)],
      [
        'Rows',
        html`<span class="rows-total">${formatCount(total)}</span> in the input:
          <span class="rows-scored">${formatCount(b.rowsScored)}</span> scored,
          <span class="rows-failed">${formatCount(b.rowsFailed)}</span> could not be scored`,
      ],
      [
        'Applicability domain',
        `${formatCount(b.inDomain)} scored rows inside (${formatPercent(b.rowsScored ? b.inDomain / b.rowsScored : NaN)}), ${formatCount(b.rowsScored - b.inDomain)} outside`,
      ],
      ['90% interval', `each prediction ± ${formatFixed(d.intervalHalfWidth, 2)} log units`],
      ...(b.otherTargetRows !== null
        ? ([
            [
              'Other targets',
              b.otherTargetRows === 0
                ? `every row names ${d.target}`
                : `${formatCount(b.otherTargetRows)} rows name a target other than ${d.target}${b.onlyModelTarget ? ' and were left out' : ' and were scored anyway'}`,
            ],
          ] as const)
        : []),
    ])}
    ${
      reasons.length > 0
        ? html`<h3>Rows not scored, by reason</h3>
            <table>
              <thead>
                <tr>
                  <th>Reason</th>
                  <th class="n">Rows</th>
                </tr>
              </thead>
              <tbody>
                ${reasons.map(
                  (r) =>
                    html`<tr>
                      <td>${r}</td>
                      <td class="n">${formatCount(b.failuresByReason[r] ?? 0)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : ''
    }`,
  )
}

function measured(d: PredictionReportData): SafeHtml {
  const b = d.batch
  if (!b.observed) return html``
  return html`<h3>Against measured values</h3>
    ${facts([
      [
        'RMSE',
        `${formatFixed(b.observed.rmse, 3)} log units over ${formatCount(b.observed.rows)} rows with a measured value`,
      ],
      [
        'Compounds new to the model',
        b.outOfSample
          ? `RMSE ${formatFixed(b.outOfSample.rmse, 3)} (${formatCount(b.outOfSample.compounds)} compounds)`
          : '—',
      ],
      [
        'Compounds it was trained on',
        b.inSample
          ? `RMSE ${formatFixed(b.inSample.rmse, 3)} (${formatCount(b.inSample.compounds)} compounds; in-sample, so flattering)`
          : '—',
      ],
    ])}`
}

function charts(d: PredictionReportData): SafeHtml {
  const figures = [
    figure(
      histogram('Predicted pActivity', 'Predicted pActivity (log units)', d.predicted),
      `Distribution of the ${formatCount(d.predicted.length)} predictions.`,
    ),
  ]
  if (d.batch.observed)
    figures.push(
      figure(
        scatter({
          title: 'Predicted vs measured',
          xLabel: 'Measured pActivity (log units)',
          yLabel: 'Predicted pActivity (log units)',
          x: d.observed,
          y: d.predicted,
          guide: 'identity',
        }),
        'Rows with a measured value; the dashed line is y = x.',
      ),
    )
  return section('distribution', 'Predictions', html`${chartRow(figures)}${measured(d)}`)
}

function rowTable(d: PredictionReportData): SafeHtml {
  return section(
    'rows',
    'Results',
    html`<p>
        Sorted by predicted pActivity, most potent first; rows that could not be scored follow in
        file order. The 90% interval of every prediction is ± ${formatFixed(d.intervalHalfWidth, 2)}
        log units. The app's batch view sorts and filters the same rows.
        <span class="sort-hint"
          >Click a column's header to sort by it; click again to reverse.</span
        >
      </p>
      ${d.rowsLeftOut > 0 ? html`<p class="notice rows-left-out">${formatCount(d.rows.length)} rows listed; <strong>${formatCount(d.rowsLeftOut)} rows left out</strong> of this document. The HTML report lists every row.</p>` : ''}
      ${trustedMarkup(printRowsMarker(d.rows.length))}${resultTable(d.rows)}`,
  )
}

/** The prediction report as one self-contained HTML document. */
export function renderPredictionReport(d: PredictionReportData, meta: ReportMeta): string {
  const b = d.batch
  return renderDocument(
    {
      title: 'Prediction report',
      subject: `Batch #${b.batchId}${b.inputName ? ` · ${b.inputName}` : ''} · ${d.target}`,
      modelVersion: b.modelVersion,
    },
    meta,
    html`${overview(d)}${charts(d)}${rowTable(d)}`,
  )
}
