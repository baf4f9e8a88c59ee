import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { WorkbenchError } from '../contract'
import { backupsDir } from '../engine/backup/backups'
import { restoreDatabase } from '../engine/backup/restore'
import { openDatabase, schemaVersion } from '../engine/db/connection'
import { quickCheck } from '../engine/db/quick-check'
import { acquireInstanceLock } from '../engine/instance-lock'
import { type Command, type StandaloneCommand, UsageError, expectOk } from './cli-common'

export const DATABASE_HELP = `  assay check [--json] [--data-dir D]        check the database for damage (SQLite quick_check)
  assay backup [--json] [--data-dir D]       snapshot the database into the data folder's backups/
                                             (one a day, the newest 7 kept)
  assay restore FILE [--json] [--data-dir D] replace the database with a backup after checking it;
                                             the database in use is kept beside it
`

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

export const DATABASE_COMMANDS: Record<string, Command> = {
  check: {
    options: {},
    async run(engine, values, _p, io) {
      const check = await expectOk(engine.invoke('database.check', {}))
      if (values.json) io.stdout(`${JSON.stringify(check, null, 2)}\n`)
      else if (check.ok)
        io.stdout(`The database is sound (quick_check ok, ${check.seconds.toFixed(1)} s).\n`)
      else
        io.stdout(
          `The database is damaged. SQLite reports:\n${check.problems.map((p) => `  ${p}`).join('\n')}\n${check.advice ?? ''}\n`,
        )
      return check.ok ? 0 : 1
    },
  },

  backup: {
    options: {},
    async run(engine, values, _p, io) {
      const made = await expectOk(engine.invoke('backups.create', {}))
      io.stdout(
        values.json
          ? `${JSON.stringify(made)}\n`
          : `Backed up the database to ${made.path} (${mb(made.sizeBytes)}).\n`,
      )
      return 0
    },
  },
}

/** Commands that work on the data folder's files without an engine. */
export const STANDALONE_COMMANDS: Record<string, StandaloneCommand> = {
  restore: {
    options: {},
    positionals: true,
    standalone: true,
    async run(dataDir, values, positionals, io) {
      const [file, ...extra] = positionals
      if (!file || extra.length > 0)
        throw new UsageError('restore takes one FILE, like backups/workbench-2026-01-31.sqlite')
      // A bare backup name is looked up in the folder's backups/ when it is not a file here.
      const source =
        existsSync(file) || file.includes('/') || file.includes('\\')
          ? resolve(file)
          : join(backupsDir(dataDir), file)
      mkdirSync(dataDir, { recursive: true })
      // The desktop app or a web host holding the folder would keep writing to the file that is
      // renamed aside; the instance lock says whether one runs.
      let release: () => void
      try {
        release = acquireInstanceLock(dataDir)
      } catch (error) {
        if (error instanceof WorkbenchError && error.code === 'already-running')
          throw new WorkbenchError(
            'already-running',
            `Assay Workbench is running with this data folder (process ${String((error.details as { pid?: number } | undefined)?.pid ?? '?')}). Close it before restoring, or restore from its Settings screen. Nothing was changed.`,
          )
        throw error
      }
      try {
        const result = await restoreDatabase(
          dataDir,
          source,
          (path) => Promise.resolve(quickCheck(path)),
          {
            close: () => undefined,
            open: () => {
              const db = openDatabase(dataDir)
              try {
                return schemaVersion(db)
              } finally {
                db.close()
              }
            },
          },
        )
        io.stdout(
          values.json
            ? `${JSON.stringify(result)}\n`
            : `Restored the database from ${result.restoredFrom}.\n${result.keptAs ? `The database that was in use is kept as ${result.keptAs}.\n` : ''}`,
        )
        return 0
      } finally {
        release()
      }
    },
  },
}
