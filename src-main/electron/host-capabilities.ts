import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BrowserWindow, Notification, app, dialog, session, shell } from 'electron'
import { WorkbenchError } from '../contract'
import {
  type HostCapabilities,
  MAX_PDF_HTML_CHARS,
  type PdfOptions,
  safeSaveName,
} from '../engine/host/capabilities'
import { pageMarginsMm, pageTemplates } from '../engine/host/page-templates'
import { withReportCsp } from '../engine/host/report-csp'
import { SavedFiles } from '../engine/host/saved-files'

/** An in-memory session of its own: nothing a printed document does touches the app's session. */
const PRINT_PARTITION = 'assay-workbench-print'
const PRINT_TIMEOUT_MS = 60_000

/**
 * The desktop app's capabilities, run in Electron main at the engine's request: printToPDF from a
 * hidden sandboxed window, the native save dialog, desktop notifications, and the system viewer
 * for files this app saved.
 */
export function electronCapabilities(mainWindow: () => BrowserWindow | null): HostCapabilities {
  // shell.openPath runs whatever the path names with its default program: only files the user
  // saved here through the dialog are opened, so the engine cannot launch anything else.
  const saved = new SavedFiles()
  let printSession: Electron.Session | null = null

  const printingSession = (): Electron.Session => {
    if (printSession) return printSession
    const ses = session.fromPartition(PRINT_PARTITION, { cache: false })
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
    ses.setPermissionCheckHandler(() => false)
    // The document is a file of our own; every other request (images, styles, frames, file: URLs
    // it names) is cancelled. data: URLs (inline images and fonts) carry their content with them.
    ses.webRequest.onBeforeRequest((details, callback) => {
      callback({ cancel: !(allowedDocuments.has(details.url) || details.url.startsWith('data:')) })
    })
    printSession = ses
    return ses
  }
  const allowedDocuments = new Set<string>()

  return {
    async printToPdf(html: string, options: PdfOptions): Promise<Uint8Array> {
      if (html.length > MAX_PDF_HTML_CHARS)
        throw new WorkbenchError('invalid-input', 'The document to print is too large.')
      // A file, not a data: URL: Chromium caps URLs at 2 MB, and a report with charts passes that.
      const folder = await mkdtemp(join(tmpdir(), 'assay-print-'))
      const file = join(folder, 'report.html')
      await writeFile(file, withReportCsp(html), { mode: 0o600 })
      const url = pathToFileURL(file).href
      allowedDocuments.add(url)
      const hidden = new BrowserWindow({
        show: false,
        width: 1024,
        height: 1400,
        webPreferences: {
          session: printingSession(),
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          javascript: false,
          webSecurity: true,
          webgl: false,
          spellcheck: false,
          navigateOnDragDrop: false,
          safeDialogs: true,
        },
      })
      const contents = hidden.webContents
      contents.on('will-navigate', (event) => event.preventDefault())
      contents.on('will-redirect', (event) => event.preventDefault())
      contents.on('will-attach-webview', (event) => event.preventDefault())
      contents.setWindowOpenHandler(() => ({ action: 'deny' }))
      const templates = pageTemplates(options.running)
      try {
        await withTimeout(hidden.loadURL(url), PRINT_TIMEOUT_MS, 'load the document to print')
        const pdf = await withTimeout(
          contents.printToPDF({
            pageSize: options.pageSize,
            landscape: options.landscape ?? false,
            printBackground: true,
            margins: inches(pageMarginsMm(options)),
            ...(templates ? { displayHeaderFooter: true, ...templates } : {}),
          }),
          PRINT_TIMEOUT_MS,
          'print the PDF',
        )
        // a copy of its own: a view would send the whole underlying buffer to the engine
        return new Uint8Array(pdf)
      } finally {
        allowedDocuments.delete(url)
        if (!hidden.isDestroyed()) hidden.destroy()
        await rm(folder, { recursive: true, force: true })
      }
    },

    async saveFile({ suggestedName, bytes }) {
      const name = safeSaveName(suggestedName)
      const extension = extname(name).slice(1)
      const options: Electron.SaveDialogOptions = {
        title: 'Save',
        defaultPath: join(app.getPath('documents'), name),
        filters: extension
          ? [
              { name: `${extension.toUpperCase()} file`, extensions: [extension] },
              { name: 'All files', extensions: ['*'] },
            ]
          : [],
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      }
      const parent = mainWindow()
      const choice = parent
        ? await dialog.showSaveDialog(parent, options)
        : await dialog.showSaveDialog(options)
      if (choice.canceled || !choice.filePath) return { saved: false }
      await saved.write(choice.filePath, bytes)
      return { saved: true, path: choice.filePath }
    },

    notify({ title, body }) {
      if (!Notification.isSupported()) return Promise.resolve({ shown: false })
      new Notification({ title, body, silent: false }).show()
      return Promise.resolve({ shown: true })
    },

    async openFile(path) {
      const real = await saved.check(path)
      const failure = await shell.openPath(real)
      if (failure)
        throw new WorkbenchError('host-unavailable', `The file could not be opened: ${failure}`)
      return { opened: true }
    },

    close() {
      return Promise.resolve()
    },
  }
}

/** Electron takes margins in inches. */
function inches(
  mm: Record<'top' | 'bottom' | 'left' | 'right', number>,
): Electron.PrintToPDFMargins {
  const inch = (v: number) => v / 25.4
  return { top: inch(mm.top), bottom: inch(mm.bottom), left: inch(mm.left), right: inch(mm.right) }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new WorkbenchError(
            'pdf-unavailable',
            `The app could not ${what} within ${ms / 1000} s. Try again, or print a shorter report.`,
          ),
        ),
      ms,
    )
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
