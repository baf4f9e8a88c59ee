import type { Db } from '../../db/connection'

/** Whether the database holds any activity of this target. */
export function targetHasActivities(db: Db, target: string): boolean {
  return (
    db.prepare('SELECT 1 FROM activity_contexts WHERE target_chembl_id = ? LIMIT 1').get(target) !==
    undefined
  )
}

/** An audit entry about a target's policy (entity_type 'policy'). */
export function insertPolicyAudit(
  db: Db,
  target: string,
  at: string,
  reason: string | null,
  details: object,
): void {
  db.prepare(
    "INSERT INTO audit_log (at, action, entity_type, entity_id, reason, details_json) VALUES (?, 'policy-saved', 'policy', ?, ?, ?)",
  ).run(at, target, reason, JSON.stringify(details))
}

/** The time of the target's last decision that trained a challenger (promoted or kept), or null. */
export function lastTrainedDecisionAt(db: Db, target: string): string | null {
  const row = db
    .prepare(
      `SELECT at FROM automation_events
        WHERE target = ? AND kind = 'retrain-decided'
          AND json_extract(details_json, '$.decision') IN ('promoted', 'kept-candidate')
        ORDER BY id DESC LIMIT 1`,
    )
    .get(target) as { at: string } | undefined
  return row?.at ?? null
}

/** The newest check of a model made after `since` whose dataset drifted / whose performance degraded. */
export function latestCheckAfter(
  db: Db,
  modelVersion: string,
  since: string,
  kind: 'dataset-drift' | 'performance-degraded',
): { id: number; createdAt: string; featuresDrifted: number; featuresTested: number } | null {
  const condition =
    kind === 'dataset-drift'
      ? 'dataset_drifted = 1'
      : "performance_json IS NOT NULL AND json_extract(performance_json, '$.degraded') = 1"
  const row = db
    .prepare(
      `SELECT id, created_at, features_drifted, features_tested FROM drift_runs
        WHERE model_version = ? AND created_at > ? AND ${condition}
        ORDER BY id DESC LIMIT 1`,
    )
    .get(modelVersion, since) as
    | { id: number; created_at: string; features_drifted: number; features_tested: number }
    | undefined
  return row
    ? {
        id: row.id,
        createdAt: row.created_at,
        featuresDrifted: row.features_drifted,
        featuresTested: row.features_tested,
      }
    : null
}

/** Usable measurements of a target and its types in imports finished after `since`. */
export function usableMeasurementsSince(
  db: Db,
  target: string,
  types: string[],
  since: string,
): number {
  if (types.length === 0) return 0
  return db
    .prepare(
      `SELECT count(*) FROM activity_records r
         JOIN activity_contexts x ON x.id = r.context_id
         JOIN imports i ON i.id = r.import_id
        WHERE x.target_chembl_id = ? AND x.standard_type IN (${types.map(() => '?').join(', ')})
          AND r.usable = 1 AND i.finished_at > ?`,
    )
    .pluck()
    .get(target, ...types, since) as number
}

/** The newest decided/failed entry of a target, for the policy panel. */
export function lastOutcomeEntry(
  db: Db,
  target: string,
): { id: number; details_json: string } | undefined {
  return db
    .prepare(
      `SELECT id, details_json FROM automation_events
        WHERE target = ? AND kind IN ('retrain-decided', 'retrain-failed')
        ORDER BY id DESC LIMIT 1`,
    )
    .get(target) as { id: number; details_json: string } | undefined
}

/** Retrains that started and never got a decision (the process died or was killed meanwhile). */
export function unfinishedRetrains(db: Db): { id: number; target: string; at: string }[] {
  return db
    .prepare(
      `SELECT s.id, s.target, s.at FROM automation_events s
        WHERE s.kind = 'retrain-started' AND s.target IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM automation_events e
                           WHERE e.target = s.target AND e.id > s.id
                             AND e.kind IN ('retrain-decided', 'retrain-failed', 'retrain-interrupted'))
        ORDER BY s.id`,
    )
    .all() as { id: number; target: string; at: string }[]
}
