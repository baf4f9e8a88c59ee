import { usePolledStatus } from '../../store/use-polled-status'

/**
 * The monitoring endpoint's status, read again whenever the settings change (switching it on or
 * off, a new port, a busy port that turned it off) and, when `pollMs` is given, every so often
 * (the last scrape moves without any setting changing).
 */
export function useMetricsStatus(pollMs?: number) {
  return usePolledStatus('metrics.status', ['settings'], pollMs)
}
