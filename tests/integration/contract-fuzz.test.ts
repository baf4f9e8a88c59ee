import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ERROR_CODES, type Events, methodNames, methods } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { REPO_ROOT, prng, startTestEngine, tempDir } from '../helpers'

/**
 * Every contract method, called with generated inputs: mostly shaped like its schema (so the call
 * reaches the handler), with hostile values mixed in (markup, path climbing, huge and negative
 * numbers, wrong types, very long strings, prototype keys). Whatever comes in, the engine must
 * answer with a result or a specific error, never an `internal` one, and never throw. The count is
 * bounded and the generator seeded, so a failure reproduces.
 */

const CALLS_PER_METHOD = 60
// Methods whose success would end the rest of the run early (the sample's data and models), or
// that copy and check the whole database each time (a few calls say as much as sixty).
const RARELY = new Set(['sample.remove', 'backups.create', 'database.check', 'backups.restore'])

const HOSTILE: unknown[] = [
  null,
  true,
  0,
  -1,
  -0,
  1e308,
  -1e308,
  2 ** 53 + 2,
  0.5,
  '',
  ' ',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '/etc/passwd',
  'uploads/../../../../etc/shadow',
  "'; DROP TABLE imports; --",
  '\u0000',
  '\ud800',
  'x'.repeat(100_000),
  '%00%2e%2e%2f',
  '__proto__',
  [],
  [1, 'a', null],
  {},
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
]

/** Strings that match the contract's patterns (versions, targets) and some that nearly do. */
const PATTERNED = [
  'v1',
  'v2',
  'v3',
  'v999999999',
  'v0',
  'SYNTHETIC-SAMPLE',
  'CHEMBL1978',
  'CHEMBL220',
  'a',
  'IC50',
  'Ki',
  'core4',
  'physchem',
  'gbdt',
  'rf',
  'ridge',
  'auto',
]

interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  additionalProperties?: boolean | JsonSchema
}

function generate(schema: JsonSchema, rnd: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  // One value in ten, anywhere in the tree, is hostile.
  if (depth > 0 && rnd() < 0.1) return pick(HOSTILE)
  if (schema.const !== undefined) return schema.const
  if (schema.enum) return pick(schema.enum)
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives) return generate(pick(alternatives), rnd, depth + 1)
  const type = Array.isArray(schema.type) ? pick(schema.type) : schema.type
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || rnd() < 0.6) out[key] = generate(sub, rnd, depth + 1)
      }
      if (rnd() < 0.05) out.unexpected = pick(HOSTILE)
      return out
    }
    case 'array': {
      const min = schema.minItems ?? 0
      const max = Math.min(schema.maxItems ?? 5, min + 5)
      const n = min + Math.floor(rnd() * (max - min + 1))
      return Array.from({ length: n }, () => generate(schema.items ?? {}, rnd, depth + 1))
    }
    case 'string': {
      if (schema.pattern) {
        const re = new RegExp(schema.pattern)
        const fitting = PATTERNED.filter((s) => re.test(s))
        if (fitting.length > 0 && rnd() < 0.9) return pick(fitting)
      }
      const min = schema.minLength ?? 0
      const max = Math.min(schema.maxLength ?? 40, 40)
      const length = min + Math.floor(rnd() * (Math.max(min, max) - min + 1))
      return rnd() < 0.5
        ? pick(PATTERNED).padEnd(length, 'x').slice(0, Math.max(length, 1))
        : 'é'.repeat(length)
    }
    case 'integer':
    case 'number': {
      const lo =
        schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -5)
      const hi = Math.min(schema.maximum ?? lo + 1000, lo + 1000)
      const x = lo + rnd() * (hi - lo)
      return type === 'integer' ? Math.max(lo, Math.round(x)) : x
    }
    case 'boolean':
      return rnd() < 0.5
    default:
      return pick(HOSTILE)
  }
}

describe('every contract method under generated and hostile input', () => {
  const dir = tempDir()
  let engine: Engine
  const finished = new Map<string, Events['job.finished']>()
  beforeAll(async () => {
    engine = startTestEngine(dir.path)
    engine.subscribe((event, payload) => {
      if (event === 'job.finished') {
        const p = payload as Events['job.finished']
        finished.set(p.jobId, p)
      }
    })
    // Real data and a real model, so generated versions and targets reach the handlers' rules.
    await seedSampleIfEmpty(engine.context, REPO_ROOT)
  }, 120_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  it('answers every call with a value or a specific error, never an internal one', async () => {
    const rnd = prng(20261202)
    const failures: string[] = []
    const jobs: string[] = []
    let calls = 0
    for (const name of methodNames) {
      const schema = z.toJSONSchema(methods[name].input, {
        unrepresentable: 'any',
        io: 'input',
      }) as JsonSchema
      const count = RARELY.has(name) ? 3 : CALLS_PER_METHOD
      for (let i = 0; i < count; i++) {
        // Whole-input hostility too: not an object at all, or an empty one.
        const input = i === 0 ? pick(rnd) : generate(schema, rnd)
        calls++
        const result = await engine.call(name, input)
        expect(typeof result.ok).toBe('boolean')
        if (result.ok) {
          const jobId = (result.value as { jobId?: unknown } | null)?.jobId
          if (typeof jobId === 'string') {
            jobs.push(jobId)
            // Jobs are cancelled at once: the run is about answers, not about finishing work.
            await engine.call('jobs.cancel', { jobId })
          }
        } else {
          expect(ERROR_CODES).toContain(result.error.code)
          expect(result.error.message.length).toBeGreaterThan(0)
          if (result.error.code === 'internal')
            failures.push(`${name} ${JSON.stringify(input).slice(0, 300)}: ${result.error.message}`)
        }
      }
    }
    // Every job that started ends, and none of them with an internal error.
    const deadline = Date.now() + 60_000
    while (jobs.some((id) => !finished.has(id)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    for (const id of jobs) {
      const end = finished.get(id)
      expect(end, `job ${id} never finished`).toBeDefined()
      if (end?.error?.code === 'internal') failures.push(`job ${end.kind}: ${end.error.message}`)
    }
    expect(calls).toBeGreaterThan(methodNames.length * 10)
    expect(failures).toEqual([])
    // Prototype keys in inputs polluted nothing.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  }, 240_000)
})

function pick(rnd: () => number): unknown {
  return HOSTILE[Math.floor(rnd() * HOSTILE.length)]
}
