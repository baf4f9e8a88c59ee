import { readFileSync, readdirSync, statSync } from 'node:fs'
import { rm, writeFile, mkdir } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { isRunning } from '../instance-lock'

/**
 * Folder in the data folder for imports under way: each one's staging database (the rows it has
 * read so far, in a SQLite file of its own) and its lease (which process it runs in, and which
 * copy in imports/ is its own).
 */
export const STAGING_DIR = 'staging'

/** Tables an import writes, staged first with the same definitions as in the main database. */
export const STAGED_TABLES = [
  'activity_contexts',
  'compounds',
  'activity_records',
  'import_rejections',
] as const

/** What an import under way holds in the data folder, and who runs it. */
export interface Lease {
  pid: number
  /** relative to the data folder */
  stagingFile: string
  /** relative to the data folder: the import's copy of its file in imports/ */
  storedFile: string
}

const LEASE_EXT = '.lease'
/** A lease still unreadable this long after it was written was cut short by a crash. */
const UNREADABLE_LEASE_MS = 60_000

/**
 * Claims a staging database and the copy `storedFile` for an import of this process, before
 * either exists: the start-up cleaner of any process (see removeOrphanedFiles) keeps what a live
 * lease names and removes the rest, so a copy is never taken from an import still running, and a
 * killed import's leftovers go at the next start instead of a day later. Returns the claim and
 * the function that gives it up.
 */
export async function takeLease(
  dataDir: string,
  storedFile: string,
): Promise<{ lease: Lease; release: () => Promise<void> }> {
  const id = randomUUID()
  const lease: Lease = {
    pid: process.pid,
    stagingFile: join(STAGING_DIR, `${id}.sqlite`),
    storedFile,
  }
  const path = join(dataDir, STAGING_DIR, `${id}${LEASE_EXT}`)
  await mkdir(join(dataDir, STAGING_DIR), { recursive: true })
  await writeFile(path, JSON.stringify(lease))
  return { lease, release: () => rm(path, { force: true }) }
}

/**
 * The files of the data folder (relative paths) that live leases claim, the leases included. A
 * lease whose process is gone claims nothing, not even itself.
 */
export function claimedFiles(dataDir: string, now = Date.now()): Set<string> {
  const claimed = new Set<string>()
  let names: string[]
  try {
    names = readdirSync(join(dataDir, STAGING_DIR))
  } catch {
    return claimed
  }
  for (const name of names) {
    if (!name.endsWith(LEASE_EXT)) continue
    const relative = join(STAGING_DIR, name)
    let lease: Partial<Lease> | null = null
    try {
      lease = JSON.parse(readFileSync(join(dataDir, relative), 'utf8')) as Partial<Lease>
    } catch (error) {
      // gone since the folder was listed: its import has ended
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      // A lease that cannot be read is being written just now (its import has only started and
      // has made no file yet), or was cut short by a crash a while ago.
      const written = statSync(join(dataDir, relative), { throwIfNoEntry: false })?.mtimeMs
      if (written !== undefined && now - written < UNREADABLE_LEASE_MS) claimed.add(relative)
      continue
    }
    if (typeof lease.pid === 'number' && isRunning(lease.pid)) {
      claimed.add(relative)
      if (typeof lease.stagingFile === 'string')
        for (const suffix of ['', '-journal', '-wal', '-shm'])
          claimed.add(lease.stagingFile + suffix)
      if (typeof lease.storedFile === 'string') claimed.add(lease.storedFile)
    }
  }
  return claimed
}

/**
 * The main database's own definitions of the tables an import writes, for its staging database:
 * the staged rows meet the same types and checks as they are written, and a migration that adds
 * a column changes the staging tables with it.
 */
export function stagingSchema(db: Database.Database): string[] {
  return STAGED_TABLES.map((table) => {
    const sql = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
      .pluck()
      .get(table) as string | undefined
    if (!sql) throw new Error(`The database has no ${table} table.`)
    return sql
  })
}
