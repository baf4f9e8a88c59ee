import { describe, expect, it } from 'vitest'
import { API_RATE_LIMITS, RateLimiter } from '../../src-main/engine/metrics/rate-limit'

/** A limiter on a clock the test moves by hand (milliseconds). */
function limiter() {
  let t = 0
  const l = new RateLimiter(API_RATE_LIMITS, () => t)
  return { l, advance: (ms: number) => (t += ms) }
}

describe('the POST /predict rate limit', () => {
  it('lets a burst of 100 requests through, refuses the 101st, and refills at 50 a second', () => {
    const { l, advance } = limiter()
    for (let i = 0; i < 100; i++) expect(l.request('a').ok).toBe(true)
    const refused = l.request('a')
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 1 })
    // 1/50 s later exactly one more token: one request, not two
    advance(20)
    expect(l.request('a').ok).toBe(true)
    expect(l.request('a').ok).toBe(false)
    // a second later 50 more
    advance(1000)
    for (let i = 0; i < 50; i++) expect(l.request('a').ok).toBe(true)
    expect(l.request('a').ok).toBe(false)
  })

  it('keeps each client to its own bucket', () => {
    const { l } = limiter()
    for (let i = 0; i < 100; i++) l.request('a')
    expect(l.request('a').ok).toBe(false)
    expect(l.request('b').ok).toBe(true)
  })

  it('caps compounds at 100,000 a minute, with Retry-After the seconds until they fit', () => {
    const { l, advance } = limiter()
    for (let i = 0; i < 10; i++) expect(l.compounds('a', 10_000).ok).toBe(true)
    const refused = l.compounds('a', 10_000)
    // 100,000 a minute refill 1,666.7 a second: 10,000 take 6 s
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 6 })
    advance(5_000)
    expect(l.compounds('a', 10_000).ok).toBe(false)
    advance(1_000)
    expect(l.compounds('a', 10_000).ok).toBe(true)
  })

  it('never lets a bucket grow past its burst after a long pause', () => {
    const { l, advance } = limiter()
    l.request('a')
    advance(3_600_000)
    for (let i = 0; i < 100; i++) expect(l.request('a').ok).toBe(true)
    expect(l.request('a').ok).toBe(false)
  })
})
