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
  let running: Promise<void> = Promise.resolve()
  const tick = (ctx: EngineContext) => {
    running = running
      .then(async () => {
        for (const target of dueBySchedule(ctx)) {
          if (halted) return
          const { jobId } = await startRetrain(
            ctx,
            { target, dryRun: false, force: false },
            'schedule',
          )
          await ctx.jobs.waitFor('automation.retrain', jobId)
        }
      })
      .catch((error: unknown) =>
        console.warn(
          `The retraining schedule could not run: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
  }
  return {
    name: 'retraining schedule',
    async start(ctx) {
      // The sweep runs wherever an engine starts except the command line, which may run beside
      // an app whose retrain is still going; the schedule only in the long-running hosts.
      if (ctx.options.host !== 'cli') await sweepInterruptedRetrains(ctx)
      if (ctx.options.host !== 'electron' && ctx.options.host !== 'web') return
      tick(ctx)
      timer = setInterval(() => tick(ctx), HOUR_MS)
      timer.unref()
    },
    halt() {
      halted = true
      if (timer) clearInterval(timer)
      timer = null
    },
    async stop() {
      halted = true
      if (timer) clearInterval(timer)
      timer = null
      await running
    },
  }
}
