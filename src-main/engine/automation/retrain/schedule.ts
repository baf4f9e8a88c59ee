import { readPolicy, enabledPolicyTargets } from '../../db/automation-queries'
import type { EngineContext } from '../../context'
import { productionRow } from '../../models/registry'
import type { Service } from '../../services'
import { recordActivity } from '../activity'
import { unfinishedRetrains } from './queries'
import { startRetrain } from './run-policy'
import { evaluateTriggers } from './triggers'

const HOUR_MS = 60 * 60 * 1000

/**
 * A retrain that started and has no decision: the process ended during it. Its model, if any,
 * was never registered (registration is one transaction); the timeline says it was interrupted.
 */
export async function sweepInterruptedRetrains(ctx: EngineContext): Promise<number> {
  const open = unfinishedRetrains(ctx.db)
  for (const r of open)
    await recordActivity(ctx, {
      kind: 'retrain-interrupted',
      level: 'warning',
      target: r.target,
      summary: `Retraining ${r.target} (started ${r.at.slice(0, 16).replace('T', ' ')}) did not finish: the app was closed or stopped during it. No model was registered by it.`,
      details: { startedEntry: r.id, startedAt: r.at },
    })
  return open.length
}

/** Targets whose enabled policy has a schedule that is due now. */
export function dueBySchedule(ctx: EngineContext, now = new Date()): string[] {
  return enabledPolicyTargets(ctx.db).filter((target) => {
    const { policy } = readPolicy(ctx.db, target)
    if (!policy.enabled || policy.triggers.scheduleDays === null) return false
    const production = productionRow(ctx.db, target)
    if (!production) return false
    return evaluateTriggers(ctx.db, policy, production, { force: false, now }).triggers.some(
      (t) => t.kind === 'schedule' && t.fired,
    )
  })
}

/**
 * The retraining schedule: at start the interrupted-retrain sweep; in the desktop app and the web
 * host then every hour (and once at start) a run of each enabled policy whose schedule is due,
 * one at a time.
 */
export function retrainScheduleService(): Service<EngineContext> {
  let timer: NodeJS.Timeout | null = null
  let halted = false
  let running = false
  const tick = async (ctx: EngineContext) => {
    if (running || halted) return
    running = true
    try {
      for (const target of dueBySchedule(ctx)) {
        if (halted) return
        try {
          const { jobId } = await startRetrain(
            ctx,
            { target, dryRun: false, force: false },
            'schedule',
          )
          await ctx.jobs.waitFor('automation.retrain', jobId)
        } catch (error) {
          console.warn(
            `The scheduled retraining of ${target} could not run: ${error instanceof Error ? error.message : String(error)}`,
          )
        }
      }
    } finally {
      running = false
    }
  }
  const end = () => {
    halted = true
    if (timer) clearInterval(timer)
    timer = null
  }
  return {
    name: 'retraining schedule',
    async start(ctx) {
      // The sweep runs wherever an engine starts except the command line, which may run beside
      // an app whose retrain is still going; the schedule only in the long-running hosts.
      if (ctx.options.host !== 'cli') await sweepInterruptedRetrains(ctx)
      if (ctx.options.host !== 'electron' && ctx.options.host !== 'web') return
      void tick(ctx)
      timer = setInterval(() => void tick(ctx), HOUR_MS)
      timer.unref()
    },
    halt: end,
    // A retrain under way is not waited for: the job runner, which stops after this, cancels it
    // (nothing is registered half, and its timeline entry says it was cancelled).
    stop: end,
  }
}
