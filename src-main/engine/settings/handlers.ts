import { type SettingKey, type Settings, settingKeys } from '../../contract'
import type { HandlerGroup } from '../context'
import { readSettings, writeSetting } from '../db/settings-queries'
import { writeTransaction } from '../db/write-transaction'
import { dataChanged } from '../data-changed'

export const settingsHandlers: HandlerGroup<'settings.get' | 'settings.set'> = {
  'settings.get': (_input, ctx) => readSettings(ctx.db),
  'settings.set': async (input, ctx) => {
    const before = readSettings(ctx.db)
    await writeTransaction(ctx.db, () => writeSetting(ctx.db, input.key, input.value))
    const after = readSettings(ctx.db)
    // Setting a value to what it was changes nothing: a listener (the metrics server) is not
    // restarted for it.
    await ctx.services.settingsChanged(changedKeys(before, after), after)
    dataChanged(ctx, ['settings'])
    return after
  },
}

function changedKeys(before: Settings, after: Settings): SettingKey[] {
  return settingKeys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
}
