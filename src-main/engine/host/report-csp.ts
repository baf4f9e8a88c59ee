import { SORT_SCRIPT_SOURCE } from '../reports/sort-script'

/**
 * Only what a self-contained report needs: inline styles, images and fonts as data: URLs, inline
 * SVG, and one script: the results table's sort, allowed by the hash of its exact text (never
 * 'unsafe-inline', which would let any script that slipped into a report run). No other script,
 * no inline event handler, no frame, no form, no request to any address, file: included.
 */
export const REPORT_CSP = [
  "default-src 'none'",
  `script-src ${SORT_SCRIPT_SOURCE}`,
  "style-src 'unsafe-inline'",
  'img-src data:',
  'font-src data:',
  "frame-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
].join('; ')

/**
 * The document with {@link REPORT_CSP} as its first `<head>` element, for a printer that loads it
 * from a file and so can send no header. A policy in a meta tag applies only to what comes after
 * it, so it goes before anything the document itself holds; a doctype stays first (without it
 * the page would print in quirks mode).
 */
export function withReportCsp(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html)
  const at = doctype ? doctype[0].length : 0
  return `${html.slice(0, at)}${meta}${html.slice(at)}`
}
