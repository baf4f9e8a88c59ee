import type Database from 'better-sqlite3'

/**
 * The columns of a main-database table, in order. The final step of an import lists them from the
 * database itself, so a migration that adds a column to a table an import writes needs no change
 * in the code that moves the staged rows.
 */
export function columnsOf(db: Database.Database, table: string): string[] {
  return (db.pragma(`main.table_info(${quoted(table)})`) as { name: string }[]).map((c) => c.name)
}

/** A name as an SQL identifier. */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
