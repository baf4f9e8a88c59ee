import {
  type ParsedInput,
  type RetrainOutcome,
  type RetrainPolicyState,
  WorkbenchError,
} from '../../../contract'
import type { EngineContext } from '../../context'
import { readPolicy, writePolicy } from '../../db/automation-queries'
import { writeTransaction } from '../../db/write-transaction'
import { productionRow } from '../../models/registry'
import { recordActivity } from '../activity'
import { insertPolicyAudit, lastOutcomeEntry, targetHasActivities } from './queries'
import { evaluateTriggers } from './triggers'

/** Refuses a target the database knows nothing of. */
export function requireTarget(ctx: EngineContext, target: string): void {
  if (!targetHasActivities(ctx.db, target))
    throw new WorkbenchError(
      'not-found',
      `There are no activities of target ${target} in the database. Import its measurements first.`,
      { target },
    )
}

/** A target's policy (the defaults when never saved), its triggers as they stand, and its last outcome. */
export function policyState(ctx: EngineContext, target: string): RetrainPolicyState {
  requireTarget(ctx, target)
  const { policy, isDefault, updatedAt } = readPolicy(ctx.db, target)
  const production = productionRow(ctx.db, target)
  const triggers = production
    ? evaluateTriggers(ctx.db, policy, production, { force: false }).triggers
    : []
  const last = lastOutcomeEntry(ctx.db, target)
  let lastOutcome: RetrainOutcome | null = null
  if (last) {
    const details = JSON.parse(last.details_json) as { outcome?: RetrainOutcome }
    if (details.outcome) lastOutcome = { ...details.outcome, activityId: last.id }
  }
  return {
    target,
    policy,
    isDefault,
    updatedAt,
    productionVersion: production?.version ?? null,
    triggers,
    lastOutcome,
  }
}

/** True when the target's saved policy is switched on. */
export function policyEnabled(ctx: EngineContext, target: string): boolean {
  const { policy, isDefault } = readPolicy(ctx.db, target)
  return !isDefault && policy.enabled
}

/**
 * Saves a target's policy: the row and an audit entry with the policy before and after, in one
 * transaction; then a `policy-saved` timeline entry.
 */
export async function savePolicy(
  ctx: EngineContext,
  input: ParsedInput<'automation.savePolicy'>,
): Promise<RetrainPolicyState> {
  requireTarget(ctx, input.target)
  const at = new Date().toISOString()
  const reason = input.reason && input.reason.length > 0 ? input.reason : null
  const before = await writeTransaction(ctx.db, () => {
    const previous = readPolicy(ctx.db, input.target)
    writePolicy(ctx.db, input.target, input.policy, at)
    insertPolicyAudit(ctx.db, input.target, at, reason, {
      before: previous.isDefault ? null : previous.policy,
      after: input.policy,
    })
    return previous
  })
  await recordActivity(ctx, {
    kind: 'policy-saved',
    target: input.target,
    summary: `Retraining policy of ${input.target} saved: ${describePolicy(input.policy)}${reason ? ` (${reason})` : ''}`,
    details: { before: before.isDefault ? null : before.policy, after: input.policy, reason },
  })
  return policyState(ctx, input.target)
}

function describePolicy(p: ParsedInput<'automation.savePolicy'>['policy']): string {
  if (!p.enabled) return 'off'
  const on: string[] = []
  if (p.triggers.datasetDrift) on.push('dataset drift')
  if (p.triggers.performanceDegraded) on.push('degraded performance')
  if (p.triggers.newMeasurements !== null) on.push(`${p.triggers.newMeasurements} new measurements`)
  if (p.triggers.scheduleDays !== null) on.push(`every ${p.triggers.scheduleDays} days`)
  return `on (${on.length > 0 ? on.join(', ') : 'no trigger'}; ${p.learner === 'auto' ? `Auto within ${p.budgetSeconds} s` : 'same learner'}; automatic promotion ${p.autoPromote ? 'on' : 'off'})`
}
