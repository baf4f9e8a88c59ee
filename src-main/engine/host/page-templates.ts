import { escapeHtml } from '../reports/html'
import type { PdfOptions } from './capabilities'

/**
 * The running header and footer of a printed report, as Chromium's `headerTemplate` and
 * `footerTemplate` (the same for playwright-core's `page.pdf` and Electron's `printToPDF`).
 *
 * Chromium draws each template in the page's top or bottom margin, in a document of its own
 * that inherits nothing from the report: its default font size there is so small it is barely
 * readable, so every style is set here. Values come from data (a report title names a target,
 * an input file), so each is escaped; Chromium fills only the `pageNumber` and `totalPages`
 * spans itself.
 */
export interface PageTemplates {
  headerTemplate: string
  footerTemplate: string
}

/**
 * Paper margins that leave room for the header and footer (Chromium draws them inside the
 * margins). The same as a report's own `@page` rule (document.ts), which Chromium lets win over
 * the margins it is given: so the header's text lines up with the report's either way.
 */
export const RUNNING_MARGINS_MM = { top: 18, bottom: 18, left: 14, right: 14 } as const
/** Margins when no header or footer is printed. */
export const PLAIN_MARGINS_MM = { top: 15, bottom: 15, left: 12, right: 12 } as const

export function pageMarginsMm(options: PdfOptions): {
  top: number
  bottom: number
  left: number
  right: number
} {
  return options.running ? RUNNING_MARGINS_MM : PLAIN_MARGINS_MM
}

// Chromium places the template's box across the whole page width; the padding lines the text up
// with the report's own left and right margins.
const BOX = `font-family: system-ui, 'Helvetica Neue', Arial, sans-serif; font-size: 10px; color: #44506a; width: 100%; box-sizing: border-box; padding: 0 ${RUNNING_MARGINS_MM.left}mm; display: flex; justify-content: space-between; gap: 12px; -webkit-print-color-adjust: exact;`
const CELL = 'white-space: nowrap; overflow: hidden; text-overflow: ellipsis;'

/** The two templates for `running`; null when the document is printed without them. */
export function pageTemplates(running: PdfOptions['running']): PageTemplates | null {
  if (!running) return null
  const title = escapeHtml(running.title)
  const version = escapeHtml(running.modelVersion)
  const date = escapeHtml(running.date)
  const app = escapeHtml(running.appVersion)
  return {
    headerTemplate: `<div style="${BOX}"><span style="${CELL}">${title}</span><span style="${CELL} flex: none;">Model ${version}</span></div>`,
    footerTemplate: `<div style="${BOX}"><span style="flex: none;">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span><span style="${CELL}">${date}</span><span style="flex: none;">Assay Workbench ${app}</span></div>`,
  }
}
