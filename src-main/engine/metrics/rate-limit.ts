/**
 * The rate limit of POST /predict, per client (its token, else its address): two token buckets,
 * one of requests and one of compounds. Every number the endpoint limits with is here.
 */

export interface RateLimits {
  /** requests a client may make per second, sustained */
  requestsPerSecond: number
  /** requests a client may make at once after a pause */
  requestBurst: number
  /** compounds a client may send per minute, sustained (and at once after a pause) */
  compoundsPerMinute: number
}

export const API_RATE_LIMITS: RateLimits = {
  requestsPerSecond: 50,
  requestBurst: 100,
  compoundsPerMinute: 100_000,
}

/** Clients remembered at most; the longest idle is forgotten first (a full bucket again). */
const MAX_CLIENTS = 1_000

interface Buckets {
  requests: number
  compounds: number
  at: number
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number; why: string }

export class RateLimiter {
  private readonly clients = new Map<string, Buckets>()
  constructor(
    readonly limits: RateLimits = API_RATE_LIMITS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private buckets(key: string): Buckets {
    const t = this.now()
    let b = this.clients.get(key)
    if (b) {
      const seconds = Math.max(0, (t - b.at) / 1000)
      b.requests = Math.min(
        this.limits.requestBurst,
        b.requests + seconds * this.limits.requestsPerSecond,
      )
      b.compounds = Math.min(
        this.limits.compoundsPerMinute,
        b.compounds + (seconds * this.limits.compoundsPerMinute) / 60,
      )
      b.at = t
      // most recently seen last, so the first is the longest idle
      this.clients.delete(key)
    } else {
      b = { requests: this.limits.requestBurst, compounds: this.limits.compoundsPerMinute, at: t }
      if (this.clients.size >= MAX_CLIENTS) {
        const oldest = this.clients.keys().next().value
        if (oldest !== undefined) this.clients.delete(oldest)
      }
    }
    this.clients.set(key, b)
    return b
  }

  /** One request, taken whatever it holds (a malformed one counts too). */
  request(key: string): RateDecision {
    const b = this.buckets(key)
    if (b.requests >= 1) {
      b.requests -= 1
      return { ok: true }
    }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - b.requests) / this.limits.requestsPerSecond)),
      why: `more than ${this.limits.requestsPerSecond} requests a second (bursts of ${this.limits.requestBurst})`,
    }
  }

  /** The compounds of a request that passed `request`. */
  compounds(key: string, n: number): RateDecision {
    const b = this.buckets(key)
    if (b.compounds >= n) {
      b.compounds -= n
      return { ok: true }
    }
    const perSecond = this.limits.compoundsPerMinute / 60
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((n - b.compounds) / perSecond)),
      why: `more than ${this.limits.compoundsPerMinute.toLocaleString('en')} compounds a minute`,
    }
  }
}
