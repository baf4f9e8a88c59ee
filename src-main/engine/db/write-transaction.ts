import type Database from 'better-sqlite3'
import { WorkbenchError } from '../../contract'

/** How long a user's write may wait for another writer (an import's final step, another process). */
export const WRITE_DEADLINE_MS = 30_000

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction, retrying on SQLITE_BUSY with short timers instead
 * of SQLite's busy handler. better-sqlite3 is synchronous: its busy handler sleeps the calling
 * thread, so on the engine thread one long writer elsewhere (an import, a training in another
 * process) froze every call, `app.status` included, and failed after the busy timeout with
 * "database is locked". Awaiting a timer between tries keeps the thread answering. The connection
 * should have a busy_timeout of a few milliseconds at most for this to help.
 */
export async function writeTransaction<T>(
  db: Database.Database,
  fn: () => T,
  deadlineMs = WRITE_DEADLINE_MS,
): Promise<T> {
  const started = Date.now()
  for (let attempt = 0; ; attempt++) {
    try {
      return db.transaction(fn).immediate()
    } catch (error) {
      if (!isBusy(error)) throw error
      if (Date.now() - started >= deadlineMs) {
        throw new WorkbenchError(
          'database-busy',
          `The database stayed busy for ${Math.round(deadlineMs / 1000)} s (another import, training or app is writing to this data folder). Try again when it has finished.`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(5 * 2 ** attempt, 100)))
    }
  }
}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY, ...). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}
