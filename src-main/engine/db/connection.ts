import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { WorkbenchError } from '../../contract'
import { APPLICATION_ID, damaged, inspectDatabaseFile, isDamage } from './database-file'
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
 * Brings the database up to the latest schema, one migration per `BEGIN IMMEDIATE` transaction,
 * so a failure leaves it at the last complete version. The version is read again once the write
 * lock is held: two processes opening a new folder at once both saw version 0 before, and the
 * second failed with "table settings already exists" re-running migration 001. The same
 * transaction stamps our application_id, which adopts a database made before the stamp existed.
 * Refuses a database written by a newer app: its data would be misread by this one.
 */
export function migrate(db: Db, available: readonly string[] = migrations): number {
  // Nothing to do is the usual case: decided from a plain read, so opening an up-to-date folder
  // never waits for another process's write lock.
  if (isCurrent(db, available)) return schemaVersion(db)
  const step = db.transaction((): boolean => {
    const current = schemaVersion(db)
    refuseUnknownVersion(current, available)
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID)
      db.pragma(`application_id = ${APPLICATION_ID}`)
    if (current === available.length) return false
    db.exec(available[current] as string)
    db.pragma(`user_version = ${current + 1}`)
    return true
  })
  while (step.immediate()) {
    // one migration per transaction
  }
  return schemaVersion(db)
}

function isCurrent(db: Db, available: readonly string[]): boolean {
  const current = schemaVersion(db)
  refuseUnknownVersion(current, available)
  return (
    current === available.length && db.pragma('application_id', { simple: true }) === APPLICATION_ID
  )
}

function refuseUnknownVersion(current: number, available: readonly string[]): void {
  if (current < 0)
    throw new WorkbenchError(
      'not-our-database',
      `The database in this data folder has schema version ${current}; Assay Workbench only ever writes 0 or more, so another program made or changed it. Move it out of the folder (or choose another data folder) and start again.`,
      { schemaVersion: current },
    )
  if (current > available.length) {
    throw new WorkbenchError(
      'database-too-new',
      `This data folder was last used by a newer Assay Workbench (database schema ${current}; this app knows up to ${available.length}). Update the app, or choose another data folder.`,
      { schemaVersion: current, supported: available.length },
    )
  }
}

/** How long opening waits for another process's migration or write; the engine then uses less. */
export const OPEN_BUSY_TIMEOUT_MS = 30_000

/**
 * How long a statement on the engine's connection may wait for another writer inside SQLite.
 * better-sqlite3 waits by sleeping the calling thread, and the engine's thread answers every call:
 * with the 5 s it had, one import committing froze app.status, and a prediction or setting failed
 * with "database is locked". Writes go through writeTransaction, which waits on timers instead.
 */
export const ENGINE_BUSY_TIMEOUT_MS = 2

/**
 * Opens (creating if needed) the data folder's database: WAL, foreign keys on, migrated. The file
 * is inspected read-only first, so another program's database is refused before anything is
 * written to it. The migrations may wait for another process's writer (they run before the engine
 * answers anything); afterwards the connection hardly waits at all (ENGINE_BUSY_TIMEOUT_MS).
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true })
  const path = databasePath(dataDir)
  inspectDatabaseFile(path)
  const db = new Database(path)
  try {
    // Set before the WAL switch and the migrations, which wait here for a second process that
    // opens the same new folder at the same moment instead of failing with "database is locked".
    db.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
    migrate(db)
    db.pragma(`busy_timeout = ${ENGINE_BUSY_TIMEOUT_MS}`)
  } catch (error) {
    db.close()
    throw isDamage(error) ? damaged((error as Error).message) : error
  }
  return db
}

/**
 * Runs the reads an engine makes as it starts (left-over files, compounds still to standardise)
 * with opening's patience, then gives the connection the engine's short timeout again. Another
 * process that closes the same folder at that moment holds the file's lock for its last
 * checkpoint; with the engine's 2 ms a second CLI process opening a new folder beside another
 * failed its start with "database is locked".
 */
export function withOpeningPatience<T>(db: Db, work: () => T): T {
  db.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`)
  try {
    return work()
  } finally {
    db.pragma(`busy_timeout = ${ENGINE_BUSY_TIMEOUT_MS}`)
  }
}

export { APPLICATION_ID, LATEST_SCHEMA_VERSION }
