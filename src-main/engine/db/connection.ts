import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { WorkbenchError } from '../../contract'
import { LATEST_SCHEMA_VERSION, migrations } from './migrations'

export type Db = Database.Database

export const DATABASE_FILE = 'workbench.sqlite'

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE)
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Brings the database up to the latest schema, one migration per transaction, so a failure leaves
 * it at the last complete version. Refuses a database written by a newer app: its data would be
 * misread by this one.
 */
export function migrate(db: Db, available: readonly string[] = migrations): number {
  const current = schemaVersion(db)
  if (current > available.length) {
    throw new WorkbenchError(
      'database-too-new',
      `This data folder was last used by a newer Assay Workbench (database schema ${current}; this app knows up to ${available.length}). Update the app, or choose another data folder.`,
      { schemaVersion: current, supported: available.length },
    )
  }
  for (let version = current + 1; version <= available.length; version++) {
    const sql = available[version - 1] as string
    db.transaction(() => {
      db.exec(sql)
      db.pragma(`user_version = ${version}`)
    })()
  }
  return schemaVersion(db)
}

/**
 * How long a statement on the engine's connection may wait for another writer inside SQLite.
 * better-sqlite3 waits by sleeping the calling thread, and the engine's thread answers every call:
 * with the 5 s it had, one import committing froze app.status, and a prediction or setting failed
 * with "database is locked". Writes go through writeTransaction, which waits on timers instead.
 */
export const ENGINE_BUSY_TIMEOUT_MS = 2

/**
 * Opens (creating if needed) the data folder's database: WAL, foreign keys on, migrated. The
 * migrations may wait for another process's writer (they run before the engine answers
 * anything); afterwards the connection hardly waits at all (ENGINE_BUSY_TIMEOUT_MS).
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(databasePath(dataDir))
  try {
    db.pragma('busy_timeout = 5000')
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
    migrate(db)
    db.pragma(`busy_timeout = ${ENGINE_BUSY_TIMEOUT_MS}`)
  } catch (error) {
    db.close()
    throw error
  }
  return db
}

export { LATEST_SCHEMA_VERSION }
