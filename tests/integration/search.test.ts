import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Events, SearchResult } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import {
  REPO_ROOT,
  fileRef,
  recordEvents,
  runJob,
  startTestEngine,
  tempDir,
  waitForFinished,
} from '../helpers'

/**
 * Similarity and substructure search over the real aromatase and acetylcholinesterase exports,
 * checked against RDKit's Python build (Debian python3-rdkit), which reads the files itself:
 * BulkTanimotoSimilarity of Morgan fingerprints and HasSubstructMatch, molecule by molecule.
 */

const AROMATASE = join(REPO_ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv')
const ACHE = join(REPO_ROOT, '../shared/data/chembl_ache_CHEMBL220_api_dump.csv')
const PYTHON = process.env.RDKIT_REFERENCE_PYTHON ?? '/usr/bin/python3'

const LETROZOLE = 'N#Cc1ccc(C(c2ccc(C#N)cc2)n2cncn2)cc1'
const DONEPEZIL = 'COc1cc2c(cc1OC)C(=O)C(CC1CCN(Cc3ccccc3)CC1)C2'

interface Query {
  mode: 'similarity' | 'substructure'
  query: string
  threshold?: number
  syntax?: 'smiles' | 'smarts'
}
interface Reference {
  molecules: number
  noStructure: number
  unreadable: number
  queries: { hits: [string, number][] | string[]; near: string[] }[]
}

function reference(file: string, queries: Query[]): Reference {
  const run = spawnSync(PYTHON, [join(REPO_ROOT, 'tests/fixtures/search-reference.py')], {
    input: JSON.stringify({ file, queries }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (run.status !== 0) throw new Error(`reference search failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as Reference
}

describe('structure search on real ChEMBL exports', () => {
  const dir = tempDir()
  let engine: Engine
  beforeAll(async () => {
    engine = startTestEngine(dir.path)
    for (const path of [AROMATASE, ACHE]) {
      const finished = await runJob(engine, 'imports.start', {
        file: await fileRef(engine, path),
        computeDescriptors: true,
      })
      if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
    }
  }, 300_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  async function search(
    method: 'search.similarity' | 'search.substructure',
    input: unknown,
  ): Promise<Events['job.finished']> {
    const started = await engine.call(method, input)
    if (!started.ok) throw new Error(started.error.message)
    return waitForFinished(engine, (started.value as { jobId: string }).jobId)
  }

  async function result(
    method: 'search.similarity' | 'search.substructure',
    input: unknown,
  ): Promise<SearchResult> {
    const finished = await search(method, input)
    if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
    return finished.result as SearchResult
  }

  it('finds what RDKit finds by Tanimoto, with the same similarities, most similar first', async () => {
    const queries: Query[] = [
      { mode: 'similarity', query: LETROZOLE, threshold: 0.5 },
      { mode: 'similarity', query: DONEPEZIL, threshold: 0.4 },
    ]
    const expected = [reference(AROMATASE, queries), reference(ACHE, queries)]
    for (const [q, query] of queries.entries()) {
      const got = await result('search.similarity', {
        smiles: query.query,
        threshold: query.threshold,
        limit: 10_000,
      })
      // the two files share some molecules (same ChEMBL id): one compound in the database
      const want = new Map<string, number>()
      const near = new Set<string>()
      for (const ref of expected) {
        for (const [id, s] of ref.queries[q]?.hits as [string, number][]) want.set(id, s)
        for (const id of ref.queries[q]?.near ?? []) near.add(id)
      }
      expect(want.size).toBeGreaterThan(5)
      const gotIds = new Map(got.hits.map((h) => [h.chemblId ?? '', h.similarity ?? NaN]))
      const missing = [...want.keys()].filter((id) => !gotIds.has(id) && !near.has(id))
      const extra = [...gotIds.keys()].filter((id) => !want.has(id) && !near.has(id))
      expect({ missing, extra }).toEqual({ missing: [], extra: [] })
      for (const [id, s] of want) if (gotIds.has(id)) expect(gotIds.get(id)).toBeCloseTo(s, 12)
      const sims = got.hits.map((h) => h.similarity as number)
      expect(sims).toEqual([...sims].sort((a, b) => b - a))
      expect(got.hits.every((h) => (h.similarity as number) >= (query.threshold as number))).toBe(
        true,
      )
      expect(got.totalHits).toBe(got.hits.length)
      expect(got.truncated).toBe(false)
    }
  }, 120_000)

  it('the query itself is found with similarity 1 and its measurements', async () => {
    const got = await result('search.similarity', { smiles: LETROZOLE, threshold: 0.99 })
    expect(got.hits[0]?.chemblId).toBe('CHEMBL1444')
    expect(got.hits[0]?.similarity).toBe(1)
    expect(got.hits[0]?.activities).toBeGreaterThan(0)
    expect(got.canonical.length).toBeGreaterThan(0)
  })

  it('counts compounds without a structure instead of dropping them, and cuts hits at the limit', async () => {
    const ref = [reference(AROMATASE, []), reference(ACHE, [])]
    const got = await result('search.similarity', { smiles: 'c1ccccc1', threshold: 0, limit: 7 })
    const compounds = (
      engine.context.db.prepare('SELECT count(*) AS n FROM compounds').get() as { n: number }
    ).n
    expect(got.total).toBe(compounds)
    // molecules without SMILES in the files are the compounds without a fingerprint
    expect(got.noStructure).toBe((ref[0]?.noStructure ?? 0) + (ref[1]?.noStructure ?? 0))
    expect(got.noStructure).toBeGreaterThan(0)
    expect(got.scanned + got.noStructure).toBe(compounds)
    expect(got.totalHits).toBe(got.scanned)
    expect(got.hits).toHaveLength(7)
    expect(got.truncated).toBe(true)
  })

  it('finds what RDKit finds by substructure, for SMARTS and SMILES queries', async () => {
    const queries: Query[] = [
      { mode: 'substructure', query: 'c1ncnn1', syntax: 'smarts' },
      { mode: 'substructure', query: '[NX3;H0;!$(NC=O)]Cc1ccccc1', syntax: 'smarts' },
      { mode: 'substructure', query: 'C1=CC=C(C=C1)C#N', syntax: 'smiles' },
    ]
    const expected = [reference(AROMATASE, queries), reference(ACHE, queries)]
    for (const [q, query] of queries.entries()) {
      const got = await result('search.substructure', {
        query: query.query,
        syntax: query.syntax,
        limit: 10_000,
      })
      const want = new Set(expected.flatMap((ref) => ref.queries[q]?.hits as string[]))
      expect(want.size).toBeGreaterThan(10)
      const gotIds = new Set(got.hits.map((h) => h.chemblId ?? ''))
      const missing = [...want].filter((id) => !gotIds.has(id))
      const extra = [...gotIds].filter((id) => !want.has(id))
      expect({ query: query.query, missing, extra }).toEqual({
        query: query.query,
        missing: [],
        extra: [],
      })
      expect(got.totalHits).toBe(want.size)
      expect(got.noStructure).toBeGreaterThan(0)
      expect(got.unreadable).toBe(0)
    }
  }, 180_000)

  it('restricts a search to the compounds measured on one target', async () => {
    const ref = reference(ACHE, [{ mode: 'substructure', query: 'c1ncnn1', syntax: 'smarts' }])
    const got = await result('search.substructure', { query: 'c1ncnn1', target: 'CHEMBL220' })
    expect(new Set(got.hits.map((h) => h.chemblId))).toEqual(
      new Set(ref.queries[0]?.hits as string[]),
    )
    expect(got.total).toBe(ref.molecules + ref.noStructure)
    const none = await result('search.substructure', { query: 'c1ncnn1', target: 'CHEMBL0' })
    expect(none.total).toBe(0)
    expect(none.hits).toEqual([])
  })

  it('a query RDKit cannot read fails with invalid-input naming the query', async () => {
    for (const [method, input, bad] of [
      ['search.substructure', { query: 'c1ccc(' }, 'c1ccc('],
      ['search.substructure', { query: '[Xx;+9', syntax: 'smarts' }, '[Xx;+9'],
      ['search.similarity', { smiles: 'C1CC(N' }, 'C1CC(N'],
      ['search.substructure', { query: 'Cl(=O)(=O)(=O)(=O)(=O)C', syntax: 'smiles' }, 'Cl(=O)'],
    ] as const) {
      const finished = await search(method, input)
      expect(finished.state).toBe('failed')
      expect(finished.error?.code).toBe('invalid-input')
      expect(finished.error?.message).toContain(bad)
    }
    // a query outside the contract never starts a job
    const empty = await engine.call('search.similarity', { smiles: '  ' })
    expect(empty.ok).toBe(false)
    if (!empty.ok) expect(empty.error.code).toBe('invalid-input')
  })

  it('reports molecules done and stops when cancelled; the next search still works', async () => {
    const events = recordEvents(engine)
    const started = await engine.invoke('search.substructure', { query: 'c1ccccc1' })
    if (!started.ok) throw new Error(started.error.message)
    const jobId = started.value.jobId
    const finished = waitForFinished(engine, jobId)
    // cancel once the workers have reported molecules done
    await new Promise<void>((resolve) => {
      const off = engine.subscribe((event, payload) => {
        const p = payload as Events['job.progress']
        if (event === 'job.progress' && p.jobId === jobId && (p.rows ?? 0) > 0) {
          off()
          resolve()
        }
      })
    })
    const cancel = await engine.call('jobs.cancel', { jobId })
    expect(cancel).toEqual({ ok: true, value: { cancelled: true } })
    const end = await finished
    expect(end.state).toBe('cancelled')
    const progress = events
      .filter((e) => e.event === 'job.progress')
      .map((e) => e.payload as Events['job.progress'])
      .filter((p) => p.jobId === jobId && p.phase === 'searching')
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.some((p) => /of [\d,]+ molecules/.test(p.message ?? ''))).toBe(true)
    // the whole run ends before the last molecule: the cancel stopped the workers
    expect(progress.at(-1)?.fraction).toBeLessThan(0.95)
    const again = await result('search.substructure', { query: 'c1ncnn1' })
    expect(again.totalHits).toBeGreaterThan(0)
  }, 120_000)
})
