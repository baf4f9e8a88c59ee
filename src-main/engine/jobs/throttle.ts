/**
 * Lets at most one value through every `intervalMs`; the newest value that arrived in between is
 * sent when the interval ends. Progress from a tight loop would otherwise flood the renderer.
 */
export interface Throttle<T> {
  push(value: T): void
  /** Drops a pending value and stops the timer (the job has finished). */
  cancel(): void
}

export function throttle<T>(
  intervalMs: number,
  send: (value: T) => void,
  now: () => number = Date.now,
): Throttle<T> {
  let lastSent = Number.NEGATIVE_INFINITY
  let pending: { value: T } | null = null
  let timer: ReturnType<typeof setTimeout> | null = null

  const flush = () => {
    timer = null
    if (!pending) return
    const { value } = pending
    pending = null
    lastSent = now()
    send(value)
  }

  return {
    push(value) {
      const wait = lastSent + intervalMs - now()
      if (wait <= 0 && !timer) {
        lastSent = now()
        send(value)
        return
      }
      pending = { value }
      if (!timer) timer = setTimeout(flush, Math.max(0, wait))
    },
    cancel() {
      pending = null
      if (timer) clearTimeout(timer)
      timer = null
    },
  }
}
