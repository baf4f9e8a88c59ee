import Database from 'better-sqlite3'

/** Lines of SQLite's report kept: enough to see what is wrong, short enough to show. */
export const MAX_PROBLEMS = 20

export interface QuickCheckResult {
  ok: boolean
  problems: string[]
}

/**
 * SQLite's `PRAGMA quick_check` on a database file, through a read-only connection of its own.
 * It reads every page (O(N), seconds on a large database), so the engine runs it on a worker
 * thread. A page damaged badly enough that SQLite refuses to read it is reported as a problem,
 * not thrown: the answer to "is this file sound?" is then simply no.
 */
export function quickCheck(path: string): QuickCheckResult {
  let db: Database.Database | null = null
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
    db.pragma('busy_timeout = 5000')
    const lines = db.prepare(`PRAGMA quick_check(${MAX_PROBLEMS})`).pluck().all() as string[]
    const problems = lines.filter((line) => line !== 'ok')
    return { ok: problems.length === 0, problems }
  } catch (error) {
    return { ok: false, problems: [error instanceof Error ? error.message : String(error)] }
  } finally {
    db?.close()
  }
}
