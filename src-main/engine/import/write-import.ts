import { copyFile, mkdir, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import { type ImportSummary, WorkbenchError } from '../../contract'
import type { ImportFormat, Mapping } from '../../chem/columns'
import { type CsvRecord, DEFAULT_MAX_RECORD_CHARS } from '../../chem/csv-parser'
import {
  type NormalisedRow,
  type Rejection,
  type RejectionReason,
  hasActivityColumns,
  normaliseRow,
} from '../../chem/normalise-row'
import type { MoleculeFeatures } from '../../chem/rdkit'
import { databasePath } from '../db/connection'
import { type TableHead, readRecords } from './read-table'
import { STORED_FILES_DIR } from './stored-file'

export interface WriteImportInput {
  /** the data folder: the database and the stored copies of imported files live there */
  dataDir: string
  /** where in the data folder to keep the file's copy (see storedFileName) */
  storedFile: string
  filePath: string
  /** the name the user knows the file by (uploads are saved under another name) */
  fileName: string
  head: TableHead
  format: ImportFormat
  mapping: Mapping
  /** what to do when a file with the same SHA-256 was imported before */
  duplicate: 'skip' | 'import'
  /** RDKit's results by SMILES (null: RDKit cannot read it); null when descriptors are off */
  molecules: Map<string, MoleculeFeatures | null> | null
  rdkitVersion: string | null
  isSynthetic?: boolean
}

export interface WriteProgress {
  bytes: number
  rows: number
}

/** Seed features further apart than this between the file and RDKit are reported. */
const DISAGREEMENT = { mw: 0.5, alogp: 0.5 }
const MAX_EXAMPLES = 20

type SeedKey = 'mw_freebase' | 'alogp' | 'hba' | 'hbd'

interface CompoundRow {
  id: number
  name: string | null
  smiles: string | null
  mw_freebase: number | null
  alogp: number | null
  hba: number | null
  hbd: number | null
  feature_sources_json: string
  rdkit_version: string | null
  descriptors_json: string | null
  morgan_fp: Buffer | null
}

/**
 * Imports one file into the database in a single transaction, run inside a worker thread with a
 * connection of its own. Every data row ends up accepted (an activity, and its compound) or
 * rejected (with line, reason and raw text). An error, a cancel (the worker is terminated) or a
 * killed process leaves the transaction uncommitted, so the database never holds part of an import.
 */
export async function writeImport(
  input: WriteImportInput,
  onProgress: (p: WriteProgress) => void,
): Promise<ImportSummary> {
  const started = performance.now()
  const db = new Database(databasePath(input.dataDir))
  db.pragma('journal_mode = WAL')
  // Every id this writer links comes from a row it has just inserted or read in the same
  // transaction, so per-row foreign-key lookups (a third of the insert time) prove nothing new.
  // The import tests run PRAGMA foreign_key_check over the result.
  db.pragma('foreign_keys = OFF')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 10000')
  // A bigger page cache for one long transaction; bounded, so memory stays flat on big files.
  db.pragma('cache_size = -65536')
  const now = new Date().toISOString()
  const storedFile = input.storedFile
  const withActivities = hasActivityColumns(input.mapping)
  const header = input.head.header

  const insertImport = db.prepare(
    `INSERT INTO imports (file_name, file_size, file_sha256, format, encoding, delimiter, header_json, mapping_json,
       rows_total, rows_accepted, rows_rejected, rdkit_version, is_synthetic, started_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?)`,
  )
  const insertRejection = db.prepare(
    'INSERT INTO import_rejections (import_id, line_number, reason, detail, raw_line) VALUES (?, ?, ?, ?, ?)',
  )
  const findCompound = db.prepare(
    'SELECT id, name, smiles, mw_freebase, alogp, hba, hbd, feature_sources_json, rdkit_version, descriptors_json, morgan_fp FROM compounds WHERE molecule_key = ?',
  )
  const insertCompound = db.prepare(
    `INSERT INTO compounds (molecule_key, chembl_id, name, smiles, mw_freebase, alogp, hba, hbd, feature_sources_json,
       rdkit_version, descriptors_json, morgan_fp, first_import_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const updateCompound = db.prepare(
    `UPDATE compounds SET name = ?, smiles = ?, mw_freebase = ?, alogp = ?, hba = ?, hbd = ?, feature_sources_json = ?,
       rdkit_version = ?, descriptors_json = ?, morgan_fp = ?, updated_at = ? WHERE id = ?`,
  )
  const insertActivity = db.prepare(
    `INSERT INTO activities (import_id, compound_id, line_number, standard_type, relation, standard_value, standard_units,
       value_nm, p_activity, pchembl_value, usable, unusable_reason, assay_chembl_id, target_chembl_id, target_name,
       document_chembl_id, document_year)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )

  const rejectionsByReason: Partial<Record<RejectionReason, number>> = {}
  const unusableByReason: Record<string, number> = {}
  const disagreements = {
    compared: 0,
    mw: 0,
    alogp: 0,
    examples: [] as { molecule: string; field: string; file: number; rdkit: number }[],
  }
  const compoundIds = new Map<string, number>()
  let rowsTotal = 0
  let rowsAccepted = 0
  let compoundsNew = 0
  let compoundsUpdated = 0
  let activities = 0
  let importId = 0

  const reject = (record: CsvRecord, rejection: Rejection) => {
    rejectionsByReason[rejection.reason] = (rejectionsByReason[rejection.reason] ?? 0) + 1
    insertRejection.run(importId, record.line, rejection.reason, rejection.detail, record.raw)
  }

  const compoundFor = (
    row: NormalisedRow,
    features: MoleculeFeatures | null | undefined,
  ): number => {
    const key = row.moleculeChemblId ?? `smiles:${features?.canonicalSmiles ?? row.smiles}`
    const known = compoundIds.get(key)
    if (known !== undefined) return known

    const fromFile: Record<SeedKey, number | null> = {
      mw_freebase: row.mw,
      alogp: row.alogp,
      hba: row.hba,
      hbd: row.hbd,
    }
    const fromRdkit: Record<SeedKey, number | null> = features
      ? {
          mw_freebase: features.seed.mw,
          alogp: features.seed.alogp,
          hba: features.seed.hba,
          hbd: features.seed.hbd,
        }
      : { mw_freebase: null, alogp: null, hba: null, hbd: null }
    if (features && row.mw !== null && row.alogp !== null) {
      disagreements.compared++
      for (const [field, fileValue, rdkitValue, limit] of [
        ['mw_freebase', row.mw, features.seed.mw, DISAGREEMENT.mw],
        ['alogp', row.alogp, features.seed.alogp, DISAGREEMENT.alogp],
      ] as const) {
        if (Math.abs(fileValue - rdkitValue) > limit) {
          if (field === 'mw_freebase') disagreements.mw++
          else disagreements.alogp++
          if (disagreements.examples.length < MAX_EXAMPLES)
            disagreements.examples.push({
              molecule: key,
              field,
              file: fileValue,
              rdkit: rdkitValue,
            })
        }
      }
    }

    const existing = findCompound.get(key) as CompoundRow | undefined
    const sources: Record<string, string> = existing
      ? (JSON.parse(existing.feature_sources_json) as Record<string, string>)
      : {}
    const values: Record<SeedKey, number | null> = {
      mw_freebase: null,
      alogp: null,
      hba: null,
      hbd: null,
    }
    for (const f of ['mw_freebase', 'alogp', 'hba', 'hbd'] as const) {
      const kept = existing?.[f] ?? null
      if (kept !== null) values[f] = kept
      else if (fromFile[f] !== null) {
        values[f] = fromFile[f]
        sources[f] = 'file'
      } else if (fromRdkit[f] !== null) {
        values[f] = fromRdkit[f]
        sources[f] = 'rdkit'
      }
    }
    const descriptorsJson =
      existing?.descriptors_json ?? (features ? JSON.stringify(features.descriptors) : null)
    const morgan = existing?.morgan_fp ?? (features ? Buffer.from(features.morgan) : null)
    const rdkitVersion = existing?.rdkit_version ?? (features ? input.rdkitVersion : null)
    const sourcesJson = JSON.stringify(sources)

    let id: number
    if (!existing) {
      id = Number(
        insertCompound.run(
          key,
          row.moleculeChemblId,
          row.name,
          row.smiles,
          values.mw_freebase,
          values.alogp,
          values.hba,
          values.hbd,
          sourcesJson,
          rdkitVersion,
          descriptorsJson,
          morgan,
          importId,
          now,
          now,
        ).lastInsertRowid,
      )
      compoundsNew++
    } else {
      id = existing.id
      const name = existing.name ?? row.name
      const smiles = existing.smiles ?? row.smiles
      const changed =
        name !== existing.name ||
        smiles !== existing.smiles ||
        sourcesJson !== existing.feature_sources_json ||
        descriptorsJson !== existing.descriptors_json ||
        rdkitVersion !== existing.rdkit_version ||
        (['mw_freebase', 'alogp', 'hba', 'hbd'] as const).some((f) => values[f] !== existing[f])
      if (changed) {
        updateCompound.run(
          name,
          smiles,
          values.mw_freebase,
          values.alogp,
          values.hba,
          values.hbd,
          sourcesJson,
          rdkitVersion,
          descriptorsJson,
          morgan,
          now,
          id,
        )
        compoundsUpdated++
      }
    }
    compoundIds.set(key, id)
    return id
  }

  const accept = (record: CsvRecord, row: NormalisedRow) => {
    const features =
      row.smiles !== null && input.molecules ? input.molecules.get(row.smiles) : undefined
    if (features === null) {
      reject(record, {
        reason: 'invalid-smiles',
        detail: `RDKit cannot read the SMILES "${(row.smiles ?? '').slice(0, 80)}"`,
      })
      return
    }
    const compoundId = compoundFor(row, features)
    rowsAccepted++
    const a = row.activity
    if (!a) return
    if (a.unusableReason)
      unusableByReason[a.unusableReason] = (unusableByReason[a.unusableReason] ?? 0) + 1
    insertActivity.run(
      importId,
      compoundId,
      record.line,
      a.standardType,
      a.relation,
      a.standardValue,
      a.standardUnits,
      a.valueNm,
      a.pActivity,
      a.pchembl,
      a.usable ? 1 : 0,
      a.unusableReason,
      a.assayChemblId,
      a.targetChemblId,
      a.targetName,
      a.documentChemblId,
      a.documentYear,
    )
    activities++
  }

  db.exec('BEGIN IMMEDIATE')
  try {
    importId = Number(
      insertImport.run(
        input.fileName || basename(input.filePath),
        input.head.size,
        '0'.repeat(64),
        input.format,
        input.head.encoding.encoding,
        input.head.delimiter,
        JSON.stringify(header),
        JSON.stringify(input.mapping),
        input.rdkitVersion,
        input.isSynthetic ? 1 : 0,
        now,
        now,
      ).lastInsertRowid,
    )
    let bytes = 0
    // The file itself, byte for byte, beside the database (a kernel copy: no file data passes
    // through this thread). The row points at it only once the transaction commits.
    await mkdir(join(input.dataDir, STORED_FILES_DIR), { recursive: true })
    await copyFile(input.filePath, join(input.dataDir, storedFile))
    const records = readRecords(input.filePath, input.head, {
      onProgress: (p) => {
        bytes = p.bytes
      },
      columns: Object.values(input.mapping).filter((c): c is number => c !== undefined),
    })
    let result = await records.next()
    for (; !result.done; result = await records.next()) {
      for (const record of result.value) {
        if (record.fields.length === 1 && record.raw.trim() === '') continue // blank line: not a row
        rowsTotal++
        if (record.tooLong || record.raw.length > DEFAULT_MAX_RECORD_CHARS) {
          // keep only the start: a megabyte of one cell is not worth storing twice
          reject(
            { ...record, raw: record.raw.slice(0, 2000) },
            {
              reason: 'line-too-long',
              detail: 'The line is longer than 1 MB; only its start is kept here',
            },
          )
        } else if (record.unterminated)
          reject(record, {
            reason: 'unterminated-quote',
            detail: 'A quoted field is not closed before the end of the file',
          })
        else if (record.fields.length !== header.length) {
          reject(record, {
            reason: 'wrong-field-count',
            detail: `The row has ${record.fields.length} fields; the header has ${header.length}`,
          })
        } else {
          const normalised = normaliseRow(record.fields, input.mapping, withActivities)
          if ('rejection' in normalised) reject(record, normalised.rejection)
          else accept(record, normalised.row)
        }
      }
      onProgress({ bytes, rows: rowsTotal })
    }
    const { sha256, bytes: totalBytes } = result.value
    bytes = totalBytes

    if (rowsTotal === 0) {
      throw new WorkbenchError(
        'invalid-input',
        'The file has a header but no data rows: there is nothing to import.',
      )
    }
    const previous = db
      .prepare('SELECT id FROM imports WHERE file_sha256 = ? AND id <> ? ORDER BY id LIMIT 1')
      .get(sha256, importId) as { id: number } | undefined
    if (previous && input.duplicate === 'skip') {
      db.exec('ROLLBACK')
      await rm(join(input.dataDir, storedFile), { force: true })
      return summary({
        importId: null,
        skipped: true,
        previousImportId: previous.id,
        sha256,
        bytes,
      })
    }
    const rowsRejected = rowsTotal - rowsAccepted
    db.prepare(
      `UPDATE imports SET file_sha256 = ?, file_size = ?, rows_total = ?, rows_accepted = ?, rows_rejected = ?, compounds_new = ?,
         compounds_updated = ?, unusable_json = ?, disagreements_json = ?, stored_file = ?, finished_at = ? WHERE id = ?`,
    ).run(
      sha256,
      bytes,
      rowsTotal,
      rowsAccepted,
      rowsRejected,
      compoundsNew,
      compoundsUpdated,
      JSON.stringify(unusableByReason),
      JSON.stringify(disagreements),
      storedFile,
      new Date().toISOString(),
      importId,
    )
    db.prepare(
      "INSERT INTO audit_log (at, action, entity_type, entity_id, details_json) VALUES (?, 'import', 'import', ?, ?)",
    ).run(
      new Date().toISOString(),
      String(importId),
      JSON.stringify({ file: input.fileName, sha256, rowsTotal, rowsAccepted, rowsRejected }),
    )
    db.exec('COMMIT')
    return summary({
      importId,
      skipped: false,
      previousImportId: previous?.id ?? null,
      sha256,
      bytes,
    })
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK')
    await rm(join(input.dataDir, storedFile), { force: true })
    throw error
  } finally {
    db.close()
  }

  function summary(extra: {
    importId: number | null
    skipped: boolean
    previousImportId: number | null
    sha256: string
    bytes: number
  }): ImportSummary {
    const seconds = (performance.now() - started) / 1000
    return {
      ...extra,
      file: input.fileName || basename(input.filePath),
      format: input.format,
      rowsTotal,
      rowsAccepted,
      rowsRejected: rowsTotal - rowsAccepted,
      rejectionsByReason,
      unusableByReason,
      compoundsNew,
      compoundsUpdated,
      activities,
      disagreements: {
        compared: disagreements.compared,
        mw: disagreements.mw,
        alogp: disagreements.alogp,
      },
      rdkitVersion: input.rdkitVersion,
      seconds,
      rowsPerSecond: seconds > 0 ? rowsTotal / seconds : 0,
    }
  }
}
