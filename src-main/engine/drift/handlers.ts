import { WorkbenchError } from '../../contract'
import { featureDrift } from '../../ml/drift'
import type { HandlerGroup } from '../context'
import { dataChanged } from '../data-changed'
import { selectDriftCheck, selectDriftHistory, upsertDriftSettings } from '../db/drift-queries'
import { writeTransaction } from '../db/write-transaction'
import { audit } from '../models/registry'
import { resolveModel } from '../predict/loaded-model'
import { driftSettingsOf } from './check'
import { simulateDrift } from './simulate'
import { startDriftCheck } from './start-check'

/** The features a model's drift settings may name: those a check tests (fingerprint bits are not). */
function testedFeatures(names: string[]): string[] {
  return names.filter((n) => !n.startsWith('morgan_'))
}

export const driftHandlers: HandlerGroup<
  | 'drift.run'
  | 'drift.simulate'
  | 'drift.get'
  | 'drift.history'
  | 'drift.settings'
  | 'drift.saveSettings'
> = {
  'drift.run': async (input, ctx) => startDriftCheck(ctx, input, 'manual'),

  'drift.simulate': async (input, ctx) => simulateDrift(ctx, input),

  'drift.get': (input, ctx) => {
    const check = selectDriftCheck(ctx.db, input.driftRunId)
    if (!check)
      throw new WorkbenchError('not-found', `There is no drift check #${input.driftRunId}.`)
    return check
  },

  'drift.history': (input, ctx) => selectDriftHistory(ctx.db, input),

  'drift.settings': (input, ctx) => driftSettingsOf(ctx, resolveModel(ctx.db, input.model)),

  'drift.saveSettings': async (input, ctx) => {
    const model = resolveModel(ctx.db, input.model)
    const known = testedFeatures(model.featureNames)
    const unknown = Object.keys(input.settings.features).filter((name) => !known.includes(name))
    if (unknown.length > 0)
      throw new WorkbenchError(
        'invalid-input',
        `${model.row.version} has no feature ${unknown.map((n) => `"${n}"`).join(', ')}. Its features are: ${known.join(', ')}.`,
      )
    // The statistics' own check of a test and threshold (a p-value threshold between 0 and 1,
    // a distance above 0), run once on a tiny sample so the rule lives in one place.
    for (const [name, options] of Object.entries(input.settings.features))
      featureDrift([0, 1, 2], [0, 1, 2], options, `"${name}"`)
    await writeTransaction(ctx.db, () => {
      upsertDriftSettings(ctx.db, model.row.id, input.settings)
      audit(ctx.db, 'drift-settings', model.row.version, null, input.settings)
    })
    dataChanged(ctx, ['drift'])
    return driftSettingsOf(ctx, model)
  },
}
