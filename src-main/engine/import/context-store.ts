import type Database from 'better-sqlite3'
import type { ContextRecord } from './row-batches'

/**
 * activity_contexts as an import writes them: a context already in the database (from this file
 * or an earlier one) is reused, so each distinct combination is stored once.
 */
export function contextStore(db: Database.Database): { id(c: ContextRecord): number } {
  const find = db
    .prepare(
      `SELECT id FROM activity_contexts
      WHERE target_chembl_id IS ? AND standard_type IS ? AND standard_units IS ? AND assay_chembl_id IS ?
        AND document_chembl_id IS ? AND target_name IS ? AND document_year IS ?
      LIMIT 1`,
    )
    .pluck()
  const insert = db.prepare(
    `INSERT INTO activity_contexts (target_chembl_id, standard_type, standard_units, assay_chembl_id,
       document_chembl_id, target_name, document_year) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  return {
    id(c) {
      const values = [
        c.targetChemblId,
        c.standardType,
        c.standardUnits,
        c.assayChemblId,
        c.documentChemblId,
        c.targetName,
        c.documentYear,
      ]
      const found = find.get(values) as number | undefined
      return found ?? Number(insert.run(values).lastInsertRowid)
    },
  }
}
