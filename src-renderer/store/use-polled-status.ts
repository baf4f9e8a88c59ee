import { useCallback, useEffect, useState } from 'react'
import type { DataTable, MethodOutput } from '../../src-main/contract'
import { call } from '../api/client'
import { useApp } from './app-store'
import { useDataVersion } from './use-job'

/** The status methods a card or the status bar follows. */
type StatusMethod = 'metrics.status' | 'automation.status'

/**
 * A service's status (the monitoring endpoint, the watched folder), read again whenever one of
 * `tables` changes and, when `pollMs` is given, every so often: a scrape or a file waiting to be
 * complete changes it without any event.
 */
export function usePolledStatus<M extends StatusMethod>(
  method: M,
  tables: readonly DataTable[],
  pollMs?: number,
) {
  const ready = useApp((s) => s.status !== null)
  const changed = useDataVersion(...tables)
  const [status, setStatus] = useState<MethodOutput<M> | null>(null)
  const refresh = useCallback(async () => {
    try {
      setStatus(await call(method, {} as never))
    } catch {
      setStatus(null)
    }
  }, [method])
  useEffect(() => {
    if (ready) void refresh()
  }, [ready, refresh, changed])
  useEffect(() => {
    if (!ready || !pollMs) return
    const timer = setInterval(() => void refresh(), pollMs)
    return () => clearInterval(timer)
  }, [ready, pollMs, refresh])
  return { status, refresh }
}

/**
 * A settings card's changes: one at a time (`busy`), the engine's refusal shown (`problem`), the
 * settings read again after a refusal (a refused change may have changed others: a busy port
 * switches the endpoint off), and the status read again after every change.
 */
export function useSettingChange(refresh: () => Promise<void>) {
  const loadSettings = useApp((s) => s.loadSettings)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const change = async (work: () => Promise<unknown>) => {
    setProblem(null)
    setBusy(true)
    try {
      await work()
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
      await loadSettings().catch(() => undefined)
    } finally {
      setBusy(false)
      await refresh()
    }
  }
  return { problem, setProblem, busy, change }
}
