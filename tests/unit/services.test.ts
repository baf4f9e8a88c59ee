import { describe, expect, it } from 'vitest'
import { type SettingKey, type Settings, settingDefaults } from '../../src-main/contract'
import { type Service, ServiceList } from '../../src-main/engine/services'

/** A service that writes what happens to it into a shared log. */
function recorded(
  log: string[],
  name: string,
  options: { failStart?: boolean; failStop?: boolean; settings?: SettingKey[] } = {},
): Service<string> {
  return {
    name,
    settings: options.settings,
    async start(ctx) {
      // a real await, so an order that only holds for synchronous starts would show
      await Promise.resolve()
      if (options.failStart) throw new Error(`${name} cannot start`)
      log.push(`start ${name} with ${ctx}`)
    },
    halt() {
      log.push(`halt ${name}`)
    },
    async stop() {
      await Promise.resolve()
      log.push(`stop ${name}`)
      if (options.failStop) throw new Error(`${name} cannot stop`)
    },
    onSettingsChanged(keys, settings) {
      log.push(`${name} heard ${keys.join(',')} port=${settings['metrics.port']}`)
    },
  }
}

describe('engine services', () => {
  it('start in order and stop in reverse, halting all before stopping any', async () => {
    const log: string[] = []
    const list = new ServiceList(['a', 'b', 'c'].map((n) => recorded(log, n)))
    await list.start('ctx')
    expect(list.running()).toEqual(['a', 'b', 'c'])
    await list.stop()
    expect(log).toEqual([
      'start a with ctx',
      'start b with ctx',
      'start c with ctx',
      'halt c',
      'halt b',
      'halt a',
      'stop c',
      'stop b',
      'stop a',
    ])
    expect(list.running()).toEqual([])
  })

  it('a failing start stops the ones already started, in reverse, and never starts the rest', async () => {
    const log: string[] = []
    const list = new ServiceList([
      recorded(log, 'a'),
      recorded(log, 'b'),
      recorded(log, 'c', { failStart: true }),
      recorded(log, 'd'),
    ])
    await expect(list.start('ctx')).rejects.toThrow('c cannot start')
    expect(log).toEqual([
      'start a with ctx',
      'start b with ctx',
      'halt b',
      'halt a',
      'stop b',
      'stop a',
    ])
    // a list that failed to start does not start again half-stopped
    await expect(list.start('ctx')).rejects.toThrow(/do not restart/)
  })

  it('stop is idempotent: a second call waits for the first and stops nothing twice', async () => {
    const log: string[] = []
    const list = new ServiceList([recorded(log, 'a'), recorded(log, 'b')])
    await list.start('ctx')
    const first = list.stop()
    const second = list.stop()
    await Promise.all([first, second])
    await list.stop()
    expect(log.filter((l) => l.startsWith('stop'))).toEqual(['stop b', 'stop a'])
  })

  it('a failing stop does not keep the others from stopping, and names the service', async () => {
    const log: string[] = []
    const list = new ServiceList([recorded(log, 'a'), recorded(log, 'b', { failStop: true })])
    await list.start('ctx')
    await expect(list.stop()).rejects.toThrow("The engine's b failed to stop: b cannot stop")
    expect(log.filter((l) => l.startsWith('stop'))).toEqual(['stop b', 'stop a'])
  })

  it('tells only the services that listen to a changed setting, and only of those keys', async () => {
    const log: string[] = []
    const list = new ServiceList([
      recorded(log, 'metrics', { settings: ['metrics.enabled', 'metrics.port'] }),
      recorded(log, 'theme-only', { settings: ['theme'] }),
      recorded(log, 'deaf'),
    ])
    await list.start('ctx')
    log.length = 0
    const settings: Settings = { ...settingDefaults, 'metrics.port': 9999 }
    await list.settingsChanged(['metrics.port', 'import.computeDescriptors'], settings)
    await list.settingsChanged([], settings)
    await list.settingsChanged(['import.computeDescriptors'], settings)
    expect(log).toEqual(['metrics heard metrics.port port=9999'])
  })

  it('refuses two services of the same name', () => {
    const log: string[] = []
    expect(() => new ServiceList([recorded(log, 'a'), recorded(log, 'a')])).toThrow(
      /Two engine services are named a/,
    )
  })
})
