import { type RetrainOutcome, automationRetrainInput } from '../contract'
import { comparisonLine, startRetrain } from '../engine/automation/retrain/run-policy'
import { type Command, UsageError, waitForJob } from './cli-common'

export const RETRAIN_HELP = `  assay retrain --target ID [--dry-run] [--force] [--json] [--data-dir D]
                                             run the target's retraining policy once: its triggers,
                                             a challenger, the comparison and the decision
                                             (--dry-run: say what would happen, train nothing;
                                             --force: run even when no trigger fired)
`

/** The outcome as `--json` prints it: the issue's keys first, then the rest. */
export function retrainJson(o: RetrainOutcome) {
  return {
    target: o.target,
    triggered: o.triggered,
    reasons: o.reasons,
    challenger: o.challenger,
    champion: o.champion,
    comparison: o.comparison && {
      rows: o.comparison.rows,
      rmseChallenger: o.comparison.rmseChallenger,
      rmseChampion: o.comparison.rmseChampion,
      diffCi: o.comparison.diffCi,
      diff: o.comparison.diff,
      resamples: o.comparison.resamples,
      seed: o.comparison.seed,
    },
    decision: o.decision,
    explanation: o.explanation,
    dryRun: o.dryRun,
    triggers: o.triggers,
    plan: o.plan,
    activityId: o.activityId,
    at: o.at,
  }
}

function formatOutcome(o: RetrainOutcome): string {
  const lines = [
    `Retraining policy of ${o.target}${o.dryRun ? ' (dry run)' : ''}: ${o.decision}`,
    `Production model: ${o.champion ?? 'none'}${o.challenger ? `; challenger: ${o.challenger}` : ''}`,
    ...o.triggers.map(
      (t) =>
        `  ${o.reasons.includes(t.detail) ? 'FIRED' : t.fired ? 'would' : t.enabled ? 'on   ' : 'off  '} ${t.kind}: ${t.detail}`,
    ),
  ]
  if (o.plan)
    lines.push(
      `Plan: ${o.plan.learner} on ${o.plan.rows} compounds (${o.plan.types.join('/')}, ${o.plan.featureSet})`,
    )
  if (o.challenger) lines.push(`Comparison: ${comparisonLine(o.comparison)}`)
  lines.push(o.explanation)
  return `${lines.join('\n')}\n`
}

export const RETRAIN_COMMANDS: Record<string, Command> = {
  retrain: {
    options: {
      target: { type: 'string' },
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
    },
    async run(engine, values, _p, io) {
      if (typeof values.target !== 'string') throw new UsageError('retrain needs --target ID')
      const parsed = automationRetrainInput.safeParse({
        target: values.target,
        dryRun: values['dry-run'] === true,
        force: values.force === true,
      })
      if (!parsed.success)
        throw new UsageError(
          `--target: ${parsed.error.issues.map((i) => i.message).join('; ')}, not ${values.target}`,
        )
      const { jobId } = await startRetrain(engine.context, parsed.data, 'cli')
      const outcome = await waitForJob(engine, 'automation.retrain', jobId)
      io.stdout(values.json ? `${JSON.stringify(retrainJson(outcome))}\n` : formatOutcome(outcome))
      return outcome.decision === 'failed' ? 1 : 0
    },
  },
}
