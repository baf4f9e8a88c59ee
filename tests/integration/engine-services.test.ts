import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type SettingKey, WorkbenchError } from '../../src-main/contract'
import type { EngineContext } from '../../src-main/engine/context'
import { type Engine, createEngine } from '../../src-main/engine/engine'
import type { Service } from '../../src-main/engine/services'
import { WORKER_SOURCE, tempDir } from '../helpers'
import { freePort } from '../metrics-helpers'

/** What a metrics endpoint would do with its settings: listen while enabled, on the set port. */
function fakeListener(log: string[]): Service<EngineContext> {
  let listening: number | null = null
  return {
    name: 'listener',
    settings: ['metrics.enabled', 'metrics.port'],
    start(ctx) {
      // it reads the stored settings through the engine it was started with
      const row = ctx.db.prepare("SELECT count(*) AS n FROM settings WHERE key = 'metrics.enabled'")
      log.push(`start (stored rows ${(row.get() as { n: number }).n})`)
    },
    stop() {
      log.push(`stop (was ${listening ?? 'off'})`)
    },
    onSettingsChanged(keys: SettingKey[], settings) {
      listening = settings['metrics.enabled'] ? settings['metrics.port'] : null
      log.push(`heard ${keys.join(',')}: ${listening ?? 'off'}`)
    },
  }
}

describe('engine services in a real engine', () => {
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir()
  })
  afterEach(() => dir.remove())

  function start(services: Service<EngineContext>[]): Engine {
    return createEngine({ dataDir: dir.path, host: 'test', workerPath: WORKER_SOURCE, services })
  }

  it("runs its own parts and a host's in order, and closes once however often close is called", async () => {
    const log: string[] = []
    const engine = start([fakeListener(log)])
    expect((await engine.invoke('app.status', {})).ok).toBe(true)
    expect(engine.context.services.running()).toEqual([
      'file grants',
      'host capabilities',
      'ONNX sessions',
      'database maintenance',
      'worker pool',
      'job runner',
      'watched folder',
      'retraining schedule',
      'metrics endpoint',
      'listener',
    ])
    await Promise.all([engine.close(), engine.close()])
    await engine.close()
    expect(log).toEqual(['start (stored rows 0)', 'stop (was off)'])
    // the database is closed once, and the pool refuses work after close
    expect(engine.context.db.open).toBe(false)
    await expect(engine.context.pool.run('quickCheck', { path: dir.path })).rejects.toThrow(
      /closed/,
    )
  })

  it('settings.set tells the services that listen to that setting at once, only when it changed', async () => {
    const log: string[] = []
    const engine = start([fakeListener(log)])
    // the engine's own endpoint really listens once enabled: on a port free now
    const port = await freePort()
    try {
      await engine.invoke('settings.set', { key: 'metrics.port', value: port })
      expect(log.at(-1)).toBe('heard metrics.port: off')
      const set = await engine.invoke('settings.set', { key: 'metrics.enabled', value: true })
      expect(set.ok && set.value['metrics.enabled']).toBe(true)
      expect(log.at(-1)).toBe(`heard metrics.enabled: ${port}`)
      const heardBefore = log.length
      // the same value again, and a setting nobody listens to: nobody is told
      await engine.invoke('settings.set', { key: 'metrics.enabled', value: true })
      await engine.invoke('settings.set', { key: 'theme', value: 'dark' })
      expect(log.length).toBe(heardBefore)
    } finally {
      await engine.close()
    }
    expect(log.at(-1)).toBe(`stop (was ${port})`)
  })

  it("a service that cannot start makes every call answer with its error, and close still stops the engine's own", async () => {
    const log: string[] = []
    const engine = start([
      {
        name: 'broken',
        start: () => {
          throw new WorkbenchError('not-allowed', 'Port 9464 is in use by another program.')
        },
        stop: () => {
          log.push('stop broken')
        },
      },
    ])
    const answer = await engine.invoke('app.status', {})
    expect(answer).toEqual({
      ok: false,
      error: { code: 'not-allowed', message: 'Port 9464 is in use by another program.' },
    })
    expect(engine.context.services.running()).toEqual([])
    await engine.close()
    // it never started, so it is not stopped; the engine's own parts were stopped at the failure
    expect(log).toEqual([])
    expect(engine.context.db.open).toBe(false)
    await expect(engine.context.pool.run('quickCheck', { path: dir.path })).rejects.toThrow(
      /closed/,
    )
  })
})
