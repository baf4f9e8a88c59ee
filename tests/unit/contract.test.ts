import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ERROR_CODES,
  type JobMethodName,
  type JobResult,
  type JobStarted,
  type MethodName,
  type MethodOutput,
  eventNames,
  jobMethodNames,
  methodNames,
  methods,
  settingDefaults,
  settingSchemas,
  settingsSetInput,
} from '../../src-main/contract'
import { handlers } from '../../src-main/engine/handlers'
import { REPO_ROOT } from '../helpers'

// Checked by the compiler (npm run typecheck): a method answering `{ jobId }` without being
// declared with `job(...)`, or declared without its result type, makes one of these `false`.
type AnswersJobStarted = {
  [M in MethodName]: MethodOutput<M> extends JobStarted ? M : never
}[MethodName]
type UndeclaredJob = Exclude<AnswersJobStarted, JobMethodName>
type UntypedResult = {
  [M in JobMethodName]: unknown extends JobResult<M> ? M : never
}[JobMethodName]
const everyJobMethodIsDeclared: [UndeclaredJob] extends [never] ? true : false = true
const everyJobResultIsTyped: [UntypedResult] extends [never] ? true : false = true

/** The kinds the engine's handlers start jobs as, read from their source. */
function startedJobKinds(dir: string): string[] {
  const kinds: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8')
    for (const m of text.matchAll(/jobs\.start\(\s*'([^']+)'/g)) kinds.push(m[1] as string)
  }
  return kinds
}

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

  it('declares a result type for every method that starts a job', () => {
    expect(everyJobMethodIsDeclared).toBe(true)
    expect(everyJobResultIsTyped).toBe(true)
    // Every kind a handler starts a job as is a method declared with job(...), and every such
    // method starts one: a job method declared with method(...) has no result type.
    const started = startedJobKinds(join(REPO_ROOT, 'src-main/engine'))
    expect(started.length).toBeGreaterThan(0)
    expect([...new Set(started)].sort()).toEqual([...jobMethodNames].sort())
    for (const name of methodNames)
      expect(methods[name].job, name).toBe(jobMethodNames.includes(name as JobMethodName))
    expect([...jobMethodNames].sort()).toEqual([
      'app.selfTest',
      'automation.retrain',
      'compounds.standardise',
      'drift.run',
      'drift.simulate',
      'imports.start',
      'models.train',
      'predictions.batch',
      'reports.create',
      'reports.export',
      'search.similarity',
      'search.substructure',
    ])
  })

  it('names data.changed among its events', () => {
    expect(eventNames).toContain('data.changed')
  })

  it('uses unique error codes', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length)
  })
})
