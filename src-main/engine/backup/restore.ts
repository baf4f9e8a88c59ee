import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { copyFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { type RestoreResult, WorkbenchError } from '../../contract'
import { DATABASE_FILE, LATEST_SCHEMA_VERSION, databasePath } from '../db/connection'
import { APPLICATION_ID, examineDatabaseFile } from '../db/database-file'
import { type FileCheck, removeWithSidecars } from './backups'

/** How the holder of the database lets go of it and takes it up again around the file swap. */
export interface RestoreHooks {
  /** closes the connection to the database in use, if there is one */
  close(): void
  /** opens the data folder's database (migrating an older backup) and returns its schema version */
  open(): number
}

/**
 * Puts a backup in place of the data folder's database. The backup is copied into the folder and
 * that copy is verified (an SQLite file with our application_id, a schema this app can read,
 * quick_check ok) before anything else is touched, so a foreign or damaged file is refused with
 * the folder unchanged. The database in use is then renamed aside as
 * `workbench.sqlite.before-restore-<time>` (with its WAL), never deleted, and the copy renamed
 * into its place; if the restored file cannot be opened, the old one is moved back.
 */
export async function restoreDatabase(
  dataDir: string,
  source: string,
  check: FileCheck,
  hooks: RestoreHooks,
  now = new Date(),
): Promise<RestoreResult> {
  const from = resolve(source)
  const current = databasePath(dataDir)
  if (!existsSync(from) || !statSync(from).isFile())
    throw new WorkbenchError('file-not-readable', `There is no backup file ${from}.`, {
      path: from,
    })
  if (from === resolve(current))
    throw new WorkbenchError(
      'invalid-input',
      `${from} is the database in use; choose a backup file to restore from.`,
    )
  if (existsSync(`${from}-wal`) && statSync(`${from}-wal`).size > 0)
    throw new WorkbenchError(
      'invalid-input',
      `${basename(from)} has changes in a write-ahead log beside it (${basename(from)}-wal) that a copy of the file alone would lose. Restore a file from the backups folder, which are single files.`,
    )

  const staged = join(dataDir, `${DATABASE_FILE}.restoring`)
  removeWithSidecars(staged)
  try {
    await copyFile(from, staged)
    await verifyBackup(staged, from, check)
  } catch (error) {
    removeWithSidecars(staged)
    throw error
  }

  const keptAs = existsSync(current)
    ? `${current}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`
    : null
  try {
    hooks.close()
  } catch (error) {
    removeWithSidecars(staged)
    throw error
  }
  try {
    if (keptAs) {
      renameSync(current, keptAs)
      if (existsSync(`${current}-wal`)) renameSync(`${current}-wal`, `${keptAs}-wal`)
      // the shared-memory index is rebuilt from the WAL; a stale one must not meet the new file
      rmSync(`${current}-shm`, { force: true })
    }
    renameSync(staged, current)
  } catch (error) {
    removeWithSidecars(staged)
    putBack(current, keptAs)
    hooks.open()
    throw error
  }
  try {
    return { restoredFrom: from, keptAs, schemaVersion: hooks.open() }
  } catch (error) {
    removeWithSidecars(current)
    putBack(current, keptAs)
    hooks.open()
    throw error
  }
}

function putBack(current: string, keptAs: string | null): void {
  if (!keptAs || !existsSync(keptAs)) return
  renameSync(keptAs, current)
  if (existsSync(`${keptAs}-wal`)) renameSync(`${keptAs}-wal`, `${current}-wal`)
}

/** Refuses anything but a sound database of ours that this version can open. */
async function verifyBackup(staged: string, from: string, check: FileCheck): Promise<void> {
  const verdict = examineDatabaseFile(staged)
  const refuse = (why: string) =>
    new WorkbenchError(
      'not-our-database',
      `${basename(from)} is not an Assay Workbench backup: ${why}. Nothing was changed.`,
      { path: from },
    )
  if (verdict.kind === 'foreign') throw refuse(verdict.why)
  if (verdict.kind === 'new') throw refuse('it is empty')
  if (verdict.kind === 'ours' && !verdict.stamped)
    throw refuse(
      `it lacks the SQLite application id 0x${APPLICATION_ID.toString(16)} every backup carries`,
    )
  if (verdict.kind === 'ours' && verdict.userVersion > LATEST_SCHEMA_VERSION)
    throw new WorkbenchError(
      'database-too-new',
      `${basename(from)} was made by a newer Assay Workbench (database schema ${verdict.userVersion}; this app knows up to ${LATEST_SCHEMA_VERSION}). Update the app to restore it. Nothing was changed.`,
      { schemaVersion: verdict.userVersion, supported: LATEST_SCHEMA_VERSION },
    )
  const result =
    verdict.kind === 'damaged' ? { ok: false, problems: [verdict.detail] } : await check(staged)
  if (!result.ok)
    throw new WorkbenchError(
      'database-damaged',
      `The backup ${basename(from)} is damaged itself (SQLite reports: ${firstProblem(result.problems)}), so it was not restored and nothing was changed. Choose an older backup.`,
      { problems: result.problems },
    )
}

/**
 * The first thing SQLite found, on one line: quick_check can pack a header and dozens of page
 * notes into one row, which made the message a wall of lines. The whole list stays in the details.
 */
function firstProblem(problems: string[]): string {
  const lines = problems.flatMap((p) => p.split('\n')).map((l) => l.trim())
  return lines.find((l) => l !== '' && !/^\*\*\* in database/.test(l)) ?? 'unknown problem'
}
