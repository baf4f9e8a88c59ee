import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CODES, type ImportSummary } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { fileRef, prng, startTestEngine, tempDir, waitForFinished } from '../helpers'
import { ACHE, AROMATASE } from '../reference-csv'

const SOURCES = [
  { path: AROMATASE, delimiter: ';' },
  { path: ACHE, delimiter: ',' },
].map((s) => {
  const lines = readFileSync(s.path, 'utf8').split('\n')
  return { ...s, text: `${lines.slice(0, 250).join('\n')}\n` }
})

type Mutation = (text: string, rand: () => number, delimiter: string) => string
const pick = <T>(items: T[], rand: () => number): T => items[Math.floor(rand() * items.length)] as T

const MUTATIONS: Record<string, Mutation> = {
  truncate: (t, r) => t.slice(0, Math.floor(r() * t.length)),
  flipBytes: (t, r, d) => {
    const chars = t.split('')
    const n = 1 + Math.floor(r() * 40)
    for (let i = 0; i < n; i++)
      chars[Math.floor(r() * chars.length)] = pick(
        ['"', d, '\n', '\r', '\u0000', '\uFFFD', String.fromCharCode(Math.floor(r() * 256))],
        r,
      )
    return chars.join('')
  },
  shuffleColumns: (t, r, d) => {
    const lines = t.split('\n')
    const width = (lines[0] ?? '').split(d).length
    const order = Array.from({ length: width }, (_, i) => i).sort(() => r() - 0.5)
    return lines.map((l) => (l ? order.map((i) => l.split(d)[i] ?? '').join(d) : l)).join('\n')
  },
  injectQuotes: (t, r) => {
    let out = t
    for (let i = 0; i < 1 + Math.floor(r() * 10); i++) {
      const at = Math.floor(r() * out.length)
      out = out.slice(0, at) + pick(['"', '""', '"x"', "'"], r) + out.slice(at)
    }
    return out
  },
  injectDelimiters: (t, r, d) => {
    let out = t
    for (let i = 0; i < 1 + Math.floor(r() * 10); i++) {
      const at = Math.floor(r() * out.length)
      out = out.slice(0, at) + pick([d, d + d, '\t', ',', ';'], r) + out.slice(at)
    }
    return out
  },
  duplicateAndDropLines: (t, r) => {
    const lines = t.split('\n')
    for (let i = 0; i < 5; i++) {
      const at = 1 + Math.floor(r() * (lines.length - 1))
      if (r() < 0.5) lines.splice(at, 0, lines[at] ?? '')
      else lines.splice(at, 1)
    }
    return lines.join('\n')
  },
  hugeValues: (t, r) =>
    t.replace(/(\d+\.\d+)/g, (m) =>
      r() < 0.05 ? pick(['1e308', '-0', '99999999999999999999', 'NaN', '-1'], r) : m,
    ),
}

const SEEDS = 80

describe('importing mutated real files', () => {
  const dir = tempDir()
  let engine: Engine
  beforeAll(() => {
    engine = startTestEngine(join(dir.path, 'data'))
  })
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  const counts = () => {
    const db = engine.context.db
    const n = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    return {
      imports: n('imports'),
      activities: n('activities'),
      rejections: n('import_rejections'),
    }
  }

  it(`keeps the engine answering and the database whole for ${SEEDS} seeds`, async () => {
    const outcomes: Record<string, number> = {}
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rand = prng(seed)
      const source = SOURCES[seed % SOURCES.length]!
      let text = source.text
      const applied = Array.from({ length: 1 + Math.floor(rand() * 3) }, () =>
        pick(Object.keys(MUTATIONS), rand),
      )
      for (const name of applied) text = MUTATIONS[name]!(text, rand, source.delimiter)
      const path = join(dir.path, `fuzz-${seed}.csv`)
      writeFileSync(path, text)
      const before = counts()
      const context = `seed ${seed} (${applied.join(', ')})`

      // descriptors on for a few seeds: broken SMILES must become per-row rejections
      const started = await engine.invoke('imports.start', {
        file: await fileRef(engine, path),
        computeDescriptors: seed % 10 === 0,
        duplicate: 'import',
      })
      if (!started.ok) {
        expect(ERROR_CODES, context).toContain(started.error.code)
        expect(started.error.code, `${context}: ${started.error.message}`).not.toBe('internal')
        expect(counts(), context).toEqual(before)
        outcomes[`refused: ${started.error.code}`] =
          (outcomes[`refused: ${started.error.code}`] ?? 0) + 1
      } else {
        const finished = await waitForFinished(engine, started.value.jobId)
        if (finished.state === 'succeeded') {
          const s = finished.result as ImportSummary
          expect(s.rowsAccepted + s.rowsRejected, context).toBe(s.rowsTotal)
          const db = engine.context.db
          expect(
            db
              .prepare('SELECT count(*) AS n FROM import_rejections WHERE import_id = ?')
              .get(s.importId),
            context,
          ).toEqual({ n: s.rowsRejected })
          expect(
            db.prepare('SELECT count(*) AS n FROM activities WHERE import_id = ?').get(s.importId),
            context,
          ).toEqual({ n: s.activities })
          expect(
            db
              .prepare('SELECT rows_total, rows_accepted, rows_rejected FROM imports WHERE id = ?')
              .get(s.importId),
            context,
          ).toEqual({
            rows_total: s.rowsTotal,
            rows_accepted: s.rowsAccepted,
            rows_rejected: s.rowsRejected,
          })
          outcomes.imported = (outcomes.imported ?? 0) + 1
        } else {
          expect(finished.error?.code, `${context}: ${finished.error?.message}`).not.toBe(
            'internal',
          )
          outcomes[`failed: ${finished.error?.code}`] =
            (outcomes[`failed: ${finished.error?.code}`] ?? 0) + 1
        }
      }
      const status = await engine.invoke('app.status', {})
      expect(status.ok, context).toBe(true)
    }
    expect(engine.context.db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(engine.context.db.pragma('foreign_key_check')).toEqual([])
    // most mutated files still import, row by row
    expect(outcomes.imported ?? 0).toBeGreaterThan(SEEDS / 2)
  }, 300_000)
})
