import { z } from 'zod'
import { seedFeaturesSchema, smilesSchema } from './predictions'

/**
 * Team monitoring: an opt-in listener, on its own port, that serves `/metrics` (Prometheus text
 * exposition), `/health` (JSON) and, behind a second switch and always behind the token,
 * `POST /predict`. Off unless the user turns it on (settings `metrics.*`).
 */

export const DEFAULT_METRICS_PORT = 9477
export const DEFAULT_METRICS_BIND = '127.0.0.1'

/** Addresses that only this machine can reach: the endpoint may serve them without a token. */
export function isLoopback(bind: string): boolean {
  return bind === '127.0.0.1' || bind === '::1' || bind === 'localhost' || /^127\./.test(bind)
}

/** What the Settings screen and the status bar show. */
export interface MetricsStatus {
  enabled: boolean
  /** serving now */
  listening: boolean
  /** e.g. "http://127.0.0.1:9477" while listening */
  address: string | null
  port: number
  bind: string
  /** /metrics and /health ask for the bearer token (any bind address but loopback) */
  tokenRequired: boolean
  /** POST /predict is switched on (always behind the token) */
  predictEnabled: boolean
  /** ISO time of the last GET /metrics answered, this run */
  lastScrapeAt: string | null
  /** ISO time the listener started, this run */
  listeningSince: string | null
  /** why it is not serving though switched on (a busy port, an address this machine lacks) */
  error: string | null
}

/** The bearer token, shown to the user to copy into the team's Prometheus configuration. */
export interface MetricsToken {
  token: string
}

export const metricsRenewTokenInput = z.object({}).strict()

/** At most this many compounds in one POST /predict. */
export const MAX_API_COMPOUNDS = 10_000
/** At most this many bytes in one POST /predict body (413 past it). */
export const MAX_API_BODY_BYTES = 4 * 1024 ** 2

/** One compound for POST /predict: the four features, or a SMILES. */
export const apiCompoundSchema = z.union([
  z.object({ id: z.string().max(200).optional(), smiles: smilesSchema }).strict(),
  z.object({ id: z.string().max(200).optional(), features: seedFeaturesSchema }).strict(),
])
export type ApiCompound = z.infer<typeof apiCompoundSchema>

/** The body of POST /predict. */
export const apiPredictInput = z
  .object({
    /** default: the production model (of `target`, or the only one) */
    model: z
      .string()
      .trim()
      .regex(/^v\d{1,9}$/, 'a model version like v3')
      .optional(),
    target: z.string().trim().min(1).max(64).optional(),
    compounds: z.array(apiCompoundSchema).min(1).max(MAX_API_COMPOUNDS),
  })
  .strict()
export type ApiPredictInput = z.infer<typeof apiPredictInput>
