import {
  type JobStarted,
  MIN_COMPARISON_ROWS,
  type ParsedInput,
  type RetrainComparison,
  type RetrainDecision,
  type RetrainOutcome,
  type TriggerState,
  WorkbenchError,
} from '../../../contract'
import type { EngineContext } from '../../context'
import { dataChanged } from '../../data-changed'
import { readPolicy } from '../../db/automation-queries'
import { writeTransaction } from '../../db/write-transaction'
import type { JobContext } from '../../jobs/job-runner'
import { audit, productionRow, promote } from '../../models/registry'
import { trainModel } from '../../models/train'
import { type TrainingSet, buildTrainingSetOnWorker } from '../../models/training-set'
import { recordActivity } from '../activity'
import { challengerPlan } from './challenger'
import { compareOnNewCompounds } from './comparison'
import { decide } from './decision'
import { policyEnabled, policyState, requireTarget, savePolicy } from './policy'
import { evaluateTriggers } from './triggers'

export { policyEnabled, policyState, savePolicy }

/** Who asked for a policy run: recorded with its timeline entries and audit rows. */
export type RetrainTrigger = 'watch' | 'schedule' | 'manual' | 'cli'

/** Starts `automation.retrain` as a job; a target the database does not know is refused first. */
export function startRetrain(
  ctx: EngineContext,
  input: ParsedInput<'automation.retrain'>,
  trigger: RetrainTrigger,
): Promise<JobStarted> {
  return Promise.resolve().then(() => {
    requireTarget(ctx, input.target)
    let busy = running.get(ctx)
    if (!busy) running.set(ctx, (busy = new Set()))
    const targets = busy
    if (targets.has(input.target))
      throw new WorkbenchError(
        'already-running',
        `A retraining of ${input.target} is already running; wait for its decision.`,
        { target: input.target },
      )
    targets.add(input.target)
    try {
      return ctx.jobs.start('automation.retrain', (job) =>
        runPolicy(ctx, job, input, trigger).finally(() => targets.delete(input.target)),
      )
    } catch (error) {
      targets.delete(input.target)
      throw error
    }
  })
}

/** Targets whose retrain runs now, per engine: one at a time per target. */
const running = new WeakMap<EngineContext, Set<string>>()

/**
 * Runs a target's policy once: evaluates its triggers; when one fired (or `force`), trains a
 * challenger as the production model was trained, on all current data; compares the two on the
 * compounds measured since; and promotes the challenger only when the policy allows it and it is
 * significantly better. A dry run stops after the plan. Every step is a timeline entry; the
 * training, the promotion and the decision are audited.
 */
export async function runPolicy(
  ctx: EngineContext,
  job: JobContext,
  input: ParsedInput<'automation.retrain'>,
  trigger: RetrainTrigger,
): Promise<RetrainOutcome> {
  const { target, dryRun, force } = input
  const at = new Date().toISOString()
  const stored = readPolicy(ctx.db, target)
  const policy = stored.policy
  const base = {
    target,
    dryRun,
    challenger: null,
    comparison: null,
    plan: null,
    activityId: null,
    at,
  }
  job.progress({ phase: 'checking the triggers', fraction: 0.02 })
  const production = productionRow(ctx.db, target)
  if (!production)
    return finish(ctx, trigger, {
      ...base,
      triggered: false,
      reasons: [],
      triggers: [],
      champion: null,
      decision: 'no-production-model',
      explanation: `${target} has no production model to compare a challenger with; train one and promote it first`,
    })

  const { triggers } = evaluateTriggers(ctx.db, policy, production, { force })
  const fired = triggers.filter(
    (t) => t.enabled && t.fired && (policy.enabled || t.kind === 'manual'),
  )
  const reasons = fired.map((t) => t.detail)
  const triggered = fired.length > 0
  const champion = production.version
  // what every outcome from here on says
  const judged = { ...base, triggered, reasons, triggers, champion }
  if (!triggered)
    return finish(ctx, trigger, {
      ...judged,
      decision: 'not-triggered',
      explanation: policy.enabled
        ? `no trigger of the retraining policy of ${target} fired: ${
            triggers
              .filter((t) => t.enabled)
              .map((t) => t.detail)
              .join('; ') || 'no trigger is switched on'
          }`
        : `the retraining policy of ${target} is off`,
    })

  const reason = `retraining policy of ${target}: ${reasons.join('; ')}`
  const plan = challengerPlan(production, policy, reason)
  job.progress({ phase: 'reading the training set', fraction: 0.05 })
  let set: TrainingSet
  try {
    set = await buildTrainingSetOnWorker(ctx, plan.definition)
  } catch (error) {
    // the production model's data is gone or no longer makes a training set
    if (error instanceof WorkbenchError && error.code === 'cancelled') throw error
    return finish(ctx, trigger, {
      ...judged,
      decision: 'failed',
      explanation: `retraining ${target} failed: its training set could not be built (${error instanceof Error ? error.message : String(error)}); no model was registered`,
    })
  }
  const planned = {
    learner: plan.input.learner,
    featureSet: plan.input.featureSet,
    rows: set.data.n,
    types: plan.definition.types,
  }
  if (dryRun)
    return finish(ctx, trigger, {
      ...judged,
      plan: planned,
      decision: 'dry-run',
      explanation: `would train a ${planned.learner} challenger on ${planned.rows.toLocaleString('en')} ${target} compounds (${planned.types.join('/')}, ${planned.featureSet}) and compare it with ${champion} on the compounds measured since; nothing was trained`,
    })

  await recordActivity(ctx, {
    kind: 'retrain-started',
    target,
    modelVersion: champion,
    summary: `Retraining ${target}: a ${planned.learner} challenger to ${champion} on ${planned.rows.toLocaleString('en')} compounds, because ${reasons.join('; ')}`,
    details: { trigger, reasons, plan: planned, champion },
  })

  let challenger: string | null = null
  try {
    job.throwIfCancelled()
    const trained = await trainModel(
      ctx,
      plan.input,
      set,
      progressShifted(job),
      plan.params ? { params: plan.params } : {},
    )
    challenger = trained.modelVersion
    dataChanged(ctx, ['models', 'runs'])
    job.progress({ phase: 'comparing with the production model', fraction: 0.96 })
    const compared = await compareOnNewCompounds(ctx, production, challenger, job.signal)
    const decision = decide({
      challenger,
      champion,
      autoPromote: policy.autoPromote,
      newCompounds: compared.newCompounds,
      comparison: compared.comparison,
      ...(compared.reason ? { noComparisonReason: compared.reason } : {}),
    })
    const outcome: RetrainOutcome = {
      ...judged,
      challenger,
      comparison: compared.comparison,
      plan: planned,
      decision: decision.decision,
      explanation: decision.explanation,
    }
    const challengerVersion = challenger
    await writeTransaction(ctx.db, () => {
      if (decision.decision === 'promoted')
        promote(
          ctx.db,
          challengerVersion,
          `promoted by the retraining policy of ${target} (saved ${stored.updatedAt?.slice(0, 16).replace('T', ' ') ?? 'never'}): ${decision.explanation}`,
        )
      audit(ctx.db, 'retrain-decision', challengerVersion, decision.explanation, {
        decision: decision.decision,
        trigger,
        reasons,
        champion,
        newCompounds: compared.newCompounds,
        comparison: compared.comparison,
        policy,
      })
    })
    if (decision.decision === 'promoted') dataChanged(ctx, ['models'])
    return finish(ctx, trigger, outcome)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const cancelled = error instanceof WorkbenchError && error.code === 'cancelled'
    const outcome: RetrainOutcome = {
      ...judged,
      challenger,
      plan: planned,
      decision: 'failed',
      explanation: `retraining ${target} ${cancelled ? 'was cancelled' : `failed: ${message}`}${challenger ? `; ${challenger} was registered and stays a candidate` : '; no model was registered'}`,
    }
    await finish(ctx, trigger, outcome)
    if (cancelled) throw error
    return outcome
  }
}

/** The training's progress inside the job's (the triggers and the set before, the comparison after). */
function progressShifted(job: JobContext): JobContext {
  return {
    jobId: job.jobId,
    signal: job.signal,
    throwIfCancelled: () => job.throwIfCancelled(),
    // Once the challenger is being registered, the run is not cancelled any more: a cancel would
    // say "cancelled" about a model that is kept. The comparison and the decision that follow
    // take seconds.
    pointOfNoReturn: () => job.pointOfNoReturn(),
    progress: (p) =>
      job.progress({
        ...p,
        phase: `training the challenger: ${p.phase}`,
        fraction: 0.08 + 0.86 * p.fraction,
      }),
  }
}

const LEVEL: Record<RetrainDecision, 'info' | 'notice' | 'warning'> = {
  'not-triggered': 'info',
  'dry-run': 'info',
  'no-production-model': 'info',
  promoted: 'notice',
  'kept-candidate': 'notice',
  failed: 'warning',
}

/** Records the decision (or the failure) on the timeline and returns the outcome with its entry's id. */
async function finish(
  ctx: EngineContext,
  trigger: RetrainTrigger,
  outcome: Omit<RetrainOutcome, 'activityId'> & { activityId: number | null },
): Promise<RetrainOutcome> {
  const failed = outcome.decision === 'failed'
  const entry = await recordActivity(ctx, {
    kind: failed ? 'retrain-failed' : 'retrain-decided',
    level: LEVEL[outcome.decision],
    target: outcome.target,
    modelVersion: outcome.challenger ?? outcome.champion,
    summary: summaryOf(outcome),
    details: {
      decision: outcome.decision,
      trigger,
      reasons: outcome.reasons,
      comparison: outcome.comparison,
      challenger: outcome.challenger,
      champion: outcome.champion,
      outcome,
    },
  })
  return { ...outcome, activityId: entry.id }
}

function summaryOf(o: Omit<RetrainOutcome, 'activityId'>): string {
  const sentence = o.explanation.charAt(0).toUpperCase() + o.explanation.slice(1)
  switch (o.decision) {
    case 'promoted':
      return `${o.target}: ${o.challenger} promoted to production. ${sentence}`
    case 'dry-run':
      return `${o.target} (dry run): ${sentence}`
    default:
      return `${o.target}: ${sentence}`
  }
}

/** The comparison's numbers in a line, for the CLI. */
export function comparisonLine(c: RetrainComparison | null): string {
  if (!c) return `no comparison (fewer than ${MIN_COMPARISON_ROWS} new compounds, or none possible)`
  return `RMSE ${c.rmseChallenger.toFixed(3)} (challenger) vs ${c.rmseChampion.toFixed(3)} (production) on ${c.rows.toLocaleString('en')} new compounds; difference ${c.diff.toFixed(3)}, 95% interval ${c.diffCi[0].toFixed(3)} to ${c.diffCi[1].toFixed(3)} (${c.resamples.toLocaleString('en')} resamples, seed ${c.seed})`
}

export type { TriggerState }
