import { stat } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { assertWritableOutside } from '../files/data-folder-guard'
import { type HostCapabilities, safeSaveName } from './capabilities'
import { ChromiumPdfPrinter } from './chromium-pdf'
import type { DownloadStore } from './downloads'
import { SavedFiles } from './saved-files'

export interface HeadlessHostOptions {
  /** `web`: files go to the browser as one-time downloads; `cli`: files are written to disk. */
  kind: 'web' | 'cli'
  dataDir: string
  /** web: where downloads wait for the page to fetch them (the CLI ignores it) */
  downloads?: DownloadStore
  /**
   * cli: where a saved file goes: the file the user named (`--out`), or a folder to put it in
   * under its suggested name. Default: the current folder.
   */
  saveTo?: string
  /** default: `CHROMIUM_PATH` or /usr/bin/chromium */
  chromiumPath?: string
}

/**
 * The capabilities of the hosts without Electron: the web host and the CLI. PDFs come from an
 * installed Chromium (playwright-core); the web host saves by handing the browser a one-time
 * download, the CLI by writing the path its user gave (never into the data folder); neither shows
 * notifications or opens viewers.
 */
export function createHeadlessHost(options: HeadlessHostOptions): HostCapabilities {
  const printer = new ChromiumPdfPrinter(options.chromiumPath)
  const saved = new SavedFiles()
  const downloads = options.kind === 'web' ? options.downloads : undefined
  if (options.kind === 'web' && !downloads)
    throw new Error('the web host keeps its downloads in a DownloadStore; none was given')

  return {
    printToPdf: (html, pdfOptions) => printer.print(html, pdfOptions),

    async saveFile({ suggestedName, bytes, mime }) {
      if (downloads)
        return { saved: true, downloadId: downloads.put({ name: suggestedName, mime, bytes }) }
      const target = await cliTarget(options.saveTo, suggestedName)
      // The CLI runs in the engine's process: writing over the database or into the data folder
      // would damage what the engine holds open.
      await assertWritableOutside(options.dataDir, target)
      await saved.write(target, bytes)
      return { saved: true, path: target }
    },

    notify: () => Promise.resolve({ shown: false }),

    async openFile(path) {
      await saved.check(path)
      // No viewer to hand it to: the CLI prints the path, the browser shows its download.
      return { opened: false }
    },

    async close() {
      await printer.close()
      downloads?.clear()
    },
  }
}

/** The file the CLI writes: `saveTo` itself, or the suggested name inside it when it is a folder. */
async function cliTarget(saveTo: string | undefined, suggestedName: string): Promise<string> {
  const name = safeSaveName(suggestedName)
  if (saveTo === undefined) return join(process.cwd(), name)
  const absolute = isAbsolute(saveTo) ? saveTo : resolve(saveTo)
  const info = await stat(absolute).catch(() => null)
  return info?.isDirectory() ? join(absolute, name) : absolute
}
