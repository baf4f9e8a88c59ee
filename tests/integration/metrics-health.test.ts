import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../src-main/engine/engine'
import { startTestEngine, tempDir } from '../helpers'
import { freePort, http } from '../metrics-helpers'

// /health and /metrics when the database cannot be read: 503 with the reason, and the endpoint
// keeps answering.

describe('the monitoring endpoint without a readable database', () => {
  let dir: ReturnType<typeof tempDir>
  let engine: Engine
  beforeEach(() => {
    dir = tempDir('assay-health-')
    engine = startTestEngine(dir.path)
  })
  afterEach(async () => {
    await engine.close()
    dir.remove()
  })

  it('answers 503 with a JSON reason on both routes, and keeps answering', async () => {
    const port = await freePort()
    for (const [key, value] of [
      ['metrics.port', port],
      ['metrics.enabled', true],
    ] as const) {
      const set = await engine.invoke('settings.set', { key, value })
      expect(set.ok).toBe(true)
    }
    const healthy = await http(port, '/health')
    expect(healthy.status).toBe(200)
    expect(JSON.parse(healthy.body)).toMatchObject({ status: 'ok', productionModels: [] })
    // the connection closes under the endpoint, as during a restore
    const db = engine.context.db
    db.close()
    const health = await http(port, '/health')
    expect(health.status).toBe(503)
    const body = JSON.parse(health.body) as { status: string; reason: string }
    expect(body.status).toBe('unavailable')
    expect(body.reason).toMatch(/^The database cannot be read: .*not open/)
    const metrics = await http(port, '/metrics')
    expect(metrics.status).toBe(503)
    expect(JSON.parse(metrics.body)).toMatchObject({ ok: false, error: { code: 'database-busy' } })
  })
})
