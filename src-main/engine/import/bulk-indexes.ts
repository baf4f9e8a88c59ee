import type Database from 'better-sqlite3'

/** Below this many rows, keeping the indexes up to date row by row costs too little to matter. */
const BULK_ROWS = 50_000

/**
 * A big import into a table that is small next to it is several times faster when the activity
 * indexes are built once at the end than when each row updates them (compound ids arrive in
 * random order). Drops them for such an import of `rows` activities and returns what rebuilds
 * them; both happen inside the import's transaction, so other readers never see the table without
 * its indexes.
 */
export function suspendIndexes(db: Database.Database, rows: number): () => void {
  if (rows < BULK_ROWS) return () => undefined
  const existing = db.prepare('SELECT count(*) FROM main.activity_records').pluck().get() as number
  if (rows < existing) return () => undefined
  const indexes = db
    .prepare(
      "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'activity_records' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[]
  for (const index of indexes) db.exec(`DROP INDEX main."${index.name.replaceAll('"', '""')}"`)
  // An index's own CREATE statement names no database: it is made in main, beside its table.
  return () => {
    for (const index of indexes) db.exec(index.sql)
  }
}
