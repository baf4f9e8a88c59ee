import { readdirSync, rmSync, statSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { extname, join } from 'node:path'
import type { Db } from '../db/connection'
import { STAGING_DIR, claimedFiles } from './staging'

/** Folder in the data folder that holds a copy of every imported file. */
export const STORED_FILES_DIR = 'imports'
/** Folder in the data folder where the web host saves uploads. */
export const UPLOADS_DIR = 'uploads'

/** A new, unique place in the data folder for the copy of a file being imported. */
export function storedFileName(fileName: string): string {
  const ext = extname(fileName)
    .replace(/[^.\w]/g, '')
    .slice(0, 10)
  return join(STORED_FILES_DIR, `${randomUUID()}${ext}`)
}

/** Where an import's copy of its file is, or null when it has none. */
export function storedFilePath(db: Db, dataDir: string, importId: number): string | null {
  const row = db.prepare('SELECT stored_file FROM imports WHERE id = ?').get(importId) as
    { stored_file: string | null } | undefined
  return row?.stored_file ? join(dataDir, row.stored_file) : null
}

const DAY_MS = 24 * 3600 * 1000

/**
 * Removes what imports that never committed left in the data folder (a process killed or crashed
 * mid-import): copies in imports/ that no committed import points at and no import under way
 * claims, and the staging databases and leases of imports whose process is gone. At once, at
 * start: an import running in another process (the CLI beside the app) claims its files with a
 * lease (see takeLease), so it keeps them.
 */
export function removeOrphanedFiles(db: Db, dataDir: string, now = Date.now()): number {
  // The order of the three reads is what makes this safe against an import committing meanwhile:
  // a copy is made only after its lease is written, and the lease is removed only after the import
  // committed. So a copy listed here either has a lease that is still there when the leases are
  // read, or its import has ended, and then the committed imports read afterwards include it.
  const copies = list(dataDir, STORED_FILES_DIR)
  const staged = list(dataDir, STAGING_DIR)
  const claimed = claimedFiles(dataDir, now)
  const kept = new Set(
    db
      .prepare('SELECT stored_file FROM imports WHERE stored_file IS NOT NULL')
      .pluck()
      .all() as string[],
  )
  let removed = 0
  for (const relative of [...copies.filter((f) => !kept.has(f)), ...staged]) {
    if (claimed.has(relative)) continue
    rmSync(join(dataDir, relative), { force: true })
    removed++
  }
  // Uploads (web host) are read where they were saved; a day later they have been imported (and
  // copied) or abandoned.
  for (const relative of list(dataDir, UPLOADS_DIR)) {
    if (kept.has(relative) || now - statSync(join(dataDir, relative)).mtimeMs < DAY_MS) continue
    rmSync(join(dataDir, relative), { force: true })
    removed++
  }
  return removed
}

/** The files of a folder of the data folder, as paths relative to it. */
function list(dataDir: string, folder: string): string[] {
  try {
    return readdirSync(join(dataDir, folder)).map((name) => join(folder, name))
  } catch {
    return []
  }
}
