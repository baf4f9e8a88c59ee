import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import Database from 'better-sqlite3'
import { WorkbenchError } from '../../contract'

/**
 * `PRAGMA application_id` of every Assay Workbench database: the ASCII of "AsWb". SQLite keeps it
 * at byte 68 of the file header, so a file can be recognised before anything is written to it.
 */
export const APPLICATION_ID = 0x41735762

/** Tables every schema since migration 001 has: how a database made before the stamp is known. */
const OUR_TABLES = ['settings', 'imports', 'compounds', 'model_versions', 'audit_log']

const SQLITE_MAGIC = 'SQLite format 3\u0000'

export type DatabaseFileVerdict =
  /** no file, a 0-byte file, or an SQLite file with nothing in it: ours to create */
  | { kind: 'new' }
  /** ours; `stamped` false for a database made before application_id was set */
  | { kind: 'ours'; stamped: boolean; userVersion: number }
  /** another program's file; `why` completes "it is not an Assay Workbench database: ..." */
  | { kind: 'foreign'; why: string }
  /** SQLite cannot read it as a database */
  | { kind: 'damaged'; detail: string }

/**
 * Decides, without writing a byte, what the file at `path` is. The header is read directly first;
 * only an SQLite file without our stamp is opened, read-only, to look at its tables. Opening a
 * stranger read-write would already change it (the WAL switch rewrites its header).
 */
export function examineDatabaseFile(path: string): DatabaseFileVerdict {
  const header = readHeader(path)
  if (header === null) return { kind: 'new' }
  if (header.length < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC)
    return { kind: 'foreign', why: 'it is not an SQLite database at all' }
  const applicationId = header.readInt32BE(68)
  const userVersion = header.readInt32BE(60)
  if (applicationId !== 0 && applicationId !== APPLICATION_ID)
    return { kind: 'foreign', why: foreignId(applicationId) }
  if (userVersion < 0) return { kind: 'foreign', why: negativeVersion(userVersion) }
  if (applicationId === APPLICATION_ID) return { kind: 'ours', stamped: true, userVersion }
  return examineUnstamped(path)
}

/**
 * The data folder's database must be new or ours: any other program's file, a text file or a
 * database with a negative schema version is refused with `not-our-database` and left untouched,
 * an unreadable one with `database-damaged`.
 */
export function inspectDatabaseFile(path: string): { kind: 'new' } | { kind: 'ours' } {
  const verdict = examineDatabaseFile(path)
  if (verdict.kind === 'foreign') throw notOurs(path, verdict.why)
  if (verdict.kind === 'damaged') throw damaged(verdict.detail)
  return verdict
}

/** The first 100 bytes (SQLite's header), or null when there is no file or it is empty. */
function readHeader(path: string): Buffer | null {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new WorkbenchError(
      'file-not-readable',
      `The database ${path} cannot be read (${(error as Error).message}). Check the data folder's permissions.`,
    )
  }
  try {
    const buffer = Buffer.alloc(100)
    const read = readSync(fd, buffer, 0, 100, 0)
    return read === 0 ? null : buffer.subarray(0, read)
  } finally {
    closeSync(fd)
  }
}

/**
 * An SQLite file without our stamp: ours from before the stamp existed (it has our tables), an
 * empty one (another process of ours has just created it and not yet migrated), or someone else's.
 */
function examineUnstamped(path: string): DatabaseFileVerdict {
  // A read-only connection to a WAL-mode file creates its -wal and -shm files when they are
  // missing; those are removed again when the file turns out not to be ours, so the folder is
  // left exactly as it was found.
  const sidecars = [`${path}-wal`, `${path}-shm`].filter((p) => !existsSync(p))
  let verdict: DatabaseFileVerdict
  let db: Database.Database | null = null
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
    db.pragma('busy_timeout = 5000')
    const applicationId = db.pragma('application_id', { simple: true }) as number
    const userVersion = db.pragma('user_version', { simple: true }) as number
    const names = db
      .prepare("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[]
    if (applicationId !== 0 && applicationId !== APPLICATION_ID)
      verdict = { kind: 'foreign', why: foreignId(applicationId) }
    else if (userVersion < 0) verdict = { kind: 'foreign', why: negativeVersion(userVersion) }
    else if (applicationId === APPLICATION_ID)
      verdict = { kind: 'ours', stamped: true, userVersion }
    else if (names.length === 0 && userVersion === 0) verdict = { kind: 'new' }
    else if (OUR_TABLES.every((t) => names.includes(t)))
      verdict = { kind: 'ours', stamped: false, userVersion }
    else
      verdict = {
        kind: 'foreign',
        why:
          names.length > 0
            ? `it is an SQLite database of another program (its tables: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', ...' : ''})`
            : `it is an SQLite database of another program (schema version ${userVersion}, no tables of ours)`,
      }
  } catch (error) {
    if (!isDamage(error))
      throw new WorkbenchError(
        'file-not-readable',
        `The database ${path} cannot be read: ${(error as Error).message}.`,
      )
    verdict =
      (error as { code: string }).code === 'SQLITE_NOTADB'
        ? { kind: 'foreign', why: 'it is not an SQLite database at all' }
        : { kind: 'damaged', detail: (error as Error).message }
  } finally {
    db?.close()
  }
  if (verdict.kind !== 'ours' && verdict.kind !== 'new') {
    for (const sidecar of sidecars) {
      if (existsSync(sidecar) && (sidecar.endsWith('-shm') || statSync(sidecar).size === 0))
        rmSync(sidecar, { force: true })
    }
  }
  return verdict
}

/** SQLite's codes for a file that is not a database or whose pages do not make sense. */
export function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
}

/** What to do about a damaged database, in the words the app uses everywhere. */
export const DAMAGE_ADVICE =
  'Restore the most recent backup: in the app, Settings > Database > Restore; from a command line, assay restore FILE with a file from the backups folder inside the data folder. The damaged file is kept beside the restored one, not deleted. Until then, avoid importing or training, which could lose more data.'

export function damaged(detail: string): WorkbenchError {
  return new WorkbenchError(
    'database-damaged',
    `The database in this data folder is damaged (SQLite reports: ${detail}). ${DAMAGE_ADVICE}`,
    { problems: [detail] },
  )
}

function notOurs(path: string, why: string): WorkbenchError {
  return new WorkbenchError(
    'not-our-database',
    `${basename(path)} in the data folder is not an Assay Workbench database: ${why}. It was left untouched. Move it out of the folder (or choose another data folder) and start again.`,
    { path },
  )
}

function foreignId(applicationId: number): string {
  return `it belongs to another program (SQLite application id 0x${(applicationId >>> 0).toString(16).padStart(8, '0')})`
}

function negativeVersion(userVersion: number): string {
  return `its schema version is ${userVersion}, and Assay Workbench only ever writes 0 or more, so another program made or changed it`
}
