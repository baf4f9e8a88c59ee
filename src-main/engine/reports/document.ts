import { withReportCsp } from '../host/report-csp'
import { formatUtc } from './format'
import { type HtmlValue, type SafeHtml, html, trustedMarkup } from './html'

/** What every report says about its making, beside its own data. */
export interface ReportMeta {
  /** ISO time the report was generated; the only part of the bytes that changes between runs */
  generatedAt: string
  appVersion: string
}

export interface TitleBlock {
  /** e.g. "Model card" */
  title: string
  /** what it is about, e.g. "v3 · CHEMBL1978 Cytochrome P450 19A1" */
  subject: string
  modelVersion: string
}

/**
 * Screen and print in one sheet. Tables repeat their header on each printed page and never split
 * a row; a chart (a figure) is never cut in half.
 */
const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1c2330; background: #fff; margin: 0 auto; max-width: 1100px; padding: 24px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d5dbe5; break-after: avoid; }
h3 { font-size: 15px; margin: 18px 0 6px; break-after: avoid; }
p { margin: 6px 0; }
.title-block { border-bottom: 3px solid #2b5d9b; padding-bottom: 12px; margin-bottom: 8px; }
.title-block .subject { font-size: 16px; color: #34415a; }
.title-block dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 10px 0 0; font-size: 13px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 8px 0; }
dt { color: #566179; }
dd { margin: 0; overflow-wrap: anywhere; }
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #e1e6ee; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f8; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.rows td { padding: 1px 6px; font-size: 12px; }
table.rows td { overflow-wrap: anywhere; }
/* a compound's ID stays whole (names still wrap at spaces); SMILES may break anywhere */
table.rows td:nth-child(2) { overflow-wrap: normal; }
thead { display: table-header-group; }
tr, figure { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 12px 0; max-width: 560px; }
figcaption { font-size: 12px; color: #566179; margin-top: 2px; }
svg { max-width: 100%; height: auto; font-family: inherit; }
svg.chart { width: 100%; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 8px 24px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 13px; }
.bad { background: #fbe3e1; color: #8c1d13; }
.good { background: #e2f3e6; color: #1d5e2c; }
.warn { background: #fff4d6; color: #6b4d00; }
.notice { border-left: 4px solid #c98a00; background: #fff8e6; padding: 8px 12px; margin: 10px 0; }
.muted { color: #566179; }
footer { margin-top: 32px; font-size: 12px; color: #566179; border-top: 1px solid #d5dbe5; padding-top: 8px; }
@page { margin: 18mm 14mm 18mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  table { font-size: 10px; }
  table.rows td { font-size: 9px; }
  h2 { font-size: 15px; }
  a { color: inherit; text-decoration: none; }
}
`
/** The sheet is our own constant text, never data. */
const CSS_MARKUP = trustedMarkup(CSS)

/** Label and value pairs as a definition list (values escaped unless our own markup). */
export function facts(rows: readonly (readonly [string, HtmlValue])[]): SafeHtml {
  return html`<dl class="facts">
    ${rows.map(
      ([k, v]) =>
        html`<dt>${k}</dt>
          <dd>${v}</dd>`,
    )}
  </dl>`
}

/** One section with its heading. */
export function section(id: string, title: string, body: HtmlValue): SafeHtml {
  return html`<section id="${id}">
    <h2>${title}</h2>
    ${body}
  </section>`
}

/**
 * The whole document: doctype, the report CSP (no script, no request of any kind), inline CSS,
 * the title block, the body and a footer naming the data's licence.
 */
export function renderDocument(title: TitleBlock, meta: ReportMeta, body: HtmlValue): string {
  const doc = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="Assay Workbench ${meta.appVersion}" />
        <title>${title.title} — ${title.subject}</title>
        <style>
          ${CSS_MARKUP}
        </style>
      </head>
      <body>
        <header class="title-block">
          <h1>${title.title}</h1>
          <div class="subject">${title.subject}</div>
          <dl>
            <dt>Model version</dt>
            <dd>${title.modelVersion}</dd>
            <dt>Generated</dt>
            <dd>
              <time class="generated-at" datetime="${meta.generatedAt}"
                >${formatUtc(meta.generatedAt)}</time
              >
            </dd>
            <dt>Made with</dt>
            <dd>Assay Workbench ${meta.appVersion}</dd>
          </dl>
        </header>
        ${body}
        <footer>
          Made by Assay Workbench ${meta.appVersion} from the data stored in its database.
          Bioactivity data from ChEMBL (EMBL-EBI) is licensed CC BY-SA 3.0.
        </footer>
      </body>
    </html> `
  return withReportCsp(doc.markup)
}
