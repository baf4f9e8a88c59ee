import { formatCount } from './format'

/**
 * Where a prediction report's results table starts, with the number of rows it holds. The
 * renderer leaves it as an HTML comment: data cannot forge one, since every value from data is
 * escaped (`<` becomes `&lt;`), and it shows nowhere.
 */
export function printRowsMarker(rows: number): string {
  return `<!--print-rows ${rows}-->`
}

const MARKER = /<!--print-rows (\d+)-->/

export interface PrintedRows {
  /** the document to print */
  html: string
  /** rows the table holds, and how many of them the print lists (equal when none are left out) */
  total: number
  listed: number
}

/**
 * The stored report as it is printed: the first `limit` rows of its results table listed, and a
 * note at the marker saying how many the PDF leaves out.
 *
 * Why a print-only rule added at export, not a second rendering with fewer rows: the stored HTML
 * file stays the one source of every report (its SHA-256 is checked on every read, and the PDF is
 * that same file printed), so the PDF cannot disagree with it, and printing needs no database
 * rows that might have changed or been deleted since the report was made. The rule is our own
 * constant text plus numbers; the rows themselves are not touched, only hidden from print
 * (`@media print`), so the copy would still show them all on screen.
 */
export function withPrintedRows(doc: string, limit: number): PrintedRows {
  const marker = MARKER.exec(doc)
  if (!marker || marker.index === undefined) return { html: doc, total: 0, listed: 0 }
  const total = Number(marker[1])
  if (total <= limit) return { html: doc, total, listed: total }
  const left = total - limit
  const insert =
    `<style>@media print { table.rows > tbody > tr:nth-child(n+${limit + 1}) { display: none; } }</style>` +
    `<p class="notice rows-left-out">${formatCount(limit)} of ${formatCount(total)} rows listed; ` +
    `the other ${formatCount(left)} are in the HTML file of this report.</p>`
  const at = marker.index + marker[0].length
  return { html: doc.slice(0, at) + insert + doc.slice(at), total, listed: limit }
}
