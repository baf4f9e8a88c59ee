import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { WorkbenchError } from '../../contract'
import { MAX_PDF_HTML_CHARS, type PdfOptions } from './capabilities'
import { pageMarginsMm, pageTemplates } from './page-templates'
import { REPORT_CSP } from './report-csp'

/** Where Chromium is looked for: `CHROMIUM_PATH`, else Debian's package. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
}

/** The flags the project runs Chromium with everywhere: headless, no sandbox, nothing in the background. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/**
 * The printer's flags: the project's, plus a host resolver that resolves no address at all, IP
 * literals included. Whatever a report's HTML names, the browser cannot even look it up (DNS is
 * a leak of its own), on top of every request being refused.
 */
export const CHROMIUM_ARGS = [
  ...CHROMIUM_FLAGS,
  '--dns-prefetch-disable',
  '--host-resolver-rules=MAP * ~NOTFOUND',
]

/**
 * Paper by its standard size: Playwright's `format: 'A4'` is 8.27 x 11.7 in, a little larger
 * than ISO A4 (210 x 297 mm).
 */
const PAPER: Record<PdfOptions['pageSize'], [string, string]> = {
  A4: ['210mm', '297mm'],
  Letter: ['8.5in', '11in'],
}

/** The report's own address: answered by the printer itself, never looked up or fetched. */
const DOCUMENT_URL = 'https://report.invalid/'

/**
 * Prints HTML to PDF in an installed Chromium through playwright-core, for the web host and the
 * CLI. One browser is started on first use and kept (starting one takes seconds); each
 * print gets a fresh context with JavaScript off, every request but the document's own aborted,
 * and the document served with a CSP that forbids fetching anything. A report's values come from
 * data (compound names can contain markup): even unescaped markup cannot make the browser reach
 * the network or the disk.
 */
export class ChromiumPdfPrinter {
  private browser: Promise<Browser> | null = null
  private closed = false

  constructor(private readonly executablePath: string = chromiumPath()) {}

  async print(html: string, options: PdfOptions): Promise<Uint8Array> {
    if (html.length > MAX_PDF_HTML_CHARS)
      throw new WorkbenchError(
        'invalid-input',
        `The document to print is ${html.length} characters; at most ${MAX_PDF_HTML_CHARS} are printed.`,
      )
    try {
      return await this.printIn(await this.launch(), html, options)
    } catch (error) {
      if (error instanceof WorkbenchError) throw error
      // Chromium crashed, was killed or timed out: a failure to print, not a bug in the workbench.
      throw new WorkbenchError(
        'pdf-unavailable',
        `Chromium could not print the document: ${firstLine(error)}. Try again; if it keeps failing, check that ${this.executablePath} runs.`,
      )
    }
  }

  private async printIn(browser: Browser, html: string, options: PdfOptions): Promise<Uint8Array> {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      serviceWorkers: 'block',
      acceptDownloads: false,
      bypassCSP: false,
    })
    try {
      let served = false
      await context.route('**/*', (route) => {
        const request = route.request()
        const topLevel = request.isNavigationRequest() && request.frame().parentFrame() === null
        if (topLevel && request.url() === DOCUMENT_URL && !served) {
          served = true
          return route.fulfill({
            status: 200,
            contentType: 'text/html; charset=utf-8',
            headers: { 'content-security-policy': REPORT_CSP },
            body: html,
          })
        }
        // A page that tries to leave (`<meta http-equiv="refresh">`, which no CSP stops) is told
        // "204 No Content": Chromium then stays on the document. An aborted navigation would
        // replace it with an error page, and the PDF would print that, or fail mid-print.
        if (topLevel) return route.fulfill({ status: 204, body: '' })
        return route.abort('blockedbyclient')
      })
      const page = await context.newPage()
      await page.goto(DOCUMENT_URL, { waitUntil: 'load', timeout: 60_000 })
      const [width, height] = PAPER[options.pageSize]
      const templates = pageTemplates(options.running)
      const m = pageMarginsMm(options)
      const pdf = await page.pdf({
        width,
        height,
        landscape: options.landscape ?? false,
        printBackground: true,
        margin: {
          top: `${m.top}mm`,
          bottom: `${m.bottom}mm`,
          left: `${m.left}mm`,
          right: `${m.right}mm`,
        },
        ...(templates ? { displayHeaderFooter: true, ...templates } : {}),
      })
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength)
    } finally {
      await context.close().catch(() => undefined)
    }
  }

  /** Closes the browser; a print after this starts none and fails. */
  async close(): Promise<void> {
    this.closed = true
    const browser = this.browser
    this.browser = null
    if (browser) await browser.then((b) => b.close()).catch(() => undefined)
  }

  private launch(): Promise<Browser> {
    if (this.closed)
      return Promise.reject(
        new WorkbenchError('pdf-unavailable', 'The workbench is closing; nothing more is printed.'),
      )
    if (this.browser) return this.browser
    if (!existsSync(this.executablePath))
      return Promise.reject(
        new WorkbenchError(
          'pdf-unavailable',
          `PDFs are printed with Chromium, and none was found at ${this.executablePath}. Install Chromium (Debian or Ubuntu: "sudo apt-get install chromium"), or set CHROMIUM_PATH to the Chromium or Google Chrome program and start the workbench again.`,
          { chromiumPath: this.executablePath },
        ),
      )
    // Loaded on first print, not with the engine: importing playwright-core takes seconds, which
    // every CLI command and every start of the desktop engine would otherwise pay.
    const launching = import('playwright-core')
      .then(({ chromium }) =>
        chromium.launch({
          executablePath: this.executablePath,
          headless: true,
          args: CHROMIUM_ARGS,
        }),
      )
      .then(
        async (browser) => {
          if (this.closed) {
            await browser.close().catch(() => undefined)
            throw new WorkbenchError(
              'pdf-unavailable',
              'The workbench is closing; nothing more is printed.',
            )
          }
          // A browser that crashed or was killed is started again on the next print.
          browser.on('disconnected', () => {
            if (this.browser === launching) this.browser = null
          })
          return browser
        },
        (error: unknown) => {
          this.browser = null
          throw new WorkbenchError(
            'pdf-unavailable',
            `Chromium at ${this.executablePath} could not be started to print the PDF: ${firstLine(error)}. Check that it runs ("${this.executablePath} --version"), or set CHROMIUM_PATH to another Chromium or Google Chrome.`,
            { chromiumPath: this.executablePath },
          )
        },
      )
    this.browser = launching
    return launching
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return (text.split('\n').find((l) => l.trim().length > 0) ?? text).slice(0, 300)
}
