import { createHash, randomUUID } from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { WorkbenchError } from '../../contract'
import type { ReportRecord, ReportSubject } from '../../contract/reports'
import type { EngineContext } from '../context'
import type { Db } from '../db/connection'
import {
  deleteReportRow,
  insertReport,
  nextReportId,
  selectReport,
  selectReportFileNames,
  selectReports,
} from '../db/report-store-queries'
import { writeTransaction } from '../db/write-transaction'

/** The data folder's folder of stored reports. */
export const REPORTS_DIR = 'reports'

/** What a report file is called while it is written, before its row exists. */
const TEMP_PREFIX = '.report-'
const TEMP_SUFFIX = '.html.partial'

/**
 * How old a file in `reports/` without a row must be before the start-up sweep removes it. Another
 * process (the CLI beside the app) may be between writing its file and committing its row: that
 * takes at most the write deadline (30 s) after the file was written, so a quarter of an hour
 * leaves it alone with room to spare.
 */
export const ORPHAN_AGE_MS = 15 * 60 * 1000

export function reportsDir(dataDir: string): string {
  return join(dataDir, REPORTS_DIR)
}

/**
 * The data folder's `reports/`, made on first use readable by its owner only (0700; files 0600):
 * reports hold a lab's unpublished results. Like the database beside it, nobody else on the
 * machine has any business reading them.
 */
function ensureReportsDir(dataDir: string): string {
  const dir = reportsDir(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

/** The part of a subject that names it: "v3", a check's or a batch's id. */
function subjectLabel(subject: ReportSubject): string {
  switch (subject.kind) {
    case 'model-card':
      return subject.version
    case 'drift':
      return String(subject.driftRunId)
    case 'batch':
      return String(subject.batchId)
  }
}

/**
 * `report-<id>-<kind>-<subject>.html`, e.g. `report-4-model-card-v3.html`. Only letters, digits,
 * `.`, `_` and `-`: the contract already restricts subjects to such values, and anything else is
 * replaced so a name can never climb out of `reports/` or trip a file system.
 */
export function reportFileName(reportId: number, subject: ReportSubject): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60)
  return `report-${reportId}-${safe(subject.kind)}-${safe(subjectLabel(subject))}.html`
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** A report rendered and written to its temporary file, waiting for its row. */
export interface WrittenReport {
  subject: ReportSubject
  title: string
  modelVersion: string
  /** the generation time written into the document */
  createdAt: string
  options: object
  /** the temporary file's size and SHA-256, as written */
  bytes: number
  sha256: string
}

/**
 * A new temporary file's path in `reports/` (the folder made if needed), for writeReportFile.
 * Its name marks it as unfinished until commitReport renames it.
 */
export function newReportTempPath(dataDir: string): string {
  return join(ensureReportsDir(dataDir), `${TEMP_PREFIX}${randomUUID()}${TEMP_SUFFIX}`)
}

/**
 * Writes a report's bytes to a temporary file, owner-only, flushed to disk before it returns;
 * gives the size and SHA-256 of what was written. Synchronous: it runs in the worker thread that
 * rendered the report, so the engine's thread neither copies nor hashes the megabytes.
 */
export function writeReportFile(
  temp: string,
  bytes: Uint8Array,
): { bytes: number; sha256: string } {
  const fd = openSync(temp, 'wx', 0o600)
  try {
    let done = 0
    while (done < bytes.byteLength) done += writeSync(fd, bytes, done)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return { bytes: bytes.byteLength, sha256: sha256Hex(bytes) }
}

/**
 * Stores a report written to `temp` (writeReportFile): the file and its row together or neither.
 *
 * The bytes are already on disk (fsync) under a temporary name, outside any transaction. Then, in
 * one write transaction: the row is inserted, the file renamed to its final name and the folder
 * flushed, and only then committed. So:
 * - a crash while writing leaves a temporary file and no row;
 * - a crash after the rename but before the commit leaves a named file whose row was rolled back;
 * - the rename is on disk before the commit is, so a committed row always has its file.
 * Both kinds of leftover are never listed (the list is the table) and are removed by the start-up
 * sweep (removeOrphanedReports) once they are a quarter of an hour old. On failure the temporary
 * file is removed here.
 */
export async function commitReport(
  ctx: Pick<EngineContext, 'db' | 'options'>,
  temp: string,
  report: WrittenReport,
  beforeCommit: () => void = () => undefined,
): Promise<ReportRecord> {
  const dir = reportsDir(ctx.options.dataDir)
  let stored: string | null = null
  try {
    beforeCommit()
    const db = ctx.db
    return await writeTransaction(db, () => {
      const reportId = nextReportId(db)
      const fileName = reportFileName(reportId, report.subject)
      insertReport(db, { id: reportId, fileName, ...report })
      const path = join(dir, fileName)
      renameSync(temp, path)
      // only now is there a file of ours under that name to remove if the commit fails
      stored = path
      syncFolder(dir)
      return {
        reportId,
        kind: report.subject.kind,
        subject: report.subject,
        title: report.title,
        modelVersion: report.modelVersion,
        createdAt: report.createdAt,
        bytes: report.bytes,
        sha256: report.sha256,
        fileName,
      }
    })
  } catch (error) {
    removeTempReport(temp)
    if (stored !== null) removeTempReport(stored)
    throw reportWriteFailed(error)
  }
}

/**
 * Removes a report's leftover file after a failure; a failed removal must not hide why the report
 * was not stored (the start-up sweep removes it later).
 */
export function removeTempReport(path: string): void {
  try {
    rmSync(path, { force: true })
  } catch {
    // removed at the next start by removeOrphanedReports
  }
}

/** A file system's refusal (disk full, permissions, a folder in the way) as a clear error. */
export function reportWriteFailed(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code
  if (error instanceof WorkbenchError || typeof code !== 'string' || !code.startsWith('E'))
    return error
  return new WorkbenchError(
    'file-not-readable',
    `The report could not be written to the data folder's ${REPORTS_DIR} folder (${code}). Nothing was stored. Free some disk space or check that folder's permissions, then make the report again.`,
    { reason: code },
  )
}

/** A rendered report's bytes, to be stored by storeReport. */
export interface RenderedReport {
  subject: ReportSubject
  title: string
  modelVersion: string
  /** the generation time written into the document */
  createdAt: string
  options: object
  /** the HTML document, UTF-8 */
  bytes: Uint8Array
}

/**
 * Stores a report whose bytes are at hand (the report job renders and writes in its worker
 * instead): writes them to a temporary file on libuv's threads, flushed to disk, then
 * commitReport. The same guarantees: the file and its row together or neither.
 */
export async function storeReport(
  ctx: Pick<EngineContext, 'db' | 'options'>,
  report: RenderedReport,
  beforeCommit: () => void = () => undefined,
): Promise<ReportRecord> {
  const { bytes, ...rest } = report
  let temp: string | null = null
  try {
    temp = newReportTempPath(ctx.options.dataDir)
    const file = await open(temp, 'wx', 0o600)
    try {
      await file.writeFile(bytes)
      await file.sync()
    } finally {
      await file.close()
    }
  } catch (error) {
    if (temp !== null) removeTempReport(temp)
    throw reportWriteFailed(error)
  }
  return commitReport(
    ctx,
    temp,
    { ...rest, bytes: bytes.byteLength, sha256: sha256Hex(bytes) },
    beforeCommit,
  )
}

/** Makes a rename durable: on POSIX the new name lives in the folder, which has its own fsync. */
function syncFolder(dir: string): void {
  let fd: number | null = null
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch (error) {
    // Windows cannot open a folder for fsync (EISDIR/EPERM); NTFS journals the rename itself.
    if (process.platform !== 'win32') throw error
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

export function listReports(ctx: Pick<EngineContext, 'db'>): ReportRecord[] {
  return selectReports(ctx.db)
}

function reportNotFound(reportId: number): WorkbenchError {
  return new WorkbenchError(
    'not-found',
    `There is no stored report #${reportId}. It may have been deleted; the Reports list shows those kept.`,
    { reportId },
  )
}

/** A stored report's row; `not-found` for an unknown id. */
export function reportRecord(db: Db, reportId: number): ReportRecord {
  const record = selectReport(db, reportId)
  if (!record) throw reportNotFound(reportId)
  return record
}

/**
 * A stored report and its HTML, read from its file and checked against the SHA-256 stored when it
 * was made. An unknown id is `not-found`; a file that is gone or unreadable is `file-not-readable`,
 * and one whose bytes changed is `checksum-mismatch`, each naming the file. A report that was
 * altered on disk is never shown or sent as if it were the one that was made.
 */
export function readReport(
  ctx: EngineContext,
  reportId: number,
): { record: ReportRecord; html: string } {
  return readStoredReport(ctx.db, ctx.options.dataDir, reportId)
}

export function readStoredReport(
  db: Db,
  dataDir: string,
  reportId: number,
): { record: ReportRecord; html: string } {
  const record = reportRecord(db, reportId)
  const path = join(reportsDir(dataDir), record.fileName)
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new WorkbenchError(
      'file-not-readable',
      code === 'ENOENT'
        ? `The file of report #${reportId} ("${record.fileName}" in the data folder's ${REPORTS_DIR} folder) is missing: it was moved or deleted outside the app. Delete the report and make it again.`
        : `The file of report #${reportId} ("${record.fileName}" in the data folder's ${REPORTS_DIR} folder) cannot be read (${code ?? 'unknown error'}). Check the folder's permissions, or delete the report and make it again.`,
      { reportId, fileName: record.fileName, path, reason: code ?? 'unknown' },
    )
  }
  const actual = sha256Hex(bytes)
  if (actual !== record.sha256) {
    throw new WorkbenchError(
      'checksum-mismatch',
      `The file of report #${reportId} ("${record.fileName}" in the data folder's ${REPORTS_DIR} folder) has been changed since the report was made: its SHA-256 no longer matches the one stored. It is not shown, so an altered copy is never taken for the original. Delete the report and make it again.`,
      { reportId, fileName: record.fileName, path, expected: record.sha256, actual },
    )
  }
  return { record, html: bytes.toString('utf8') }
}

/**
 * Deletes a report: its row and an audit entry in one transaction, then its file. The file goes
 * after the commit, so a crash in between leaves a file without a row (removed by the start-up
 * sweep) and never a listed report without its file. Deleting twice is `not-found`.
 */
export async function deleteReport(
  ctx: Pick<EngineContext, 'db' | 'options'>,
  reportId: number,
  reason: string | null,
): Promise<ReportRecord> {
  const db = ctx.db
  const record = await writeTransaction(db, () => {
    const found = reportRecord(db, reportId)
    if (!deleteReportRow(db, found, new Date().toISOString(), reason))
      throw reportNotFound(reportId)
    return found
  })
  try {
    rmSync(join(reportsDir(ctx.options.dataDir), record.fileName), { force: true })
  } catch {
    // the row is gone and audited; a file that cannot be removed now is swept at the next start
  }
  return record
}

/**
 * Removes what reports that never committed left in `reports/`: temporary files, and report files
 * no row names, once they are ORPHAN_AGE_MS old (younger ones may belong to a report another
 * process is committing this moment). Anything else in the folder is left alone. Runs at start.
 */
export function removeOrphanedReports(db: Db, dataDir: string, now = Date.now()): number {
  const dir = reportsDir(dataDir)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return 0
  }
  const kept = selectReportFileNames(db)
  let removed = 0
  for (const name of names) {
    const temp = name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)
    const report = /^report-\d+-[A-Za-z0-9._-]+\.html$/.test(name) && !kept.has(name)
    if (!temp && !report) continue
    const path = join(dir, name)
    try {
      if (now - statSync(path).mtimeMs < ORPHAN_AGE_MS) continue
      rmSync(path, { force: true })
      removed++
    } catch {
      // gone meanwhile, or not ours to remove: the next start tries again
    }
  }
  return removed
}
