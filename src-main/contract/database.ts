import { z } from 'zod'

/** The result of SQLite's `PRAGMA quick_check` on the data folder's database. */
export interface DatabaseCheck {
  ok: boolean
  /** what SQLite reported, at most 20 lines; empty when ok */
  problems: string[]
  checkedAt: string
  seconds: number
  /** what to do when the check failed, in plain words; null when ok */
  advice: string | null
}

export interface DatabaseStatus {
  /** the last check since the engine started (the background one, or one asked for) */
  lastCheck: DatabaseCheck | null
  /** a check or backup is running now */
  busy: boolean
  /** the folder holding the daily snapshots */
  backupsDir: string
  backups: BackupInfo[]
  /** why the last backup failed, until one succeeds */
  backupError: string | null
}

/** One daily snapshot in the data folder's `backups/` folder. */
export interface BackupInfo {
  /** file name, like workbench-2026-01-31.sqlite */
  name: string
  path: string
  /** the day it was taken (YYYY-MM-DD, local time) */
  day: string
  sizeBytes: number
  /** when the file was last written */
  createdAt: string
}

export interface RestoreResult {
  restoredFrom: string
  /** where the database that was in use was kept (null when there was none) */
  keptAs: string | null
  schemaVersion: number
}

/** A backup is named by its file name from `backups.list`, never by a path. */
export const backupsRestoreInput = z
  .object({
    name: z
      .string()
      .regex(
        /^workbench-\d{4}-\d{2}-\d{2}\.sqlite$/,
        'a backup name like workbench-2026-01-31.sqlite',
      ),
  })
  .strict()
