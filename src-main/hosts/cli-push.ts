import { hostname } from 'node:os'
import { PUSHED_METRICS } from '../engine/metrics/catalogue'
import { UsageError } from './cli-common'

/**
 * Pushgateway for CLI jobs: `assay import | train | predict | drift` run from cron or a pipeline
 * end before any Prometheus could scrape them, so with `--push-gateway URL` each job pushes its
 * outcome when it ends, also when it fails. A gateway that cannot be reached is a warning, never a
 * failed job: the data the job stored matters more than the metric about it.
 */

/** The commands that take `--push-gateway URL`. */
export const PUSHING_COMMANDS: ReadonlySet<string> = new Set([
  'import',
  'train',
  'predict',
  'drift',
])

/** A push that gets no answer in this time is given up, so a dead gateway cannot hold a cron job. */
export const PUSH_TIMEOUT_MS = 3000

export interface JobOutcome {
  /** the command, e.g. "import": the job is `assay_import` */
  command: string
  durationSeconds: number
  rows: number
  success: boolean
  /** Unix time in seconds */
  completedAt: number
}

/** Checks the URL the user typed: http(s) only, so a typo is a usage error before the job runs. */
export function parsePushGateway(value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--push-gateway takes a URL like http://host:9091, not "${value}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--push-gateway takes an http or https URL, not "${value}"`)
  return url
}

/** The Prometheus text exposition of one job's outcome (the PUSHED_METRICS families). */
export function jobExposition(outcome: JobOutcome): string {
  const values: Record<keyof typeof PUSHED_METRICS, number> = {
    assay_job_duration_seconds: outcome.durationSeconds,
    assay_job_rows: outcome.rows,
    assay_job_success: outcome.success ? 1 : 0,
    assay_job_last_completion_timestamp_seconds: outcome.completedAt,
  }
  return (Object.keys(PUSHED_METRICS) as (keyof typeof PUSHED_METRICS)[])
    .map((name) => {
      const spec = PUSHED_METRICS[name]
      return `# HELP ${name} ${spec.help}\n# TYPE ${name} ${spec.type}\n${name} ${values[name]}\n`
    })
    .join('')
}

/** The grouping key path: job `assay_<command>`, instance this machine's host name. */
export function pushPath(base: URL, command: string, instance = hostname()): URL {
  const root = base.href.replace(/\/+$/, '')
  return new URL(
    `${root}/metrics/job/${encodeURIComponent(`assay_${command}`)}/instance/${encodeURIComponent(instance || 'unknown')}`,
  )
}

/**
 * PUTs the outcome (replacing the group's earlier push, so a failed run's rows do not linger).
 * Resolves with a one-line warning when the push did not land, or null.
 */
export async function pushJobOutcome(base: URL, outcome: JobOutcome): Promise<string | null> {
  const url = pushPath(base, outcome.command)
  try {
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain; version=0.0.4' },
      body: jobExposition(outcome),
      signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    })
    if (response.ok) return null
    const text = (await response.text().catch(() => '')).trim().split('\n')[0]?.slice(0, 200)
    return `the Pushgateway at ${base.origin} answered ${response.status}${text ? `: ${text}` : ''}; the job's metrics were not pushed`
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
    const why =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer in ${PUSH_TIMEOUT_MS / 1000} s`
        : cause instanceof Error
          ? cause.message
          : String(cause)
    return `could not reach the Pushgateway at ${base.origin} (${why}); the job's metrics were not pushed`
  }
}
