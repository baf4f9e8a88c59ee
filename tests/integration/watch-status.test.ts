import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ActivityEntry } from '../../src-main/contract'
import { startTestEngine, tempDir } from '../helpers'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the watched folder status', () => {
  const dir = tempDir('assay-watch-status-')
  const data = join(dir.path, 'data')
  const engine = startTestEngine(data)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })
  const set = async (key: string, value: unknown) => {
    const r = await engine.invoke('settings.set', { key, value })
    if (!r.ok) throw new Error(r.error.message)
  }
  const status = async () => {
    const r = await engine.invoke('automation.status', {})
    if (!r.ok) throw new Error(r.error.message)
    return r.value
  }
  const entries = async (): Promise<ActivityEntry[]> => {
    const r = await engine.invoke('automation.activity', { limit: 100 })
    if (!r.ok) throw new Error(r.error.message)
    return r.value.slice().reverse()
  }

  it('is off by default, and says why it does not watch a folder it cannot', async () => {
    expect(await status()).toMatchObject({ enabled: false, watching: false, error: null })
    await set('watch.enabled', true)
    expect((await status()).error).toContain('No folder is chosen')
    await set('watch.folder', join(dir.path, 'missing'))
    expect((await status()).error).toContain('does not exist')
    await set('watch.folder', data)
    expect((await status()).error).toContain('data folder')
    await set('watch.folder', join(data, 'backups'))
    expect((await status()).error).toMatch(/does not exist|data folder/)
    const errors = (await entries()).filter((e) => e.kind === 'watch-error')
    // each reason once, however often the settings are saved
    await set('watch.stableSeconds', 1)
    expect((await entries()).filter((e) => e.kind === 'watch-error')).toHaveLength(errors.length)
    expect(errors.every((e) => e.level === 'warning')).toBe(true)
  })

  it('stops watching a folder that is removed, and says so', async () => {
    const folder = join(dir.path, 'incoming')
    mkdirSync(folder)
    await set('watch.folder', folder)
    expect(await status()).toMatchObject({ watching: true, error: null, folder })
    rmSync(folder, { recursive: true })
    for (let i = 0; i < 100 && (await status()).watching; i++) await sleep(100)
    expect(await status()).toMatchObject({ watching: false })
    expect((await status()).error).toContain('can no longer be watched')
    const kinds = (await entries()).map((e) => e.kind)
    expect(kinds.slice(-2)).toEqual(['watch-started', 'watch-error'])
  }, 30_000)
})
