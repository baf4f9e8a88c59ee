import { open, readdir, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { type FSWatcher, watch } from 'chokidar'
import type {
  JobMethodName,
  WatchAfterImport,
  WatchFileResult,
  WatchPattern,
} from '../../../contract'
import type { EngineContext } from '../../context'
import { CompletenessTracker, type FileSample } from './completeness'
import { handleWatchedFile } from './handle-file'

/** How often a followed folder is checked to be still there. */
const FOLDER_CHECK_MS = 2000

export interface WatcherConfig {
  folder: string
  patterns: readonly WatchPattern[]
  afterImport: WatchAfterImport
  stableSeconds: number
}

export interface WatcherHooks {
  /** a file was handled (not called for a file skipped as handled before) */
  onResult?(result: WatchFileResult): void
  /** the folder itself failed (removed, no longer readable) */
  onFolderError?(error: Error): void
}

/** Whether a file name is one the folder takes: not hidden, ending with a pattern's extension. */
export function takesName(name: string, patterns: readonly WatchPattern[]): boolean {
  if (name.startsWith('.')) return false
  const lower = name.toLowerCase()
  return patterns.some((p) => lower.endsWith(p.slice(1).toLowerCase()))
}

/**
 * Watches one folder (its own files only, never imported/ or rejected/ beside them): each file
 * whose name matches waits until it is complete (see CompletenessTracker; its size and time are
 * sampled every poll), then joins a queue that is handled one file at a time, in the order the
 * files became complete. `start()` follows the folder with chokidar, files already there
 * included (they arrived while the app was closed); `scanOnce()` + `drain()` take what is there
 * now and end (`assay watch --once`).
 */
export class FolderWatcher {
  readonly folder: string
  private readonly tracker: CompletenessTracker
  private readonly pollMs: number
  private readonly queue: string[] = []
  private readonly controller = new AbortController()
  private chokidar: FSWatcher | null = null
  private timer: NodeJS.Timeout | null = null
  private folderTimer: NodeJS.Timeout | null = null
  private polling: Promise<void> | null = null
  private current: Promise<void> | null = null
  private currentJob: { kind: JobMethodName; jobId: string } | null = null
  handling: string | null = null

  constructor(
    private readonly ctx: EngineContext,
    private readonly config: WatcherConfig,
    private readonly hooks: WatcherHooks = {},
  ) {
    this.folder = resolve(config.folder)
    const stableMs = config.stableSeconds * 1000
    this.tracker = new CompletenessTracker(stableMs)
    this.pollMs = Math.min(500, Math.max(100, stableMs / 2))
  }

  /** Files seen and waiting to be complete, then those complete and queued. */
  waiting(): string[] {
    return [...this.tracker.waiting(), ...this.queue].map((p) => basename(p))
  }

  /** Follows the folder; resolves once chokidar has listed what is there. */
  async start(): Promise<void> {
    const watcher = watch(this.folder, {
      depth: 0,
      ignoreInitial: false,
      persistent: true,
      // hidden files (a browser's partial download, .DS_Store) are never taken
      ignored: (path: string) => path !== this.folder && basename(path).startsWith('.'),
    })
    this.chokidar = watcher
    watcher.on('add', (path: string) => void this.offer(path))
    watcher.on('change', (path: string) => void this.offer(path))
    watcher.on('unlink', (path: string) => this.tracker.forget(path))
    watcher.on('error', (error: unknown) =>
      this.hooks.onFolderError?.(error instanceof Error ? error : new Error(String(error))),
    )
    await new Promise<void>((done) => watcher.once('ready', () => done()))
    // chokidar says nothing when the watched folder itself goes: look every few seconds
    this.folderTimer = setInterval(() => {
      void stat(this.folder).then(
        (info) => {
          if (!info.isDirectory()) this.folderGone()
        },
        () => this.folderGone(),
      )
    }, FOLDER_CHECK_MS)
  }

  private folderGone(): void {
    if (this.controller.signal.aborted || this.folderTimer === null) return
    // said once
    clearInterval(this.folderTimer)
    this.folderTimer = null
    this.hooks.onFolderError?.(new Error('it was removed, renamed or unmounted'))
  }

  /** Lists the folder once (no watcher): what `--once` takes. */
  async scanOnce(): Promise<void> {
    const entries = await readdir(this.folder, { withFileTypes: true })
    // sorted, so `--once` handles a folder's files in the same order every run
    const names = entries.filter((e) => e.isFile()).map((e) => e.name)
    for (const name of names.sort()) await this.offer(join(this.folder, name))
  }

  /**
   * Waits until every file offered was handled; a file still being written after `boundMs` is
   * not waited for longer. Returns the names of the files left waiting.
   */
  async drain(boundMs: number): Promise<string[]> {
    const until = Date.now() + boundMs
    for (;;) {
      const left = this.tracker.waiting().map((p) => basename(p))
      if (this.controller.signal.aborted) return left
      if (this.queue.length === 0 && this.current === null) {
        if (left.length === 0 || Date.now() >= until) return left
      }
      await new Promise((r) => setTimeout(r, this.pollMs))
    }
  }

  /**
   * Takes no new file; cancels the job of the file being handled (an import past its commit
   * point finishes) and waits for that file's handling to end.
   */
  async stop(): Promise<void> {
    this.controller.abort()
    if (this.folderTimer) clearInterval(this.folderTimer)
    this.folderTimer = null
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.queue.length = 0
    await this.chokidar?.close()
    this.chokidar = null
    if (this.currentJob) {
      try {
        this.ctx.jobs.cancel(this.currentJob.jobId)
      } catch {
        // already gone
      }
    }
    await this.polling
    await this.current
  }

  /** A path chokidar or the listing reported: tracked until complete, if the folder takes it. */
  private async offer(path: string): Promise<void> {
    if (this.controller.signal.aborted) return
    const full = resolve(path)
    if (dirname(full) !== this.folder || !takesName(basename(full), this.config.patterns)) return
    if (this.tracker.has(full) || this.queue.includes(full)) return
    // the first sample is taken now; the file is complete after the stable time at the earliest
    this.schedulePoll()
    await this.sample(full)
  }

  private schedulePoll(): void {
    if (this.timer || this.controller.signal.aborted) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.polling = this.poll().finally(() => {
        this.polling = null
        if (this.tracker.waiting().length > 0) this.schedulePoll()
      })
    }, this.pollMs)
  }

  private async poll(): Promise<void> {
    for (const path of this.tracker.waiting()) await this.sample(path)
  }

  private async sample(path: string): Promise<void> {
    if (this.controller.signal.aborted) return
    const state = this.tracker.observe(path, await sampleFile(path), performance.now())
    if (state === 'complete' && !this.controller.signal.aborted) {
      this.queue.push(path)
      this.pump()
    }
  }

  private pump(): void {
    if (this.current !== null || this.controller.signal.aborted) return
    const next = this.queue.shift()
    if (next === undefined) return
    this.handling = basename(next)
    this.current = this.handle(next).finally(() => {
      this.handling = null
      this.currentJob = null
      this.current = null
      this.pump()
    })
  }

  private async handle(path: string): Promise<void> {
    try {
      const result = await handleWatchedFile(this.ctx, path, {
        folder: this.folder,
        afterImport: this.config.afterImport,
        signal: this.controller.signal,
        onJob: (kind, jobId) => {
          this.currentJob = { kind, jobId }
        },
      })
      if (result) this.hooks.onResult?.(result)
    } catch (error) {
      // one file's trouble never stops the watcher
      console.warn(
        `The watched file ${basename(path)} could not be handled: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
}

/** Size, time and whether it opens for reading; null when the file is gone or is not a file. */
async function sampleFile(path: string): Promise<FileSample | null> {
  const info = await stat(path).catch(() => null)
  if (!info?.isFile()) return null
  let readable = true
  try {
    const handle = await open(path, 'r')
    await handle.close()
  } catch {
    readable = false
  }
  return { size: info.size, mtimeMs: info.mtimeMs, readable }
}
