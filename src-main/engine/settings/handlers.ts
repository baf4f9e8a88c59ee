import type { HandlerGroup } from '../context'
import { readSettings, writeSetting } from '../db/settings-queries'
import { writeTransaction } from '../db/write-transaction'
import { dataChanged } from '../data-changed'

export const settingsHandlers: HandlerGroup<'settings.get' | 'settings.set'> = {
  'settings.get': (_input, ctx) => readSettings(ctx.db),
  'settings.set': async (input, ctx) => {
    await writeTransaction(ctx.db, () => writeSetting(ctx.db, input.key, input.value))
    dataChanged(ctx, ['settings'])
    return readSettings(ctx.db)
  },
}
