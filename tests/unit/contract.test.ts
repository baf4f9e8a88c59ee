import { describe, expect, it } from 'vitest'
import {
  ERROR_CODES,
  eventNames,
  methodNames,
  methods,
  settingDefaults,
  settingSchemas,
  settingsSetInput,
} from '../../src-main/contract'
import { handlers } from '../../src-main/engine/handlers'

describe('the contract', () => {
  it('has a handler for every method and a method for every handler', () => {
    const handled = Object.keys(handlers).sort()
    expect(handled).toEqual([...methodNames].sort())
    for (const name of methodNames) expect(typeof handlers[name]).toBe('function')
  })

  it('names methods feature.verb and events the same way', () => {
    for (const name of [...methodNames, ...eventNames])
      expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/)
  })

  it('starts with the methods the foundation promises', () => {
    for (const name of [
      'app.status',
      'app.selfTest',
      'jobs.list',
      'jobs.cancel',
      'settings.get',
      'settings.set',
    ]) {
      expect(methodNames).toContain(name)
    }
    expect(eventNames).toEqual(expect.arrayContaining(['job.progress', 'job.finished']))
  })

  it('rejects unknown keys and wrong types in inputs', () => {
    expect(methods['app.status'].input.safeParse({ extra: 1 }).success).toBe(false)
    expect(methods['jobs.cancel'].input.safeParse({ jobId: 42 }).success).toBe(false)
    expect(methods['jobs.cancel'].input.safeParse({}).success).toBe(false)
    expect(methods['app.selfTest'].input.safeParse({ smiles: [] }).success).toBe(false)
    expect(methods['app.selfTest'].input.safeParse({ delayMs: -1 }).success).toBe(false)
    expect(methods['app.selfTest'].input.safeParse({ smiles: ['CCO'], delayMs: 10 }).success).toBe(
      true,
    )
  })

  it('checks a setting value against that setting’s own schema', () => {
    expect(settingsSetInput.safeParse({ key: 'theme', value: 'dark' }).success).toBe(true)
    expect(settingsSetInput.safeParse({ key: 'theme', value: 'purple' }).success).toBe(false)
    expect(settingsSetInput.safeParse({ key: 'metrics.port', value: 80 }).success).toBe(false)
    expect(settingsSetInput.safeParse({ key: 'metrics.port', value: '9464' }).success).toBe(false)
    expect(settingsSetInput.safeParse({ key: 'no.such.setting', value: 1 }).success).toBe(false)
  })

  it('has a valid default for every setting', () => {
    for (const [key, schema] of Object.entries(settingSchemas)) {
      expect(schema.safeParse(settingDefaults[key as keyof typeof settingDefaults]).success).toBe(
        true,
      )
    }
  })

  it('uses unique error codes', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length)
  })
})
