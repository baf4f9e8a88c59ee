import { readdirSync, rmSync, statSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { extname, join } from 'node:path'
import type { Db } from '../db/connection'

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
 * Removes copies left by imports that never committed (a killed process). Only files older than a
 * day: a younger one may belong to an import still running in another process.
 */
export function removeOrphanedFiles(db: Db, dataDir: string, now = Date.now()): number {
  const kept = new Set(
    db
      .prepare('SELECT stored_file FROM imports WHERE stored_file IS NOT NULL')
      .pluck()
      .all() as string[],
  )
  // Uploads (web host) are read where they were saved; a day later they have been imported (and
  // copied) or abandoned.
  return (
    removeOld(dataDir, STORED_FILES_DIR, kept, now) + removeOld(dataDir, UPLOADS_DIR, kept, now)
  )
}

function removeOld(dataDir: string, folder: string, kept: Set<string>, now: number): number {
  let names: string[]
  try {
    names = readdirSync(join(dataDir, folder))
  } catch {
    return 0
  }
  let removed = 0
  for (const name of names) {
    const relative = join(folder, name)
    const path = join(dataDir, relative)
    if (kept.has(relative) || now - statSync(path).mtimeMs < DAY_MS) continue
    rmSync(path, { force: true })
    removed++
  }
  return removed
}
