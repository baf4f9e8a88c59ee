import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { type BackupInfo, WorkbenchError } from '../../contract'
import type { Db } from '../db/connection'
import { DAMAGE_ADVICE } from '../db/database-file'
import type { QuickCheckResult } from '../db/quick-check'

export const BACKUPS_DIR = 'backups'
/** Daily snapshots kept: a week of days on which the app ran. */
export const BACKUP_DAYS = 7

const BACKUP_NAME = /^workbench-(\d{4}-\d{2}-\d{2})\.sqlite$/

/** Checks a database file (SQLite's quick_check), on a worker thread in the engine. */
export type FileCheck = (path: string) => Promise<QuickCheckResult>

export function backupsDir(dataDir: string): string {
  return join(dataDir, BACKUPS_DIR)
}

/** The local calendar day, YYYY-MM-DD: the day a scientist would say the backup is from. */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

export function backupFileName(day: string): string {
  return `workbench-${day}.sqlite`
}

/** The snapshots in the backups folder, newest day first; other files there are not ours. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDir(dataDir)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const backups: BackupInfo[] = []
  for (const name of names) {
    const day = BACKUP_NAME.exec(name)?.[1]
    if (!day) continue
    const path = join(dir, name)
    try {
      const s = statSync(path)
      if (!s.isFile()) continue
      backups.push({ name, path, day, sizeBytes: s.size, createdAt: s.mtime.toISOString() })
    } catch {
      // removed while listing
    }
  }
  return backups.sort((a, b) => b.day.localeCompare(a.day))
}

/** Removes all but the `keep` newest daily snapshots; returns the names removed. */
export function pruneBackups(dataDir: string, keep = BACKUP_DAYS): string[] {
  const old = listBackups(dataDir).slice(keep)
  for (const b of old) rmSync(b.path, { force: true })
  return old.map((b) => b.name)
}

/**
 * Today's snapshot of the database through SQLite's online backup API: better-sqlite3 copies
 * pages in steps between which the event loop runs, so the engine keeps answering and writers
 * are not blocked. The copy is written under a temporary name, made a single self-contained file
 * (rollback journal instead of WAL), and checked with quick_check before it replaces the day's
 * earlier snapshot: a damaged database must never push a good backup out of the week.
 */
export async function backupDatabase(
  db: Db,
  dataDir: string,
  check: FileCheck,
  now = new Date(),
): Promise<BackupInfo> {
  const dir = backupsDir(dataDir)
  mkdirSync(dir, { recursive: true })
  const day = localDay(now)
  const name = backupFileName(day)
  const partial = join(dir, `.${name}.partial`)
  removeWithSidecars(partial)
  try {
    await db.backup(partial)
    const copy = new Database(partial)
    try {
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    const verdict = await check(partial)
    if (!verdict.ok)
      throw new WorkbenchError(
        'database-damaged',
        `The database could not be backed up because it is damaged (SQLite reports: ${verdict.problems[0] ?? 'unknown problem'}). The earlier backups were kept. ${DAMAGE_ADVICE}`,
        { problems: verdict.problems },
      )
    renameSync(partial, join(dir, name))
  } finally {
    removeWithSidecars(partial)
  }
  pruneBackups(dataDir)
  const made = listBackups(dataDir).find((b) => b.name === name)
  if (!made)
    throw new WorkbenchError('internal', `The backup ${name} disappeared after it was made.`)
  return made
}

/** Removes a database file with its WAL, shared-memory and rollback-journal files. */
export function removeWithSidecars(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true })
}
