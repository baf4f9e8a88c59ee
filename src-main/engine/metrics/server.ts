import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import {
  DEFAULT_METRICS_BIND,
  MAX_API_BODY_BYTES,
  type MetricsStatus,
  type SettingKey,
  type Settings,
  WorkbenchError,
  isLoopback,
} from '../../contract'
import { appVersion } from '../app/versions'
import type { EngineContext, MetricsEndpointOverride } from '../context'
import { dataChanged } from '../data-changed'
import { schemaVersion } from '../db/connection'
import { readSettings, writeSetting } from '../db/settings-queries'
import { writeTransaction } from '../db/write-transaction'
import {
  HttpError,
  closeServer,
  listen,
  readBody,
  sameToken,
  sendFailure,
  sendJson,
  sendText,
} from '../http/http-helpers'
import type { Service } from '../services'
import { handleApiPredict } from './predict-route'
import { readStoredState } from './recorder'
import { ensureToken, storedToken } from './token'

/** Where the endpoint listens and what it serves. */
export interface EndpointConfig {
  port: number
  bind: string
  predict: boolean
  /** a token given by the host, used instead of the stored one */
  token?: string
}

/**
 * Every route the endpoint has. `token`: `always` asks for the bearer token on any bind address;
 * `off-loopback` only when bound to an address other machines can reach. `/predict` is mounted
 * only while `metrics.predict` is on. Anything else is 404; there are no CORS headers, so no
 * page on another site can read an answer.
 */
export const METRICS_ROUTES = [
  { method: 'GET', path: '/metrics', token: 'off-loopback', needsPredict: false },
  { method: 'GET', path: '/health', token: 'off-loopback', needsPredict: false },
  { method: 'POST', path: '/predict', token: 'always', needsPredict: true },
] as const

export const METRICS_SETTINGS: readonly SettingKey[] = [
  'metrics.enabled',
  'metrics.port',
  'metrics.bind',
  'metrics.predict',
]

/** "http://127.0.0.1:9477", with an IPv6 address in brackets. */
export function endpointAddress(bind: string, port: number): string {
  return `http://${bind.includes(':') ? `[${bind}]` : bind}:${port}`
}

/** The Host headers a loopback bind answers: its own names for itself, with the port. */
function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]
}

/**
 * The monitoring listener: serves `/metrics`, `/health` and (switched on separately)
 * `POST /predict` on its own port. Started and stopped as an engine service; follows the
 * `metrics.*` settings in the desktop app and the web host, or the host's fixed values
 * (`assay serve`).
 */
export class MetricsEndpoint {
  private server: Server | null = null
  private ctx: EngineContext | null = null
  private active: EndpointConfig | null = null
  private since: string | null = null
  private error: string | null = null
  private token: string | null = null
  private stopped = false
  /** a token this endpoint made because it had none (the CLI prints it once) */
  createdToken: string | null = null

  /** What the Settings screen and the status bar show. */
  status(settings: Settings): MetricsStatus {
    const fixed = this.ctx?.options.metricsEndpoint
    const port = this.active?.port ?? fixed?.port ?? settings['metrics.port']
    const bind =
      this.active?.bind ?? fixed?.bind ?? settings['metrics.bind'] ?? DEFAULT_METRICS_BIND
    return {
      enabled: fixed ? true : settings['metrics.enabled'],
      listening: this.server !== null,
      address: this.server ? endpointAddress(bind, port) : null,
      port,
      bind,
      tokenRequired: !isLoopback(bind),
      predictEnabled: this.active?.predict ?? fixed?.predict ?? settings['metrics.predict'],
      lastScrapeAt: this.ctx?.metrics.lastScrapeAt ?? null,
      listeningSince: this.since,
      error: this.error,
    }
  }

  /** The address while serving, else null. */
  get address(): string | null {
    return this.server && this.active ? endpointAddress(this.active.bind, this.active.port) : null
  }

  /** The token changed (renewed): the next request reads the new one. */
  forgetToken(): void {
    this.token = null
  }

  async start(ctx: EngineContext): Promise<void> {
    this.ctx = ctx
    const fixed = ctx.options.metricsEndpoint
    if (fixed) {
      // the host asked for it explicitly: failing to listen is its failure to report
      await this.serve(fixed)
      return
    }
    if (ctx.options.host === 'cli') return
    const settings = readSettings(ctx.db)
    if (!settings['metrics.enabled']) return
    try {
      await this.serve(configFrom(settings))
    } catch (error) {
      // A port taken since the last run: the engine starts anyway, and the status says why the
      // endpoint does not serve. The setting stays on so it serves again once the port is free.
      this.error = error instanceof Error ? error.message : String(error)
    }
  }

  async settingsChanged(settings: Settings): Promise<void> {
    const ctx = this.ctx
    if (!ctx || this.stopped || ctx.options.metricsEndpoint || ctx.options.host === 'cli') return
    if (!settings['metrics.enabled']) {
      await this.close()
      this.error = null
      return
    }
    const wanted = configFrom(settings)
    if (this.server && this.active?.port === wanted.port && this.active.bind === wanted.bind) {
      // only the /predict switch changed: no need to drop the connections
      this.active = wanted
      if (wanted.predict) ensureToken(ctx.db)
      return
    }
    await this.close()
    try {
      await this.serve(wanted)
      this.error = null
    } catch (error) {
      // "leaves it off": the switch goes back to off, and the caller hears why
      await writeTransaction(ctx.db, () => writeSetting(ctx.db, 'metrics.enabled', false))
      dataChanged(ctx, ['settings'])
      this.error = error instanceof Error ? error.message : String(error)
      throw error
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.close()
  }

  /** Listens with `config`; a taken port or a missing address is a `port-in-use` error. */
  async serve(config: EndpointConfig): Promise<void> {
    const ctx = this.ctx
    if (!ctx) throw new Error('The monitoring endpoint was not started.')
    // a token exists before anything needs it: /predict always, /metrics off loopback
    if (config.token === undefined && (config.predict || !isLoopback(config.bind))) {
      const { token, created } = ensureToken(ctx.db)
      if (created) this.createdToken = token
    }
    const server = createServer((req, res) => void this.handle(req, res))
    server.keepAliveTimeout = 5_000
    server.requestTimeout = 30_000
    let port: number
    try {
      port = await listen(server, config.port, config.bind)
    } catch (error) {
      throw listenError(error, config)
    }
    this.server = server
    this.active = { ...config, port }
    this.since = new Date().toISOString()
    this.token = null
  }

  private async close(): Promise<void> {
    const server = this.server
    this.server = null
    this.active = null
    this.since = null
    if (server) await closeServer(server)
  }

  private currentToken(): string | null {
    if (this.active?.token !== undefined) return this.active.token
    if (this.token === null && this.ctx) this.token = storedToken(this.ctx.db)
    return this.token
  }

  private requireToken(req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers.authorization ?? ''
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    const expected = this.currentToken()
    if (!match?.[1] || expected === null || !sameToken(match[1], expected)) {
      res.setHeader('www-authenticate', 'Bearer realm="assay"')
      throw new HttpError(401, 'unauthorized', 'A valid bearer token is required.')
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const active = this.active
      const ctx = this.ctx
      if (!active || !ctx) throw new HttpError(503, 'not-allowed', 'The endpoint is closing.')
      if (isLoopback(active.bind)) {
        // DNS rebinding: a page whose name now points at 127.0.0.1 still sends its own name.
        if (!loopbackHosts(active.port).includes(req.headers.host ?? ''))
          throw new HttpError(
            421,
            'unauthorized',
            `This endpoint only answers requests for 127.0.0.1:${active.port}.`,
          )
      }
      // On any other bind address the Host header names the machine as each client knows it and
      // cannot be checked; the bearer token, required there for every route, is the guard.
      const path = (req.url ?? '/').split('?')[0]
      const route = METRICS_ROUTES.find(
        (r) => r.path === path && (!r.needsPredict || active.predict),
      )
      if (!route) throw new HttpError(404, 'not-found', 'There is nothing here.')
      if (req.method !== route.method) {
        res.setHeader('allow', route.method)
        throw new HttpError(405, 'not-allowed', `${path} answers ${route.method} only.`)
      }
      if (route.token === 'always' || !isLoopback(active.bind)) this.requireToken(req, res)
      if (route.path === '/metrics') await this.metrics(ctx, res)
      else if (route.path === '/health') this.health(ctx, res)
      else {
        const body = await readBody(req, MAX_API_BODY_BYTES)
        const answer = await handleApiPredict(ctx, body, req.socket.remoteAddress ?? 'unknown')
        for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v)
        sendJson(res, answer.status, answer.body)
      }
    } catch (error) {
      sendFailure(res, error, 'The monitoring endpoint')
    }
  }

  private async metrics(ctx: EngineContext, res: ServerResponse): Promise<void> {
    let text: string
    try {
      text = await ctx.metrics.scrape()
    } catch (error) {
      throw new HttpError(
        503,
        'database-busy',
        `The database cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    sendText(res, 200, text, ctx.metrics.contentType)
  }

  private health(ctx: EngineContext, res: ServerResponse): void {
    const uptimeSeconds = Math.round((Date.now() - ctx.startedAt.getTime()) / 1000)
    let body: HealthReport
    try {
      body = healthReport(ctx, uptimeSeconds)
    } catch (error) {
      sendJson(res, 503, {
        status: 'unavailable',
        reason: `The database cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        appVersion: appVersion(),
        uptimeSeconds,
      })
      return
    }
    sendJson(res, 200, body)
  }
}

export interface HealthReport {
  status: 'ok'
  appVersion: string
  schemaVersion: number
  uptimeSeconds: number
  productionModels: { target: string; version: string; learner: string; trainedAt: string }[]
  driftChecks: {
    target: string
    version: string
    checkedAt: string
    /** "dataset drift", "performance degraded" or "no drift" */
    verdict: 'dataset drift' | 'performance degraded' | 'no drift'
    driftedShare: number
    datasetDrift: boolean
    performanceDegraded: boolean | null
  }[]
}

function healthReport(ctx: EngineContext, uptimeSeconds: number): HealthReport {
  const s = readStoredState(ctx.db, ctx.options.dataDir)
  return {
    status: 'ok',
    appVersion: appVersion(),
    schemaVersion: schemaVersion(ctx.db),
    uptimeSeconds,
    productionModels: s.models.map((m) => ({
      target: m.target,
      version: m.version,
      learner: m.learner,
      trainedAt: m.createdAt,
    })),
    driftChecks: s.checks.map((c) => ({
      target: c.target,
      version: c.version,
      checkedAt: c.createdAt,
      verdict: c.datasetDrift
        ? 'dataset drift'
        : c.degraded === true
          ? 'performance degraded'
          : 'no drift',
      driftedShare: c.share,
      datasetDrift: c.datasetDrift,
      performanceDegraded: c.degraded,
    })),
  }
}

function configFrom(settings: Settings): EndpointConfig {
  return {
    port: settings['metrics.port'],
    bind: settings['metrics.bind'] ?? DEFAULT_METRICS_BIND,
    predict: settings['metrics.predict'],
  }
}

function listenError(error: unknown, config: EndpointConfig): Error {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE' || code === 'EACCES')
    return new WorkbenchError(
      'port-in-use',
      `Port ${config.port} is in use by another program, so the monitoring endpoint stays off. Choose another port.`,
    )
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAFNOSUPPORT')
    return new WorkbenchError(
      'port-in-use',
      `This computer has no network address ${config.bind}, so the monitoring endpoint cannot listen on port ${config.port} there and stays off.`,
    )
  return error instanceof Error ? error : new Error(String(error))
}

/** The endpoint as an engine service, hearing the `metrics.*` settings. */
export function metricsService(endpoint: MetricsEndpoint): Service<EngineContext> {
  return {
    name: 'metrics endpoint',
    settings: METRICS_SETTINGS,
    start: (ctx) => endpoint.start(ctx),
    stop: () => endpoint.stop(),
    onSettingsChanged: (_keys, settings) => endpoint.settingsChanged(settings),
  }
}

/** For hosts that fix the address (`assay serve`). */
export type { MetricsEndpointOverride }
