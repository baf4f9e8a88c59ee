import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { throttle } from '../../src-main/engine/jobs/throttle'

describe('progress throttle', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }))
  afterEach(() => vi.useRealTimers())

  it('sends at most one value per interval and the newest value last', () => {
    const sent: { value: number; at: number }[] = []
    const t = throttle<number>(100, (value) => sent.push({ value, at: Date.now() }))
    // 300 pushes, one every 1 ms of (fake) time
    for (let i = 1; i <= 300; i++) {
      t.push(i)
      vi.advanceTimersByTime(1)
    }
    vi.advanceTimersByTime(200)
    // 0..300 ms at one per 100 ms: sends at 0, 100, 200, 300
    expect(sent.map((s) => s.at)).toEqual([0, 100, 200, 300])
    for (let i = 1; i < sent.length; i++)
      expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(100)
    expect(sent[0]!.value).toBe(1)
    expect(sent.at(-1)!.value).toBe(300)
  })

  it('drops a pending value when cancelled', () => {
    const sent: number[] = []
    const t = throttle<number>(100, (v) => sent.push(v))
    t.push(1)
    t.push(2)
    t.cancel()
    vi.advanceTimersByTime(500)
    expect(sent).toEqual([1])
  })
})
