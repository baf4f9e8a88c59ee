import { join } from 'node:path'
import Database from 'better-sqlite3'
import { type ImportSummary, WorkbenchError } from '../../contract'
import type { ImportFormat, Mapping } from '../../chem/columns'
import { databasePath } from '../db/connection'
import { isBusy } from '../db/write-transaction'
import type { TableHead } from './read-table'
import type { StagedImport } from './stage-import'
import { suspendIndexes } from './bulk-indexes'
import { mergeCompounds } from './compound-store'
import { mergeContexts } from './context-store'
import { columnsOf, quoted } from './merge-sql'
import { findPresentRows } from './present-rows'

export interface CommitImportInput {
  dataDir: string
  /** the staging database stageImport wrote (relative to the data folder) */
  stagingFile: string
  /** the copy of the file the import row points at (relative to the data folder) */
  storedFile: string
  /** the name the user knows the file by (uploads are saved under another name) */
  fileName: string
  head: TableHead
  format: ImportFormat
  mapping: Mapping
  /** what to do when a file with the same SHA-256 was imported before */
  duplicate: 'skip' | 'import'
  rdkitVersion: string | null
  isSynthetic?: boolean
  /** when the import started (ISO-8601) */
  startedAt: string
  staged: StagedImport
}

/**
 * How long the final step waits for another writer: a user's write takes milliseconds, another
 * process's import its own final step. This runs in a worker thread, so waiting blocks no one.
 */
const COMMIT_BUSY_TIMEOUT_MS = 60_000

/**
 * The final step of an import, in a worker thread: one transaction on the main database moves
 * everything the staging database holds into it (contexts deduplicated, compounds merged by
 * molecule key, the file's own ids mapped to the database's in SQL), records the import and
 * commits. The write lock is held for this step only (seconds for a million rows, not the whole
 * import). Nothing of the import is in the main database before the commit. The summary's
 * `seconds` are filled in by the caller.
 */
export function commitImport(input: CommitImportInput): ImportSummary {
  const db = new Database(databasePath(input.dataDir))
  try {
    // Every id this step links comes from a row it has just inserted or read in the same
    // transaction, so per-row foreign-key lookups prove nothing new. The import tests run
    // PRAGMA foreign_key_check over the result.
    db.pragma('foreign_keys = OFF')
    db.pragma('synchronous = NORMAL')
    db.pragma(`busy_timeout = ${COMMIT_BUSY_TIMEOUT_MS}`)
    db.pragma('cache_size = -65536')
    db.pragma('temp_store = MEMORY')
    db.prepare('ATTACH DATABASE ? AS staged').run(join(input.dataDir, input.stagingFile))
    try {
      db.exec('BEGIN IMMEDIATE')
    } catch (error) {
      if (!isBusy(error)) throw error
      throw new WorkbenchError(
        'database-busy',
        `The database stayed busy for ${COMMIT_BUSY_TIMEOUT_MS / 1000} s (another app or import is writing to this data folder), so ${input.fileName} was not imported. Import it again when the other one has finished.`,
      )
    }
    try {
      return commitInTransaction(db, input)
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw error
    }
  } finally {
    db.close()
  }
}

function commitInTransaction(db: Database.Database, input: CommitImportInput): ImportSummary {
  const { staged } = input
  const now = new Date().toISOString()
  const rowsRejected = staged.rowsTotal - staged.rowsAccepted
  const rejections = Object.values(staged.rejectionsByReason).reduce((a, b) => a + b, 0)
  const summary = (
    importId: number | null,
    previousImportId: number | null,
    compounds: { added: number; updated: number },
    alreadyPresent = 0,
  ): ImportSummary => ({
    importId,
    skipped: importId === null,
    previousImportId,
    file: input.fileName,
    format: input.format,
    sha256: staged.sha256,
    bytes: staged.bytes,
    rowsTotal: staged.rowsTotal,
    rowsAccepted: staged.rowsAccepted,
    rowsRejected,
    rejectionsByReason: staged.rejectionsByReason,
    unusableByReason: staged.unusableByReason,
    compoundsNew: compounds.added,
    compoundsUpdated: compounds.updated,
    activities: staged.activities - alreadyPresent,
    alreadyPresent,
    disagreements: {
      compared: staged.disagreements.compared,
      mw: staged.disagreements.mw,
      alogp: staged.disagreements.alogp,
    },
    rdkitVersion: input.rdkitVersion,
    seconds: 0,
    rowsPerSecond: 0,
  })

  const previous = db
    .prepare('SELECT id FROM main.imports WHERE file_sha256 = ? ORDER BY id LIMIT 1')
    .get(staged.sha256) as { id: number } | undefined
  if (previous && input.duplicate === 'skip') {
    db.exec('ROLLBACK')
    return summary(null, previous.id, { added: 0, updated: 0 })
  }

  const importId = Number(
    db
      .prepare(
        `INSERT INTO main.imports (file_name, file_size, file_sha256, format, encoding, delimiter, header_json,
           stored_file, mapping_json, unusable_json, disagreements_json, rows_total, rows_accepted, rows_rejected,
           rdkit_version, is_synthetic, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.fileName,
        staged.bytes,
        staged.sha256,
        input.format,
        input.head.encoding.encoding,
        input.head.delimiter,
        JSON.stringify(input.head.header),
        input.storedFile,
        JSON.stringify(input.mapping),
        JSON.stringify(staged.unusableByReason),
        JSON.stringify(staged.disagreements),
        staged.rowsTotal,
        staged.rowsAccepted,
        rowsRejected,
        input.rdkitVersion,
        input.isSynthetic ? 1 : 0,
        input.startedAt,
        now,
      ).lastInsertRowid,
  )
  mergeContexts(db)
  const compounds = mergeCompounds(db, importId, now)
  db.prepare('UPDATE main.imports SET compounds_new = ?, compounds_updated = ? WHERE id = ?').run(
    compounds.added,
    compounds.updated,
    importId,
  )

  // Measurements an earlier import stored are not added again; each is linked to the one it is.
  const present = findPresentRows(db)
  const added = staged.activities - present
  const restoreIndexes = suspendIndexes(db, added)
  // The staged rows in file order (their ids), each compound and context looked up by its key in
  // the maps: records stay the outer loop.
  const records = columnsOf(db, 'activity_records').filter((c) => c !== 'id')
  const recordValue = (c: string) =>
    c === 'import_id'
      ? '@importId'
      : c === 'compound_id'
        ? 'm.id'
        : c === 'context_id'
          ? 'x.id'
          : `r.${quoted(c)}`
  const moved = db
    .prepare(
      `INSERT INTO main.activity_records (${records.map(quoted).join(', ')})
       SELECT ${records.map(recordValue).join(', ')}
         FROM staged.activity_records AS r
         CROSS JOIN temp.compound_ids AS m ON m.staged = r.compound_id
         CROSS JOIN temp.context_ids AS x ON x.staged = r.context_id
        WHERE NOT EXISTS (SELECT 1 FROM temp.present_rows AS p WHERE p.staged = r.id)
        ORDER BY r.id`,
    )
    .run({ importId }).changes
  const linked = db
    .prepare(
      `INSERT INTO main.import_present_rows (import_id, line_number, activity_record_id, matched_by)
       SELECT @importId, r.line_number, p.activity, p.matched_by
         FROM temp.present_rows AS p JOIN staged.activity_records AS r ON r.id = p.staged
        ORDER BY r.id`,
    )
    .run({ importId }).changes
  const rejectionColumns = columnsOf(db, 'import_rejections').filter((c) => c !== 'id')
  const rejected = db
    .prepare(
      `INSERT INTO main.import_rejections (${rejectionColumns.map(quoted).join(', ')})
       SELECT ${rejectionColumns.map((c) => (c === 'import_id' ? '@importId' : `r.${quoted(c)}`)).join(', ')}
         FROM staged.import_rejections AS r ORDER BY r.id`,
    )
    .run({ importId }).changes
  // Counts add up or nothing is kept: a row lost between the files would otherwise go unnoticed.
  if (moved !== added || linked !== present || rejected !== rejections)
    throw new WorkbenchError(
      'internal',
      `Moving the rows of ${input.fileName} into the database lost some (${moved} of ${added} activities, ${linked} of ${present} already present, ${rejected} of ${rejections} rejections); nothing was imported.`,
    )
  restoreIndexes()
  db.prepare('UPDATE main.imports SET rows_already_present = ? WHERE id = ?').run(present, importId)

  db.prepare(
    "INSERT INTO main.audit_log (at, action, entity_type, entity_id, details_json) VALUES (?, 'import', 'import', ?, ?)",
  ).run(
    now,
    String(importId),
    JSON.stringify({
      file: input.fileName,
      sha256: staged.sha256,
      rowsTotal: staged.rowsTotal,
      rowsAccepted: staged.rowsAccepted,
      rowsRejected,
      rowsAlreadyPresent: present,
    }),
  )
  db.exec('COMMIT')
  return summary(importId, previous?.id ?? null, compounds, present)
}
