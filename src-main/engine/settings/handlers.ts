import type { HandlerGroup } from '../context'
import { readSettings, writeSetting } from '../db/settings-queries'

export const settingsHandlers: HandlerGroup<'settings.get' | 'settings.set'> = {
  'settings.get': (_input, ctx) => readSettings(ctx.db),
  'settings.set': (input, ctx) => {
    writeSetting(ctx.db, input.key, input.value)
    return readSettings(ctx.db)
  },
}
