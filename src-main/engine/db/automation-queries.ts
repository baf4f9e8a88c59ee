import {
  type ActivityEntry,
  type ActivityKind,
  DEFAULT_RETRAIN_POLICY,
  type RetrainPolicy,
  type WatchFileResult,
  type WatchOutcome,
  retrainPolicySchema,
} from '../../contract'
import type { Db } from './connection'

/** A timeline entry before it is stored: no id yet, and links that default to none. */
export interface NewActivity {
  kind: ActivityKind
  level?: ActivityEntry['level']
  target?: string | null
  summary: string
  importId?: number | null
  driftRunId?: number | null
  modelVersion?: string | null
  watchFileId?: number | null
  details?: Record<string, unknown>
  at?: string
}

interface ActivityDb {
  id: number
  at: string
  kind: ActivityKind
  level: ActivityEntry['level']
  target: string | null
  summary: string
  import_id: number | null
  drift_run_id: number | null
  model_version: string | null
  watch_file_id: number | null
  details_json: string
}

function activityOf(r: ActivityDb): ActivityEntry {
  return {
    id: r.id,
    at: r.at,
    kind: r.kind,
    level: r.level,
    target: r.target,
    summary: r.summary,
    importId: r.import_id,
    driftRunId: r.drift_run_id,
    modelVersion: r.model_version,
    watchFileId: r.watch_file_id,
    details: JSON.parse(r.details_json) as Record<string, unknown>,
  }
}

export function insertActivity(db: Db, a: NewActivity): ActivityEntry {
  const id = Number(
    db
      .prepare(
        `INSERT INTO automation_events (at, kind, level, target, summary, import_id, drift_run_id,
           model_version, watch_file_id, details_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.at ?? new Date().toISOString(),
        a.kind,
        a.level ?? 'info',
        a.target ?? null,
        a.summary,
        a.importId ?? null,
        a.driftRunId ?? null,
        a.modelVersion ?? null,
        a.watchFileId ?? null,
        JSON.stringify(a.details ?? {}),
      ).lastInsertRowid,
  )
  return activityOf(
    db.prepare('SELECT * FROM automation_events WHERE id = ?').get(id) as ActivityDb,
  )
}

export function listActivity(
  db: Db,
  q: {
    limit: number
    before?: number | undefined
    target?: string | undefined
    kinds?: ActivityKind[]
  },
): ActivityEntry[] {
  const where: string[] = []
  const args: (string | number)[] = []
  if (q.before !== undefined) {
    where.push('id < ?')
    args.push(q.before)
  }
  if (q.target !== undefined) {
    where.push('target = ?')
    args.push(q.target)
  }
  if (q.kinds && q.kinds.length > 0) {
    where.push(`kind IN (${q.kinds.map(() => '?').join(', ')})`)
    args.push(...q.kinds)
  }
  const rows = db
    .prepare(
      `SELECT * FROM automation_events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ?`,
    )
    .all(...args, q.limit) as ActivityDb[]
  return rows.map(activityOf)
}

// ---------------------------------------------------------------------------------------------
// Files the watcher took

export interface NewWatchFile {
  folder: string
  path: string
  fileName: string
  bytes: number
  sha256: string | null
  outcome: WatchOutcome
  importId: number | null
  previousImportId: number | null
  reason: string | null
  movedTo: string | null
  handledAt: string
}

export function insertWatchFile(db: Db, f: NewWatchFile): number {
  return Number(
    db
      .prepare(
        `INSERT INTO watch_files (folder, path, file_name, bytes, sha256, outcome, import_id,
           previous_import_id, reason, moved_to, handled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        f.folder,
        f.path,
        f.fileName,
        f.bytes,
        f.sha256,
        f.outcome,
        f.importId,
        f.previousImportId,
        f.reason,
        f.movedTo,
        f.handledAt,
      ).lastInsertRowid,
  )
}

/**
 * The result kept with a handled file, once its checks and retrains are known (`result_json` is
 * the only column written after the insert).
 */
export function saveWatchFileResult(db: Db, id: number, result: WatchFileResult): void {
  db.prepare('UPDATE watch_files SET result_json = ? WHERE id = ?').run(JSON.stringify(result), id)
}

/**
 * Whether these bytes were handled at this path and left there (`watch.afterImport` 'leave'): the
 * same file seen again at a restart or after a touch, taken silently as done. A file that was moved
 * aside and is dropped again is a new arrival: it is handled (and found a duplicate by the import).
 */
export function handledBefore(db: Db, path: string, sha256: string): boolean {
  return (
    db
      .prepare(
        'SELECT 1 FROM watch_files WHERE path = ? AND sha256 = ? AND moved_to IS NULL LIMIT 1',
      )
      .get(path, sha256) !== undefined
  )
}

export function watchFilesCount(
  db: Db,
  folder: string,
): { handled: number; lastHandledAt: string | null } {
  const r = db
    .prepare('SELECT count(*) AS n, max(handled_at) AS last FROM watch_files WHERE folder = ?')
    .get(folder) as { n: number; last: string | null }
  return { handled: r.n, lastHandledAt: r.last }
}

// ---------------------------------------------------------------------------------------------
// Retraining policies

export function readPolicy(
  db: Db,
  target: string,
): { policy: RetrainPolicy; isDefault: boolean; updatedAt: string | null } {
  const row = db
    .prepare('SELECT policy_json, updated_at FROM retrain_policies WHERE target_chembl_id = ?')
    .get(target) as { policy_json: string; updated_at: string } | undefined
  if (!row)
    return { policy: structuredClone(DEFAULT_RETRAIN_POLICY), isDefault: true, updatedAt: null }
  const parsed = retrainPolicySchema.safeParse(JSON.parse(row.policy_json))
  // A policy that no longer parses (written by a later version) is treated as off, never guessed at.
  if (!parsed.success)
    return {
      policy: structuredClone(DEFAULT_RETRAIN_POLICY),
      isDefault: true,
      updatedAt: row.updated_at,
    }
  return { policy: parsed.data, isDefault: false, updatedAt: row.updated_at }
}

export function writePolicy(db: Db, target: string, policy: RetrainPolicy, at: string): void {
  db.prepare(
    `INSERT INTO retrain_policies (target_chembl_id, policy_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (target_chembl_id) DO UPDATE SET policy_json = excluded.policy_json, updated_at = excluded.updated_at`,
  ).run(target, JSON.stringify(policy), at)
}

/** Targets whose saved policy is switched on. */
export function enabledPolicyTargets(db: Db): string[] {
  return (
    db
      .prepare(
        'SELECT target_chembl_id, policy_json FROM retrain_policies ORDER BY target_chembl_id',
      )
      .all() as {
      target_chembl_id: string
      policy_json: string
    }[]
  )
    .filter((r) => retrainPolicySchema.safeParse(JSON.parse(r.policy_json)).data?.enabled === true)
    .map((r) => r.target_chembl_id)
}
