import type { RetrainPolicy, TrainingSetSummary, TriggerState } from '../../../contract'
import type { Db } from '../../db/connection'
import type { ModelRow } from '../../models/registry'
import { lastTrainedDecisionAt, latestCheckAfter, usableMeasurementsSince } from './queries'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * The policy's triggers as they stand for the production model. Everything counts from `since`:
 * the later of the production model's creation and the target's last decision that trained a
 * challenger, so a drift check, a batch of measurements or a schedule acts once, not at every run.
 */
export function evaluateTriggers(
  db: Db,
  policy: RetrainPolicy,
  production: ModelRow,
  options: { force: boolean; now?: Date },
): { triggers: TriggerState[]; since: string } {
  const target = production.target_chembl_id
  const last = lastTrainedDecisionAt(db, target)
  const since = last && last > production.created_at ? last : production.created_at
  const sinceWhat =
    since === production.created_at
      ? `since ${production.version} was trained`
      : 'since the last retraining'
  const t = policy.triggers
  const triggers: TriggerState[] = []

  const drift = latestCheckAfter(db, production.version, since, 'dataset-drift')
  triggers.push({
    kind: 'dataset-drift',
    enabled: t.datasetDrift,
    fired: t.datasetDrift && drift !== null,
    detail: drift
      ? `drift check #${drift.id} found the dataset drifted (${drift.featuresDrifted} of ${drift.featuresTested} features) ${sinceWhat}`
      : `no check of ${production.version} found the dataset drifted ${sinceWhat}`,
    ...(drift ? { driftRunId: drift.id } : {}),
  })

  const degraded = latestCheckAfter(db, production.version, since, 'performance-degraded')
  triggers.push({
    kind: 'performance-degraded',
    enabled: t.performanceDegraded,
    fired: t.performanceDegraded && degraded !== null,
    detail: degraded
      ? `drift check #${degraded.id} found ${production.version}'s performance degraded on new measured data`
      : `no check of ${production.version} found its performance degraded ${sinceWhat}`,
    ...(degraded ? { driftRunId: degraded.id } : {}),
  })

  const summary = JSON.parse(production.training_set_json) as TrainingSetSummary
  const types = summary.types
  const added = usableMeasurementsSince(db, target, types, since)
  triggers.push({
    kind: 'new-measurements',
    enabled: t.newMeasurements !== null,
    fired: t.newMeasurements !== null && added >= t.newMeasurements,
    detail: `${added} new usable ${types.join('/')} measurement${added === 1 ? '' : 's'} ${sinceWhat}${t.newMeasurements !== null ? ` (policy: ${t.newMeasurements})` : ''}`,
  })

  const now = options.now ?? new Date()
  const days = Math.floor((now.getTime() - Date.parse(since)) / DAY_MS)
  triggers.push({
    kind: 'schedule',
    enabled: t.scheduleDays !== null,
    fired: t.scheduleDays !== null && days >= t.scheduleDays,
    detail: `${days} day${days === 1 ? '' : 's'} ${sinceWhat}${t.scheduleDays !== null ? ` (policy: every ${t.scheduleDays})` : ''}`,
  })

  if (options.force)
    triggers.push({
      kind: 'manual',
      enabled: true,
      fired: true,
      detail: 'retraining was asked for by hand',
    })
  return { triggers, since }
}
