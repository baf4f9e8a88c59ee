import { DEFAULT_METRICS_BIND, WorkbenchError, isLoopback } from '../../contract'
import type { HandlerGroup } from '../context'
import { readSettings } from '../db/settings-queries'

export const metricsHandlers: HandlerGroup<
  'metrics.status' | 'metrics.token' | 'metrics.renewToken'
> = {
  'metrics.status': (_input, ctx) => {
    const s = readSettings(ctx.db)
    return {
      enabled: s['metrics.enabled'],
      listening: false,
      address: null,
      port: s['metrics.port'],
      bind: s['metrics.bind'] ?? DEFAULT_METRICS_BIND,
      tokenRequired: !isLoopback(s['metrics.bind']),
      predictEnabled: s['metrics.predict'],
      lastScrapeAt: null,
      listeningSince: null,
      error: null,
    }
  },
  'metrics.token': () => {
    throw new WorkbenchError('not-found', 'The monitoring endpoint has no token yet.')
  },
  'metrics.renewToken': () => {
    throw new WorkbenchError('not-found', 'The monitoring endpoint has no token yet.')
  },
}
