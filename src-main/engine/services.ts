import type { SettingKey, Settings } from '../contract'

/**
 * A long-lived part of the engine (the job runner, the worker pool, ONNX sessions, the database's
 * background checks, a network listener): started once in order when the engine opens, stopped
 * once in reverse order when it closes, so nothing is stopped while a part started after it (and
 * so possibly using it) still runs.
 */
export interface Service<C = unknown> {
  readonly name: string
  /** Begins the service's work; a throw (or rejection) stops the services started before it. */
  start(ctx: C): void | Promise<void>
  /**
   * Told at the beginning of a close, before any service stops, so that none starts new work
   * (a timer firing into a worker pool that is about to close). Optional.
   */
  halt?(): void
  /** Ends the service's work and releases what it holds. Called at most once. */
  stop(): void | Promise<void>
  /** The settings this service reacts to; it is told only when one of these changed. */
  readonly settings?: readonly SettingKey[]
  /** The changed keys it listens to, and every setting's value after the change. */
  onSettingsChanged?(keys: SettingKey[], settings: Settings): void | Promise<void>
}

/** Where a service failed, with the service's name so a log or an error says which part. */
export class ServiceError extends Error {
  constructor(
    readonly service: string,
    readonly phase: 'start' | 'stop',
    override readonly cause: unknown,
  ) {
    super(
      `The engine's ${service} failed to ${phase}: ${cause instanceof Error ? cause.message : String(cause)}`,
    )
  }
}

/**
 * The engine's services in start order. `start` runs them one after another; when one fails, the
 * ones already started are stopped in reverse and the failure is thrown. `stop` stops every
 * started one in reverse order, even when one of them fails, and is idempotent: a second call
 * waits for the first.
 */
export class ServiceList<C = unknown> {
  private readonly started: Service<C>[] = []
  private stopping: Promise<void> | null = null

  constructor(private readonly services: readonly Service<C>[]) {
    const names = new Set<string>()
    for (const s of services) {
      if (names.has(s.name)) throw new Error(`Two engine services are named ${s.name}.`)
      names.add(s.name)
    }
  }

  /** The names of the services running now, in start order. */
  running(): string[] {
    return this.started.map((s) => s.name)
  }

  async start(ctx: C): Promise<void> {
    if (this.stopping) throw new Error('The engine services were stopped; they do not restart.')
    for (const service of this.services) {
      try {
        await service.start(ctx)
      } catch (error) {
        await this.stop().catch(() => undefined)
        throw error
      }
      this.started.push(service)
    }
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopAll()
    return this.stopping
  }

  /**
   * Tells each started service that listens to one of `keys` (settings whose value changed),
   * in start order. Every interested service is told even when one fails; the first failure is
   * thrown after, as the service threw it (a service explains its own refusal, such as a port in
   * use, with a WorkbenchError).
   */
  async settingsChanged(keys: readonly SettingKey[], settings: Settings): Promise<void> {
    if (keys.length === 0 || this.stopping) return
    const failures: unknown[] = []
    for (const service of this.started) {
      const heard = keys.filter((k) => service.settings?.includes(k))
      if (heard.length === 0 || !service.onSettingsChanged) continue
      try {
        await service.onSettingsChanged(heard, settings)
      } catch (error) {
        failures.push(error)
      }
    }
    if (failures.length > 0) throw failures[0]
  }

  private async stopAll(): Promise<void> {
    const toStop = this.started.splice(0).reverse()
    for (const service of toStop) service.halt?.()
    const failures: ServiceError[] = []
    for (const service of toStop) {
      try {
        await service.stop()
      } catch (error) {
        failures.push(new ServiceError(service.name, 'stop', error))
      }
    }
    if (failures.length > 0) throw failures[0]
  }
}
