import type Database from 'better-sqlite3'
import { WorkbenchError } from '../../contract'
import { columnsOf, quoted } from './merge-sql'

/**
 * Moves the staged activity contexts (schema `staged`) into the main database, inside the import's
 * final transaction: a combination already stored (from an earlier import) is reused, so each is
 * stored once; the new ones are added in the order the file first mentions them. Every column
 * takes part in the comparison, NULL equal only to NULL. Leaves the main id of every staged context
 * in temp.context_ids.
 */
export function mergeContexts(db: Database.Database): number {
  const columns = columnsOf(db, 'activity_contexts')
    .filter((c) => c !== 'id')
    .map(quoted)
  // IS compares NULLs as equal and still uses activity_contexts_target, which covers every column
  const same = columns.map((q) => `x.${q} IS s.${q}`).join(' AND ')
  const added = db
    .prepare(
      `INSERT INTO main.activity_contexts (${columns.join(', ')})
       SELECT ${columns.map((q) => `s.${q}`).join(', ')} FROM staged.activity_contexts AS s
        WHERE NOT EXISTS (SELECT 1 FROM main.activity_contexts AS x WHERE ${same})
        ORDER BY s.id`,
    )
    .run().changes
  db.exec('CREATE TEMP TABLE context_ids (staged INTEGER PRIMARY KEY, id INTEGER)')
  db.exec(
    `INSERT INTO temp.context_ids (staged, id)
     SELECT s.id, (SELECT x.id FROM main.activity_contexts AS x WHERE ${same} LIMIT 1)
       FROM staged.activity_contexts AS s`,
  )
  const unmatched = db
    .prepare('SELECT count(*) FROM temp.context_ids WHERE id IS NULL')
    .pluck()
    .get() as number
  if (unmatched > 0)
    throw new WorkbenchError(
      'internal',
      `${unmatched} of the file's activity contexts could not be stored; nothing was imported.`,
    )
  return added
}
