import { useCallback, useEffect, useState } from 'react'
import type { MetricsStatus } from '../../../src-main/contract'
import { call } from '../../api/client'
import { useApp } from '../../store/app-store'
import { useDataVersion } from '../../store/use-job'

/**
 * The monitoring endpoint's status, read again whenever the settings change (switching it on or
 * off, a new port, a busy port that turned it off) and, when `pollMs` is given, every so often
 * (the last scrape moves without any setting changing).
 */
export function useMetricsStatus(pollMs?: number) {
  const ready = useApp((s) => s.status !== null)
  const settingsChanged = useDataVersion('settings')
  const [status, setStatus] = useState<MetricsStatus | null>(null)
  const refresh = useCallback(async () => {
    try {
      setStatus(await call('metrics.status', {}))
    } catch {
      setStatus(null)
    }
  }, [])
  useEffect(() => {
    if (ready) void refresh()
  }, [ready, refresh, settingsChanged])
  useEffect(() => {
    if (!ready || !pollMs) return
    const timer = setInterval(() => void refresh(), pollMs)
    return () => clearInterval(timer)
  }, [ready, pollMs, refresh])
  return { status, refresh }
}
