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
 * The stored HTML file stays the one source of every report (its SHA-256 is checked on every
 * read): the copy printed is made from it here, at export, never rendered again from the
 * database, so the PDF cannot disagree with the file and needs no rows that may have changed or
 * been deleted since. The copy drops the rows after the first `limit` rather than hiding them
 * with a print-only `display: none` rule: hidden rows are still sent to Chromium and parsed, and a
 * 100,000-row report (6.7 MB) then took about 90 s to print on a two-core machine, against
 * seconds for the cut copy. The cut is safe on our own markup: the renderer writes each row as
 * "\n<tr>" inside the table's `<tbody>`, and data cannot produce that text, since every value from
 * data is escaped (`<` becomes `&lt;`). Should the table not look like that, the rule is used
 * instead, so the print is slower but still right.
 */
export function withPrintedRows(doc: string, limit: number): PrintedRows {
  const marker = MARKER.exec(doc)
  if (!marker || marker.index === undefined) return { html: doc, total: 0, listed: 0 }
  const total = Number(marker[1])
  if (total <= limit) return { html: doc, total, listed: total }
  const at = marker.index + marker[0].length
  const note =
    `<p class="notice rows-left-out">${formatCount(limit)} of ${formatCount(total)} rows listed; ` +
    `the other ${formatCount(total - limit)} are in the HTML file of this report.</p>`
  const head = doc.slice(0, at) + note
  const rest = doc.slice(at)
  const cut = rowsAfter(rest, limit)
  if (cut)
    return { html: head + rest.slice(0, cut.from) + rest.slice(cut.to), total, listed: limit }
  const rule = `<style>@media print { table.rows > tbody > tr:nth-child(n+${limit + 1}) { display: none; } }</style>`
  return { html: head + rule + rest, total, listed: limit }
}

/** Where the rows after the first `limit` of the table at the start of `markup` begin and end. */
function rowsAfter(markup: string, limit: number): { from: number; to: number } | null {
  const table = markup.indexOf('<table class="rows">')
  const body = table < 0 ? -1 : markup.indexOf('<tbody>', table)
  const end = body < 0 ? -1 : markup.indexOf('\n</tbody>', body)
  if (end < 0) return null
  let from = body
  for (let k = 0; k <= limit; k++) {
    from = markup.indexOf('\n<tr>', from + 1)
    if (from < 0 || from > end) return null
  }
  return { from, to: end }
}
