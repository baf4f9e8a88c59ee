import { WorkbenchError } from '../../contract'
import type { HandlerGroup } from '../context'

const notYet = (): never => {
  throw new WorkbenchError('invalid-input', 'Drift checks are not available in this version.')
}

export const driftHandlers: HandlerGroup<
  | 'drift.run'
  | 'drift.simulate'
  | 'drift.get'
  | 'drift.history'
  | 'drift.settings'
  | 'drift.saveSettings'
> = {
  'drift.run': (_input, ctx) => ctx.jobs.start('drift.run', async () => notYet()),
  'drift.simulate': (_input, ctx) => ctx.jobs.start('drift.simulate', async () => notYet()),
  'drift.get': notYet,
  'drift.history': notYet,
  'drift.settings': notYet,
  'drift.saveSettings': notYet,
}
