import { resolve } from 'node:path'
import type { WatchFileResult } from '../contract'
import { folderProblem } from '../engine/automation/watch/folder-check'
import { FolderWatcher } from '../engine/automation/watch/folder-watcher'
import { watcherConfig } from '../engine/automation/watch/watch-service'
import { readSettings } from '../engine/db/settings-queries'
import { type Command, UsageError } from './cli-common'

export const WATCH_HELP = `  assay watch FOLDER [--once] [--move | --leave] [--json] [--data-dir D]
                                             import each new export that lands in FOLDER once it is
                                             complete, check it for drift and run the retraining
                                             policies; one line per file (--json: one object per
                                             line); --once takes what is there now and exits (1 when
                                             a file was rejected), else it runs until Ctrl+C
`

/** How long `--once` waits for files still being written before it leaves them for the next run. */
const ONCE_BOUND_SECONDS = 60

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

const n = (x: number | null) => (x === null ? '-' : x.toLocaleString('en'))

/** The readable line of a handled file. */
export function formatWatchResult(r: WatchFileResult): string {
  const moved = r.movedTo ? `; moved to ${r.movedTo}` : ''
  if (r.outcome === 'rejected')
    return `${r.file}: rejected, ${r.reason ?? 'unknown reason'}${moved}\n`
  if (r.outcome === 'duplicate')
    return `${r.file}: skipped, the same file (same SHA-256) was imported before as import #${r.previousImportId}${moved}\n`
  const parts = [
    `${r.file}: imported as import #${r.importId}, ${n(r.rowsAccepted)} of ${n(r.rowsTotal)} rows accepted, ${n(r.rowsRejected)} rejected`,
    ...r.checks.map((c) =>
      c.error !== null
        ? `drift check against ${c.modelVersion} could not run: ${c.error}`
        : `drift check #${c.driftRunId} against ${c.modelVersion}: ${c.datasetDrift ? 'DATASET DRIFT' : 'no dataset drift'}${c.degraded ? ', performance degraded' : ''}`,
    ),
    ...r.retrains.map((o) => `retraining ${o.target}: ${o.decision}, ${o.explanation}`),
  ]
  return `${parts.join('; ')}${moved}\n`
}

/**
 * `assay watch FOLDER`: the watched folder of a headless lab PC, with the same code the desktop
 * app runs (the stored `watch.*` settings for patterns, stable time and what to do after import;
 * `--move`/`--leave` override the last for this run). It does not change the desktop app's own
 * watched-folder settings.
 */
export const WATCH_COMMANDS: Record<string, Command> = {
  watch: {
    options: { once: { type: 'boolean' }, move: { type: 'boolean' }, leave: { type: 'boolean' } },
    positionals: true,
    async run(engine, values, positionals, io) {
      if (positionals.length !== 1) throw new UsageError('watch takes one FOLDER')
      if (values.move && values.leave)
        throw new UsageError('watch takes --move or --leave, not both')
      const folder = resolve(positionals[0] as string)
      const problem = await folderProblem(folder, engine.context.options.dataDir)
      if (problem !== null) throw new Error(problem)
      const settings = readSettings(engine.context.db)
      const config = watcherConfig(settings, folder)
      if (values.move) config.afterImport = 'move'
      if (values.leave) config.afterImport = 'leave'
      let rejected = 0
      const watcher = new FolderWatcher(engine.context, config, {
        onResult: (r) => {
          if (r.outcome === 'rejected') rejected++
          io.countRows?.(r.rowsAccepted ?? 0)
          io.stdout(values.json ? `${JSON.stringify(r)}\n` : formatWatchResult(r))
        },
        onFolderError: (error) => io.stderr(`assay: watch: ${folder}: ${error.message}\n`),
      })
      try {
        if (values.once) {
          await watcher.scanOnce()
          const left = await watcher.drain(
            Math.max(ONCE_BOUND_SECONDS, 10 * config.stableSeconds) * 1000,
          )
          for (const name of left)
            io.stderr(`assay: watch: ${name} is still being written; it was not taken this time\n`)
          return rejected > 0 ? 1 : 0
        }
        await watcher.start()
        io.stderr(
          `Watching ${folder} (${config.patterns.join(', ')}; files are ${config.afterImport === 'move' ? 'moved to imported/ or rejected/' : 'left in place'} once handled). Press Ctrl+C to stop.\n`,
        )
        await (io.untilStopped ?? untilSignal)()
        return 0
      } finally {
        await watcher.stop()
      }
    },
  },
}
