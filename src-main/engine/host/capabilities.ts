import { z } from 'zod'

/**
 * What only the host can do, as one typed interface the engine calls and each host implements:
 * Electron main (printToPDF from a hidden sandboxed window, native dialogs, Notification, the
 * system viewer), and the web host and CLI (an installed Chromium driven by playwright-core, the
 * browser's own download or a path the user typed, no notifications). Handlers reach it as
 * `ctx.capabilities`; they never learn which host they run in.
 */
export interface HostCapabilities {
  /**
   * Prints a self-contained HTML document to PDF. No script runs and nothing is fetched: every
   * image, style and font must be inline (data: URLs, inline SVG). Throws `pdf-unavailable` when
   * the host has no way to print.
   */
  printToPdf(html: string, options: PdfOptions): Promise<Uint8Array>
  /**
   * Hands bytes to the user: a save dialog (desktop), a browser download (web host: `downloadId`,
   * which the page turns into a download once), or the path the user gave (CLI).
   * `saved: false` when the user cancelled.
   */
  saveFile(file: SaveRequest): Promise<SaveOutcome>
  /** A desktop notification; hosts without one ignore it and say so with `shown: false`. */
  notify(note: Notification): Promise<{ shown: boolean }>
  /**
   * Opens a file in the system's viewer. Only files this host's `saveFile` wrote are opened;
   * anything else is refused with `not-allowed`. `opened: false` where the host has no viewer.
   */
  openFile(path: string): Promise<{ opened: boolean }>
  /** Releases what the host holds for these (a browser, pending requests); the engine calls it when it closes. */
  close(): Promise<void>
}

/** At most this much HTML is printed: a report is text and inline SVG, not a data dump. */
export const MAX_PDF_HTML_CHARS = 32 * 1024 ** 2
/** At most this much is saved through the host in one file. */
export const MAX_SAVE_BYTES = 512 * 1024 ** 2

export const pdfOptions = z.strictObject({
  pageSize: z.enum(['A4', 'Letter']),
  landscape: z.boolean().optional(),
  /**
   * A running header and footer on every page: the report's title and model version at the top;
   * page X of Y, the date and the app's version at the bottom. Plain text (each host escapes it
   * into its page templates). Absent: no header or footer.
   */
  running: z
    .strictObject({
      title: z.string().max(300),
      modelVersion: z.string().max(40),
      date: z.string().max(40),
      appVersion: z.string().max(40),
    })
    .optional(),
})
export type PdfOptions = z.infer<typeof pdfOptions>

export const saveRequest = z.strictObject({
  /** a file name without folders, such as "aromatase-report.pdf" */
  suggestedName: z.string().min(1).max(200),
  // any Uint8Array: a Buffer, or a view of shared memory, is as good as a plain one here
  bytes: z.custom<Uint8Array>(
    (v) => v instanceof Uint8Array && v.byteLength <= MAX_SAVE_BYTES,
    `bytes as a Uint8Array of at most ${MAX_SAVE_BYTES / 1024 ** 2} MB`,
  ),
  mime: z
    .string()
    .max(100)
    .regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'a MIME type such as application/pdf'),
})
export type SaveRequest = z.infer<typeof saveRequest>

export interface SaveOutcome {
  saved: boolean
  /** where the file was written (desktop, CLI) */
  path?: string
  /** the one-time download the page starts (web host) */
  downloadId?: string
}

export const notification = z.strictObject({
  title: z.string().min(1).max(200),
  body: z.string().max(2000),
})
export type Notification = z.infer<typeof notification>

/** A request from the engine to the host that carries it, as it crosses a process boundary. */
export const hostRequest = z.discriminatedUnion('capability', [
  z.strictObject({
    capability: z.literal('printToPdf'),
    html: z.string().max(MAX_PDF_HTML_CHARS),
    options: pdfOptions,
  }),
  z.strictObject({ capability: z.literal('saveFile'), file: saveRequest }),
  z.strictObject({ capability: z.literal('notify'), note: notification }),
  z.strictObject({ capability: z.literal('openFile'), path: z.string().min(1).max(4096) }),
])
export type HostRequest = z.infer<typeof hostRequest>

/** What each request answers. */
export interface HostAnswers {
  printToPdf: Uint8Array
  saveFile: SaveOutcome
  notify: { shown: boolean }
  openFile: { opened: boolean }
}

/** Runs one request against a host's capabilities: the one switch both sides of a boundary share. */
export function answerHostRequest(
  capabilities: HostCapabilities,
  request: HostRequest,
): Promise<HostAnswers[HostRequest['capability']]> {
  switch (request.capability) {
    case 'printToPdf':
      return capabilities.printToPdf(request.html, request.options)
    case 'saveFile':
      return capabilities.saveFile(request.file)
    case 'notify':
      return capabilities.notify(request.note)
    case 'openFile':
      return capabilities.openFile(request.path)
  }
}

/**
 * A file name to offer or write: no folders, no leading dots, no characters file systems or
 * Content-Disposition headers trip over.
 */
export function safeSaveName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? ''
  const cleaned = base
    .replace(/[^\w.\- ()]+/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
  return cleaned.slice(0, 150) || 'download'
}
