import type { SettingKey, Settings, WatchStatus } from '../../../contract'
import type { EngineContext } from '../../context'
import { watchFilesCount } from '../../db/automation-queries'
import { readSettings } from '../../db/settings-queries'
import type { Service } from '../../services'
import { recordActivity } from '../activity'
import { folderProblem } from './folder-check'
import { FolderWatcher, type WatcherConfig } from './folder-watcher'

export const WATCH_SETTINGS: readonly SettingKey[] = [
  'watch.enabled',
  'watch.folder',
  'watch.patterns',
  'watch.afterImport',
  'watch.stableSeconds',
]

/** The watcher's settings as stored. */
export function watcherConfig(settings: Settings, folder: string): WatcherConfig {
  return {
    folder,
    patterns: settings['watch.patterns'],
    afterImport: settings['watch.afterImport'],
    stableSeconds: settings['watch.stableSeconds'],
  }
}

/**
 * The watched folder as a long-lived part of the engine: it watches while `watch.enabled` is on
 * and a folder is set, in the desktop app and the web host (a CLI engine never does: `assay
 * watch` drives a FolderWatcher itself), and follows changes of the `watch.*` settings. A folder
 * that cannot be watched leaves it off with the reason in `status().error`, recorded once on the
 * timeline; the engine starts anyway.
 */
export class FolderWatch {
  private ctx: EngineContext | null = null
  private watcher: FolderWatcher | null = null
  private error: string | null = null
  private recordedError: string | null = null
  private stopped = false
  /** settings changes are applied one after the other */
  private applying: Promise<void> = Promise.resolve()

  status(ctx: EngineContext): WatchStatus {
    const s = readSettings(ctx.db)
    const folder = s['watch.folder']
    const counts = folder
      ? watchFilesCount(ctx.db, this.watcher?.folder ?? folder)
      : { handled: 0, lastHandledAt: null }
    return {
      enabled: s['watch.enabled'],
      folder,
      watching: this.watcher !== null,
      patterns: s['watch.patterns'],
      afterImport: s['watch.afterImport'],
      stableSeconds: s['watch.stableSeconds'],
      waiting: this.watcher?.waiting() ?? [],
      handling: this.watcher?.handling ?? null,
      handled: counts.handled,
      lastHandledAt: counts.lastHandledAt,
      error: s['watch.enabled'] ? this.error : null,
    }
  }

  start(ctx: EngineContext): Promise<void> {
    this.ctx = ctx
    if (ctx.options.host === 'cli') return Promise.resolve()
    return this.apply(readSettings(ctx.db))
  }

  /** Restarts the watcher as the settings now say. */
  apply(settings: Settings): Promise<void> {
    this.applying = this.applying
      .then(() => this.applyNow(settings))
      .catch((error: unknown) => {
        console.warn(`The watched folder could not be set up: ${(error as Error).message}`)
      })
    return this.applying
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.applying
    await this.close('the workbench closed')
  }

  private async applyNow(settings: Settings): Promise<void> {
    const ctx = this.ctx
    if (!ctx || this.stopped || ctx.options.host === 'cli') return
    const folder = settings['watch.folder']
    await this.close(settings['watch.enabled'] ? 'its settings changed' : 'it was switched off')
    if (!settings['watch.enabled']) {
      this.error = null
      this.recordedError = null
      return
    }
    const problem =
      folder === null
        ? 'No folder is chosen. Choose the folder your exports are saved in.'
        : await folderProblem(folder, ctx.options.dataDir)
    if (problem !== null || folder === null) {
      await this.fail(ctx, problem ?? 'No folder is chosen.')
      return
    }
    const watcher = new FolderWatcher(ctx, watcherConfig(settings, folder), {
      onFolderError: (error) => {
        void this.lost(
          ctx,
          watcher,
          `The folder ${folder} can no longer be watched: ${error.message}.`,
        )
      },
    })
    await watcher.start()
    this.watcher = watcher
    this.error = null
    this.recordedError = null
    await recordActivity(ctx, {
      kind: 'watch-started',
      summary: `Watching ${folder} for new exports (${settings['watch.patterns'].join(', ')}); handled files are ${settings['watch.afterImport'] === 'move' ? 'moved to imported/ or rejected/ beside them' : 'left where they are'}.`,
      details: {
        folder,
        patterns: settings['watch.patterns'],
        afterImport: settings['watch.afterImport'],
        stableSeconds: settings['watch.stableSeconds'],
      },
    })
  }

  /** The watched folder went away: the watcher stops and the status says why. */
  private async lost(ctx: EngineContext, watcher: FolderWatcher, problem: string): Promise<void> {
    await this.applying
    if (this.watcher !== watcher || this.stopped) return
    this.watcher = null
    this.error = problem
    await watcher.stop()
    await this.fail(ctx, problem)
  }

  /** Says why the folder is not watched; on the timeline only once for the same reason. */
  private async fail(ctx: EngineContext, problem: string): Promise<void> {
    this.error = problem
    if (this.recordedError === problem) return
    this.recordedError = problem
    await recordActivity(ctx, {
      kind: 'watch-error',
      level: 'warning',
      summary: problem,
      details: { folder: readSettings(ctx.db)['watch.folder'] },
    })
  }

  private async close(why: string): Promise<void> {
    const watcher = this.watcher
    if (!watcher) return
    this.watcher = null
    await watcher.stop()
    if (this.ctx)
      await recordActivity(this.ctx, {
        kind: 'watch-stopped',
        summary: `Stopped watching ${watcher.folder}: ${why}.`,
        details: { folder: watcher.folder },
      })
  }
}

export function watchService(watch: FolderWatch): Service<EngineContext> {
  return {
    name: 'watched folder',
    settings: WATCH_SETTINGS,
    start: (ctx) => watch.start(ctx),
    stop: () => watch.stop(),
    onSettingsChanged: (_keys, settings) => watch.apply(settings),
  }
}
