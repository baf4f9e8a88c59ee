import { constants, copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { MessagePort } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { WorkbenchError } from '../../contract'
import { RELATIONS } from '../../chem/units'
import type { TableHead } from './read-table'
import { type BatchesEnd, type ParseMessage, type RowBatch, UNUSABLE_CODES } from './row-batches'
import { stagedCompound } from './compound-store'
import { STORED_FILES_DIR } from './stored-file'

export interface StageImportInput {
  /** the data folder: the staging database and the stored copies of imported files live there */
  dataDir: string
  /** where in the data folder the staging database goes (see takeLease) */
  stagingFile: string
  /** where in the data folder to keep the file's copy (see storedFileName) */
  storedFile: string
  filePath: string
  head: TableHead
  rdkitVersion: string | null
  /** the main database's definitions of the staged tables (see stagingSchema) */
  schema: string[]
}

/** What the staging database holds besides the rows: the file's facts and the counts. */
export interface StagedImport {
  sha256: string
  bytes: number
  rowsTotal: number
  rowsAccepted: number
  activities: number
  rejectionsByReason: Record<string, number>
  unusableByReason: Record<string, number>
  disagreements: BatchesEnd['disagreements']
}

export interface WriteProgress {
  bytes: number
  rows: number
}

const ACTIVITY_COLUMNS = 11
const ROWS_PER_INSERT = 10
/**
 * The import id staged rows carry until commitImport gives them the real one. The staged tables
 * keep the main database's NOT NULL on it; nothing else reads it.
 */
export const STAGED_IMPORT_ID = 0

/** The parser's messages as an async sequence; each one is acknowledged once it is written. */
async function* messages(port: MessagePort): AsyncGenerator<ParseMessage> {
  const queue: ParseMessage[] = []
  let wake: (() => void) | null = null
  let closed = false
  port.on('message', (m: ParseMessage) => {
    queue.push(m)
    wake?.()
  })
  port.on('close', () => {
    closed = true
    wake?.()
  })
  for (;;) {
    const next = queue.shift()
    if (next) {
      yield next
      port.postMessage('ack')
      if (next.type === 'end') return
      continue
    }
    if (closed)
      throw new WorkbenchError(
        'reader-stopped',
        'The file reader stopped before the end of the file.',
      )
    await new Promise<void>((r) => (wake = r))
    wake = null
  }
}

const num = (v: number) => (Number.isNaN(v) ? null : v)

/**
 * Writes one file's rows, as the reader thread sends them, into a staging database of the import's
 * own, inside a worker thread; commitImport then moves them into the main database in one short
 * transaction. Writing the whole file in a transaction on the main database held its write lock
 * for as long as the file took to read, and every prediction, setting or promotion meanwhile
 * waited for it and failed with "database is locked". Every data row ends up accepted (an
 * activity, and its compound) or rejected (with line, reason and raw text). The staging database
 * keeps no journal on disk and is not synced: an error, a cancel (the worker is terminated) or a killed
 * process throws it away whole, and the main database never sees part of an import.
 */
export async function stageImport(
  input: StageImportInput,
  port: MessagePort,
  onProgress: (p: WriteProgress) => void,
): Promise<StagedImport> {
  const db = new Database(join(input.dataDir, input.stagingFile))
  // No journal file (better-sqlite3's defensive mode refuses OFF) and no syncing: the file is
  // thrown away whole whenever the import does not commit.
  db.pragma('journal_mode = MEMORY')
  db.pragma('synchronous = OFF')
  db.pragma('locking_mode = EXCLUSIVE')
  // The staged tables keep the main database's REFERENCES, to tables the staging database does
  // not have (imports); the ids are the file's own until commitImport maps them.
  db.pragma('foreign_keys = OFF')
  // A bigger page cache for one long transaction; bounded, so memory stays flat on big files.
  db.pragma('cache_size = -65536')
  for (const sql of input.schema) db.exec(sql)
  const now = new Date().toISOString()

  const insertContext = db.prepare(
    `INSERT INTO activity_contexts (id, standard_type, standard_units, assay_chembl_id, target_chembl_id,
       target_name, document_chembl_id, document_year) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertCompound = db.prepare(
    `INSERT INTO compounds (id, molecule_key, chembl_id, name, smiles, mw_freebase, alogp, hba, hbd,
       feature_sources_json, rdkit_version, descriptors_json, morgan_fp, standardised_smiles,
       standardisation_json, rdkit_seed_json, descriptors_2d_json, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertRejection = db.prepare(
    'INSERT INTO import_rejections (import_id, line_number, reason, detail, raw_line) VALUES (?, ?, ?, ?, ?)',
  )
  // Ten rows per INSERT: a third less time per row than one statement each.
  const activitySql = (rows: number) =>
    `INSERT INTO activity_records (import_id, compound_id, context_id, line_number, relation, standard_value,
       value_nm, p_activity, pchembl_value, usable, unusable_reason, activity_id)
     VALUES ${Array.from({ length: rows }, () => `(${STAGED_IMPORT_ID}, ${new Array(ACTIVITY_COLUMNS).fill('?').join(', ')})`).join(', ')}`
  const insertActivities = db.prepare(activitySql(ROWS_PER_INSERT))
  const insertActivity = db.prepare(activitySql(1))

  const rejectionsByReason: Record<string, number> = {}
  const unusableByReason: Record<string, number> = {}
  let contexts = 0
  let compounds = 0
  let rowsTotal = 0
  let rowsAccepted = 0
  let activities = 0

  // The reader numbers contexts and compounds from 0 in the order the file first mentions them;
  // staged ids are those numbers plus one, and commitImport maps them to the main database's.
  const writeBatch = (b: RowBatch) => {
    for (const c of b.contexts)
      insertContext.run(
        ++contexts,
        c.standardType,
        c.standardUnits,
        c.assayChemblId,
        c.targetChemblId,
        c.targetName,
        c.documentChemblId,
        c.documentYear,
      )
    for (const c of b.compounds) {
      const s = stagedCompound(c, input.rdkitVersion)
      insertCompound.run(
        ++compounds,
        c.key,
        c.chemblId,
        c.name,
        c.smiles,
        s.mw_freebase,
        s.alogp,
        s.hba,
        s.hbd,
        s.featureSourcesJson,
        s.rdkitVersion,
        s.descriptorsJson,
        s.morgan,
        s.standardisedSmiles,
        s.standardisationJson,
        s.rdkitSeedJson,
        s.descriptors2dJson,
        now,
        now,
      )
    }
    for (const r of b.rejections) {
      rejectionsByReason[r.reason] = (rejectionsByReason[r.reason] ?? 0) + 1
      insertRejection.run(STAGED_IMPORT_ID, r.line, r.reason, r.detail, r.raw)
    }
    const params: unknown[] = []
    for (let i = 0; i < b.n; i++) {
      const unusable = b.unusable[i] as number
      const reason = unusable < 0 ? null : (UNUSABLE_CODES[unusable] as string)
      if (reason) unusableByReason[reason] = (unusableByReason[reason] ?? 0) + 1
      const relation = b.relation[i] as number
      params.push(
        (b.compound[i] as number) + 1,
        (b.context[i] as number) + 1,
        b.line[i],
        relation < 0 ? null : RELATIONS[relation],
        num(b.value[i] as number),
        num(b.valueNm[i] as number),
        num(b.pActivity[i] as number),
        num(b.pchembl[i] as number),
        reason === null && !Number.isNaN(b.pActivity[i] as number) ? 1 : 0,
        reason,
        num(b.activityId[i] as number),
      )
      if (params.length === ROWS_PER_INSERT * ACTIVITY_COLUMNS) {
        insertActivities.run(params)
        params.length = 0
      }
    }
    for (let at = 0; at < params.length; at += ACTIVITY_COLUMNS)
      insertActivity.run(params.slice(at, at + ACTIVITY_COLUMNS))
    activities += b.n
    rowsAccepted += b.accepted
    rowsTotal = b.rowsTotal
    onProgress({ bytes: b.bytes, rows: rowsTotal })
  }

  let copied: Promise<void> | null = null
  try {
    db.exec('BEGIN')
    // The file itself, byte for byte, beside the database: a kernel copy that runs while rows are
    // written, and a copy-on-write clone that costs nothing where the file system has them (APFS,
    // btrfs, XFS). The import row points at it only once the import commits.
    await mkdir(join(input.dataDir, STORED_FILES_DIR), { recursive: true })
    copied = copyFile(
      input.filePath,
      join(input.dataDir, input.storedFile),
      constants.COPYFILE_FICLONE,
    )
    let end: BatchesEnd | null = null
    for await (const message of messages(port)) {
      if (message.type === 'end') end = message
      else writeBatch(message)
    }
    await copied
    if (rowsTotal === 0)
      throw new WorkbenchError(
        'invalid-input',
        'The file has a header but no data rows: there is nothing to import.',
      )
    db.exec('COMMIT')
    const { sha256, bytes, disagreements } = end as BatchesEnd
    return {
      sha256,
      bytes,
      rowsTotal,
      rowsAccepted,
      activities,
      rejectionsByReason,
      unusableByReason,
      disagreements,
    }
  } catch (error) {
    // The copy is removed by the import job, which must not remove it before it is made.
    await copied?.catch(() => undefined)
    throw error
  } finally {
    db.close()
  }
}
