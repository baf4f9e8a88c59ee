import type { HandlerGroup } from '../context'
import { dataChanged } from '../data-changed'
import { readSettings } from '../db/settings-queries'
import { ensureToken, renewToken } from './token'

export const metricsHandlers: HandlerGroup<
  'metrics.status' | 'metrics.token' | 'metrics.renewToken'
> = {
  'metrics.status': (_input, ctx) => ctx.metricsEndpoint.status(readSettings(ctx.db)),
  // made on first use, so the user can copy it before switching a non-loopback bind on
  'metrics.token': (_input, ctx) => ({ token: ensureToken(ctx.db).token }),
  'metrics.renewToken': (_input, ctx) => {
    const token = renewToken(ctx.db)
    ctx.metricsEndpoint.forgetToken()
    dataChanged(ctx, ['settings'])
    return { token }
  },
}
