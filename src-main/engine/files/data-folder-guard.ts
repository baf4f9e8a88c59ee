import type { BigIntStats } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { basename, dirname, join, relative, sep } from 'node:path'
import { WorkbenchError } from '../../contract'
import { databasePath } from '../db/connection'
import { notReadable } from '../import/read-table'
import { UPLOADS_DIR } from '../import/stored-file'

/** The database and the files SQLite keeps beside it. */
const DATABASE_FILES = ['', '-wal', '-shm', '-journal']

/** A file as found on disk: its path without links, and its identity (device and inode). */
export interface FoundFile {
  realPath: string
  stats: BigIntStats
}

/** Where a file is, and whether it may be read. */
export type Placement = 'outside' | 'upload'

/**
 * Finds `path` on disk and refuses it when it is the workbench's database (or its -wal, -shm or
 * -journal), by any name, or lies anywhere in the data folder other than its uploads folder.
 *
 * Why: SQLite holds POSIX advisory locks on the database, and POSIX drops all of a process's locks
 * on a file when the process closes any descriptor of it. Reading the database as a "CSV" (a user
 * drops it, a page names it) opened and closed it in the engine's process: a second reader then
 * saw no locks, checkpointed and deleted the WAL while the engine was writing, and the database
 * was "malformed" for good. Paths are compared without links (realpath) and files by device and
 * inode, so a symbolic or hard link to the database, or another name for the data folder, is
 * refused too. The comparison is made each time a file is used, not only when it was chosen.
 */
export async function findReadableFile(
  dataDir: string,
  path: string,
  name: string,
): Promise<FoundFile & { placement: Placement }> {
  const found = await findFile(path)
  if (await isDatabaseFile(dataDir, found.stats)) throw databaseRefused(name)
  const inside = await folderContaining(dataDir, found.realPath)
  if (inside === null) return { ...found, placement: 'outside' }
  if (inside === UPLOADS_DIR) return { ...found, placement: 'upload' }
  throw dataFolderRefused(name, dataDir)
}

/**
 * Refuses to write `path` when it is the database or its side files (by any name) or lies in the
 * data folder: the CLI writes files its user names (`--out`), in the engine's process.
 */
export async function assertWritableOutside(dataDir: string, path: string): Promise<void> {
  const name = basename(path)
  const existing = await stat(path, { bigint: true }).catch(() => null)
  if (existing && (await isDatabaseFile(dataDir, existing)))
    throw databaseRefused(name, 'Write to a file outside the data folder.')
  // A file that does not exist yet is placed by its folder.
  const real =
    (await realpath(path).catch(() => null)) ??
    (await realpath(dirname(path)).then(
      (folder) => join(folder, name),
      () => null,
    ))
  if (real !== null && (await folderContaining(dataDir, real)) !== null)
    throw dataFolderRefused(name, dataDir)
}

async function findFile(path: string): Promise<FoundFile> {
  try {
    const realPath = await realpath(path)
    const stats = await stat(realPath, { bigint: true })
    if (!stats.isFile())
      throw Object.assign(new Error('not a file'), {
        code: stats.isDirectory() ? 'EISDIR' : 'ENOTREG',
      })
    return { realPath, stats }
  } catch (error) {
    throw notReadable(path, error)
  }
}

async function isDatabaseFile(dataDir: string, file: BigIntStats): Promise<boolean> {
  const db = databasePath(dataDir)
  for (const suffix of DATABASE_FILES) {
    const other = await stat(db + suffix, { bigint: true }).catch(() => null)
    if (other && sameFile(other, file)) return true
  }
  return false
}

/**
 * Null when `realPath` is outside the data folder; otherwise the name of the data folder's entry it
 * lies in ('' for a file directly in the folder). Each parent folder is compared with the data
 * folder by device and inode as well as by path, so a bind mount or a differently-cased name of
 * the folder (case-insensitive file systems) is recognised.
 */
async function folderContaining(dataDir: string, realPath: string): Promise<string | null> {
  const data = await stat(dataDir, { bigint: true }).catch(() => null)
  const dataReal = await realpath(dataDir).catch(() => null)
  if (data === null || dataReal === null) return null
  if (realPath.startsWith(dataReal + sep)) return firstPart(dataReal, realPath)
  let child = realPath
  for (let folder = dirname(realPath); folder !== child; child = folder, folder = dirname(folder)) {
    const info = await stat(folder, { bigint: true }).catch(() => null)
    if (info && sameFile(info, data)) return firstPart(folder, realPath)
  }
  return null
}

function firstPart(folder: string, path: string): string {
  const parts = relative(folder, path).split(sep)
  return parts.length > 1 ? (parts[0] as string) : ''
}

/** Same device and inode; an inode number of 0 (file systems without them) identifies nothing. */
function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.ino !== 0n && a.dev === b.dev && a.ino === b.ino
}

function databaseRefused(
  name: string,
  advice = 'Choose an exported CSV or TSV file instead.',
): WorkbenchError {
  return new WorkbenchError(
    'file-not-allowed',
    `"${name}" is the workbench's own database (or a link to it). The workbench never opens it as an ordinary file: doing so beside the running workbench can damage it. ${advice}`,
    { reason: 'database' },
  )
}

export function dataFolderRefused(name: string, dataDir: string): WorkbenchError {
  return new WorkbenchError(
    'file-not-allowed',
    `"${name}" is inside the workbench's data folder (${dataDir}), which only the workbench itself uses. Copy the file to another folder, such as Documents, and choose the copy.`,
    { reason: 'data-folder' },
  )
}
