import type { HandlerGroup } from '../context'
import { listActivity } from '../db/automation-queries'
import { policyState, savePolicy, startRetrain } from './retrain/run-policy'

export const automationHandlers: HandlerGroup<
  | 'automation.status'
  | 'automation.activity'
  | 'automation.policy'
  | 'automation.savePolicy'
  | 'automation.retrain'
> = {
  'automation.status': (_input, ctx) => ctx.watch.status(ctx),
  'automation.activity': (input, ctx) => listActivity(ctx.db, input),
  'automation.policy': (input, ctx) => policyState(ctx, input.target),
  'automation.savePolicy': (input, ctx) => savePolicy(ctx, input),
  'automation.retrain': (input, ctx) => startRetrain(ctx, input, 'manual'),
}
