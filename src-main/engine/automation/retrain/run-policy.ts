import type { JobStarted, ParsedInput, RetrainOutcome, RetrainPolicyState } from '../../../contract'
import type { EngineContext } from '../../context'
import type { JobContext } from '../../jobs/job-runner'

/** Who asked for a policy run: recorded with its timeline entries and audit rows. */
export type RetrainTrigger = 'watch' | 'schedule' | 'manual' | 'cli'

/** (Skeleton.) A target's policy and its triggers as they stand. */
export function policyState(_ctx: EngineContext, _target: string): RetrainPolicyState {
  throw new Error('not implemented yet')
}

/** (Skeleton.) Saves a policy, audited. */
export async function savePolicy(
  _ctx: EngineContext,
  _input: ParsedInput<'automation.savePolicy'>,
): Promise<RetrainPolicyState> {
  throw new Error('not implemented yet')
}

/** (Skeleton.) Starts `automation.retrain` as a job. */
export function startRetrain(
  _ctx: EngineContext,
  _input: ParsedInput<'automation.retrain'>,
  _trigger: RetrainTrigger,
): Promise<JobStarted> {
  throw new Error('not implemented yet')
}

/** (Skeleton.) Runs the policy inside a job. */
export async function runPolicy(
  _ctx: EngineContext,
  _job: JobContext,
  _input: ParsedInput<'automation.retrain'>,
  _trigger: RetrainTrigger,
): Promise<RetrainOutcome> {
  throw new Error('not implemented yet')
}
