import type { ReportPredictionRow } from '../db/report-queries'
import { formatFixed, formatNm } from './format'
import { type SafeHtml, escapeHtml, trustedMarkup } from './html'
import { SORT_SCRIPT } from './sort-script'

interface Column {
  head: string
  numeric: boolean
  value: (r: ReportPredictionRow) => string
  /** a column no row has a value in is left out (a file without SMILES, without measurements) */
  optional: boolean
}

const text = (v: string | null | undefined) => (v ? escapeHtml(v) : '')

// Row and Compound are always the first two columns: the sheet keeps the second (IDs) unbroken.
const COLUMNS: Column[] = [
  { head: 'Row', numeric: true, optional: false, value: (r) => String(r.rowNumber) },
  {
    head: 'Compound',
    numeric: false,
    optional: false,
    value: (r) =>
      text(r.moleculeId) + (r.name && r.name !== r.moleculeId ? ` · ${text(r.name)}` : ''),
  },
  { head: 'SMILES', numeric: false, optional: true, value: (r) => text(r.smiles) },
  {
    head: 'Predicted pActivity',
    numeric: true,
    optional: false,
    value: (r) => (r.pActivity === null ? '' : formatFixed(r.pActivity, 2)),
  },
  {
    head: 'Predicted nM',
    numeric: true,
    optional: false,
    value: (r) => (r.nM === null ? '' : formatNm(r.nM)),
  },
  {
    head: 'In domain',
    numeric: false,
    optional: false,
    value: (r) => (r.inDomain === null ? '' : r.inDomain ? 'yes' : '<b>no</b>'),
  },
  {
    head: 'Measured pActivity',
    numeric: true,
    optional: true,
    value: (r) => (r.observed === null ? '' : formatFixed(r.observed, 2)),
  },
  {
    head: 'Not scored because',
    numeric: false,
    optional: true,
    value: (r) => text(r.failure),
  },
]

/** Headers look clickable on screen and show the order chosen; print shows neither. */
const SORT_STYLE = `<style>@media screen {
table.rows thead th { cursor: pointer; user-select: none; }
table.rows thead th:hover { background: #dde5f1; }
table.rows thead th[aria-sort=ascending]::after { content: " \\25B2"; font-size: 9px; }
table.rows thead th[aria-sort=descending]::after { content: " \\25BC"; font-size: 9px; }
}
@media print { .sort-hint { display: none; } }</style>`

/**
 * A batch's rows as one table, built as a single string: 100,000 rows through the template would
 * be slow. Every value from data goes through escapeHtml. To keep a large batch's report small,
 * cells carry no attributes (numeric columns are aligned by a rule made for this table), and end
 * tags of cells and rows are left out, which HTML allows. Clicking a column header sorts the rows
 * in a browser ({@link SORT_SCRIPT}, the one script the report's CSP allows).
 */
export function resultTable(rows: readonly ReportPredictionRow[]): SafeHtml {
  const columns = COLUMNS.filter((c) => !c.optional || rows.some((r) => c.value(r) !== ''))
  const numeric = columns
    .map((c, k) => (c.numeric ? `table.rows td:nth-child(${k + 1})` : null))
    .filter((s) => s !== null)
  const style = numeric.length
    ? `<style>${numeric.join(', ')} { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }</style>`
    : ''
  const head = columns
    .map((c) => `<th${c.numeric ? ' class="n"' : ''} tabindex="0">${c.head}</th>`)
    .join('')
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${c.value(r)}`).join('')}`).join('\n')
  return trustedMarkup(
    `${style}${SORT_STYLE}<table class="rows"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table><script>${SORT_SCRIPT}</script>`,
  )
}
