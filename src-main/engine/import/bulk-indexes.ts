import type Database from 'better-sqlite3'
import type { TableHead } from './read-table'

/** Below this many rows, keeping the indexes up to date row by row costs too little to matter. */
const BULK_ROWS = 50_000

/** Rows in the file, from its size and the length of the lines in its first block. */
export function estimateRows(head: TableHead & { sample?: string }): number {
  const sample = head.sample ?? ''
  const lines = sample.split('\n').length - 1
  return lines > 1 ? Math.round((head.size / sample.length) * lines) : 0
}

/**
 * A big import into a table that is small next to it is several times faster when the activity
 * indexes are built once at the end than when each row updates them (compound ids arrive in
 * random order). Drops them for such an import and returns what rebuilds them; both happen inside
 * the import's transaction, so other readers never see the table without its indexes.
 */
export function suspendIndexes(db: Database.Database, estimatedRows: number): () => void {
  if (estimatedRows < BULK_ROWS) return () => undefined
  const existing = db.prepare('SELECT count(*) FROM activity_records').pluck().get() as number
  if (estimatedRows < existing) return () => undefined
  const indexes = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activity_records' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[]
  for (const index of indexes) db.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`)
  return () => {
    for (const index of indexes) db.exec(index.sql)
  }
}
