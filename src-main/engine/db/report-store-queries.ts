import {
  type ReportKind,
  type ReportRecord,
  type ReportSubject,
  reportSubjectSchema,
} from '../../contract/reports'
import type { Db } from './connection'

/** A `reports` row as stored. */
interface ReportRow {
  id: number
  kind: ReportKind
  subject_json: string
  title: string
  model_version: string
  created_at: string
  file_name: string
  bytes: number
  sha256: string
}

const COLUMNS = 'id, kind, subject_json, title, model_version, created_at, file_name, bytes, sha256'

function toRecord(r: ReportRow): ReportRecord {
  return {
    reportId: r.id,
    kind: r.kind,
    // parsed, not cast: the subject crosses the contract, and a row written by hand must not
    // pass an unknown shape on to the screens
    subject: reportSubjectSchema.parse(JSON.parse(r.subject_json)),
    title: r.title,
    modelVersion: r.model_version,
    createdAt: r.created_at,
    bytes: r.bytes,
    sha256: r.sha256,
    fileName: r.file_name,
  }
}

export function selectReport(db: Db, reportId: number): ReportRecord | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM reports WHERE id = ?`).get(reportId) as
    ReportRow | undefined
  return row ? toRecord(row) : null
}

/** Every stored report, newest first (the id breaks ties within one millisecond). */
export function selectReports(db: Db): ReportRecord[] {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM reports ORDER BY created_at DESC, id DESC`)
    .all() as ReportRow[]
  return rows.map(toRecord)
}

/** The file names the table points at: what the start-up sweep keeps. */
export function selectReportFileNames(db: Db): Set<string> {
  return new Set(db.prepare('SELECT file_name FROM reports').pluck().all() as string[])
}

/**
 * The id the next report will get. Called inside the write transaction that inserts it (the write
 * lock is held, so no other process takes it meanwhile): the file is named after the id before the
 * row exists, and with AUTOINCREMENT an id is never reused, even after the newest was deleted.
 */
export function nextReportId(db: Db): number {
  const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'reports'").pluck().get() as
    number | undefined
  const max = db.prepare('SELECT max(id) FROM reports').pluck().get() as number | null
  return Math.max(seq ?? 0, max ?? 0) + 1
}

export interface NewReport {
  id: number
  subject: ReportSubject
  title: string
  modelVersion: string
  createdAt: string
  options: object
  fileName: string
  bytes: number
  sha256: string
}

export function insertReport(db: Db, r: NewReport): void {
  db.prepare(
    `INSERT INTO reports (id, kind, subject_json, title, model_version, created_at, options_json,
       file_name, bytes, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.id,
    r.subject.kind,
    JSON.stringify(r.subject),
    r.title,
    r.modelVersion,
    r.createdAt,
    JSON.stringify(r.options),
    r.fileName,
    r.bytes,
    r.sha256,
  )
}

/** Deletes a report's row and writes its audit entry; false when there was no such report. */
export function deleteReportRow(
  db: Db,
  record: ReportRecord,
  at: string,
  reason: string | null,
): boolean {
  const deleted = db.prepare('DELETE FROM reports WHERE id = ?').run(record.reportId).changes
  if (deleted === 0) return false
  db.prepare(
    "INSERT INTO audit_log (at, action, entity_type, entity_id, reason, details_json) VALUES (?, 'delete', 'report', ?, ?, ?)",
  ).run(
    at,
    String(record.reportId),
    reason,
    JSON.stringify({
      fileName: record.fileName,
      sha256: record.sha256,
      bytes: record.bytes,
      kind: record.kind,
      subject: record.subject,
      title: record.title,
      createdAt: record.createdAt,
    }),
  )
  return true
}

/** Whether a report's subject is stored: a model version, a drift check or a prediction batch. */
export function subjectExists(db: Db, subject: ReportSubject): boolean {
  switch (subject.kind) {
    case 'model-card':
      return (
        db.prepare('SELECT 1 FROM model_versions WHERE version = ?').get(subject.version) !==
        undefined
      )
    case 'drift':
      return (
        db.prepare('SELECT 1 FROM drift_runs WHERE id = ?').get(subject.driftRunId) !== undefined
      )
    case 'batch':
      return (
        db.prepare('SELECT 1 FROM prediction_batches WHERE id = ?').get(subject.batchId) !==
        undefined
      )
  }
}
