import { performance } from 'node:perf_hooks'
import type { ParsedInput, SearchHit, SearchResult } from '../../contract'
import type { EngineContext, HandlerGroup } from '../context'
import { databasePath } from '../db/connection'
import type { JobContext } from '../jobs/job-runner'
import type { ScanCounts, ScanProgress, ScanRange } from './scan'

/**
 * Contiguous id ranges of near-equal numbers of compounds, one per worker. Each worker reads its
 * own range through a read-only connection of its own, so the engine's thread never reads the
 * fingerprints or SMILES of a large table.
 */
function idRanges(ctx: EngineContext, parts: number, target: string | undefined): ScanRange[] {
  const n = (ctx.db.prepare('SELECT count(*) AS n FROM compounds').get() as { n: number }).n
  const k = Math.max(1, Math.min(parts, n))
  const nth = ctx.db.prepare('SELECT id FROM compounds ORDER BY id LIMIT 1 OFFSET ?').pluck()
  const starts = Array.from({ length: k }, (_, i) =>
    i === 0 ? 0 : ((nth.get(Math.floor((i * n) / k)) as number | undefined) ?? 0),
  )
  const dbPath = databasePath(ctx.options.dataDir)
  return starts.map((fromId, i) => ({
    dbPath,
    fromId,
    toId: i + 1 < starts.length ? (starts[i + 1] as number) : null,
    target,
  }))
}

/** Adds up the workers' progress into the job's bar: molecules done of the compounds in scope. */
function progressOf(job: JobContext, parts: number) {
  const done = new Array<number>(parts).fill(0)
  const totals = new Array<number | null>(parts).fill(null)
  return (i: number) => (p: ScanProgress) => {
    done[i] = p.done
    totals[i] = p.total
    const d = done.reduce((a, b) => a + b, 0)
    const known = totals.every((t) => t !== null)
    const t = totals.reduce<number>((a, b) => a + (b ?? 0), 0)
    job.progress({
      phase: 'searching',
      fraction: known && t > 0 ? 0.05 + (0.9 * d) / t : 0.05,
      rows: d,
      message: known
        ? `${d.toLocaleString('en')} of ${t.toLocaleString('en')} molecules`
        : `${d.toLocaleString('en')} molecules`,
    })
  }
}

function sumCounts(parts: ScanCounts[]): ScanCounts {
  return parts.reduce(
    (a, p) => ({
      total: a.total + p.total,
      scanned: a.scanned + p.scanned,
      noStructure: a.noStructure + p.noStructure,
      unreadable: a.unreadable + p.unreadable,
    }),
    { total: 0, scanned: 0, noStructure: 0, unreadable: 0 },
  )
}

interface HitDb {
  id: number
  chembl_id: string | null
  name: string | null
  smiles: string | null
  activities: number
  best: number | null
}

/** Names, SMILES and measurement counts of the hits shown (at most `limit`), in the given order. */
function hitDetails(
  ctx: EngineContext,
  ids: number[],
  target: string | undefined,
): Map<number, HitDb> {
  const rows = ctx.db
    .prepare(
      `SELECT c.id, c.chembl_id, c.name, c.smiles,
         (SELECT count(*) FROM activities a WHERE a.compound_id = c.id
            AND (@target IS NULL OR a.target_chembl_id = @target)) AS activities,
         (SELECT max(a.p_activity) FROM activities a WHERE a.compound_id = c.id AND a.usable = 1
            AND (@target IS NULL OR a.target_chembl_id = @target)) AS best
       FROM compounds c WHERE c.id IN (SELECT value FROM json_each(@ids))`,
    )
    .all({ target: target ?? null, ids: JSON.stringify(ids) }) as HitDb[]
  return new Map(rows.map((r) => [r.id, r]))
}

function toHit(r: HitDb, similarity?: number): SearchHit {
  return {
    compoundId: r.id,
    chemblId: r.chembl_id,
    name: r.name,
    smiles: r.smiles,
    ...(similarity === undefined ? {} : { similarity }),
    activities: r.activities,
    bestPActivity: r.best,
  }
}

async function similarity(
  ctx: EngineContext,
  input: ParsedInput<'search.similarity'>,
  job: JobContext,
): Promise<SearchResult> {
  const started = performance.now()
  job.progress({ phase: 'reading the query', fraction: 0 })
  const q = await ctx.pool.run(
    'readSearchQuery',
    { query: input.smiles, syntax: 'smiles', fingerprint: true },
    { signal: job.signal },
  )
  const fp = q.fp as Uint8Array
  const ranges = idRanges(ctx, ctx.pool.size, input.target)
  const onProgress = progressOf(job, ranges.length)
  const parts = await Promise.all(
    ranges.map((r, i) =>
      ctx.pool.run(
        'scanSimilarity',
        { ...r, fp, threshold: input.threshold },
        { signal: job.signal, onProgress: onProgress(i) },
      ),
    ),
  )
  job.throwIfCancelled()
  job.progress({ phase: 'sorting', fraction: 0.96 })
  const hits: { id: number; s: number }[] = []
  for (const p of parts) p.ids.forEach((id, k) => hits.push({ id, s: p.similarities[k] as number }))
  // most similar first; equal similarities in compound order, so the order never varies by run
  hits.sort((a, b) => b.s - a.s || a.id - b.id)
  const shown = hits.slice(0, input.limit)
  const details = hitDetails(
    ctx,
    shown.map((h) => h.id),
    input.target,
  )
  return {
    mode: 'similarity',
    query: input.smiles,
    canonical: q.canonical,
    threshold: input.threshold,
    ...(input.target === undefined ? {} : { target: input.target }),
    hits: shown.flatMap((h) => {
      const d = details.get(h.id)
      return d ? [toHit(d, h.s)] : []
    }),
    totalHits: hits.length,
    ...sumCounts(parts),
    truncated: hits.length > shown.length,
    workers: ranges.length,
    seconds: (performance.now() - started) / 1000,
  }
}

async function substructure(
  ctx: EngineContext,
  input: ParsedInput<'search.substructure'>,
  job: JobContext,
): Promise<SearchResult> {
  const started = performance.now()
  job.progress({ phase: 'reading the query', fraction: 0 })
  const q = await ctx.pool.run(
    'readSearchQuery',
    { query: input.query, syntax: input.syntax, fingerprint: false },
    { signal: job.signal },
  )
  const ranges = idRanges(ctx, ctx.pool.size, input.target)
  const onProgress = progressOf(job, ranges.length)
  const parts = await Promise.all(
    ranges.map((r, i) =>
      ctx.pool.run(
        'scanSubstructure',
        { ...r, query: input.query, syntax: input.syntax },
        { signal: job.signal, onProgress: onProgress(i) },
      ),
    ),
  )
  job.throwIfCancelled()
  // ranges are in id order and each is scanned in id order: the hits are in compound order
  const ids = parts.flatMap((p) => [...p.ids])
  const shown = ids.slice(0, input.limit)
  const details = hitDetails(ctx, shown, input.target)
  return {
    mode: 'substructure',
    query: input.query,
    canonical: q.canonical,
    ...(input.target === undefined ? {} : { target: input.target }),
    hits: shown.flatMap((id) => {
      const d = details.get(id)
      return d ? [toHit(d)] : []
    }),
    totalHits: ids.length,
    ...sumCounts(parts),
    truncated: ids.length > shown.length,
    workers: ranges.length,
    seconds: (performance.now() - started) / 1000,
  }
}

export const searchHandlers: HandlerGroup<'search.similarity' | 'search.substructure'> = {
  'search.similarity': (input, ctx) =>
    ctx.jobs.start('search.similarity', (job) => similarity(ctx, input, job)),
  'search.substructure': (input, ctx) =>
    ctx.jobs.start('search.substructure', (job) => substructure(ctx, input, job)),
}
