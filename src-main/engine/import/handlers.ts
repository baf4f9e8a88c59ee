import { performance } from 'node:perf_hooks'
import {
  type ImportRecord,
  type ImportSummary,
  type JobStarted,
  type ParsedInput,
  type RejectionRow,
  WorkbenchError,
} from '../../contract'
import {
  type ImportFormat,
  type Mapping,
  applyOverrides,
  detectFormat,
  detectMapping,
} from '../../chem/columns'
import type { MoleculeFeatures } from '../../chem/rdkit'
import type { EngineContext, HandlerGroup } from '../context'
import type { JobContext } from '../jobs/job-runner'
import { dataChanged } from '../data-changed'
import { readSettings } from '../db/settings-queries'
import { mappingProblems } from './preview'
import { type TableHead, readHead } from './read-table'
import { writeAndCommit } from './import-rows'
import { splitEvenly } from '../workers/split-evenly'
import { autoCheckAfterImport } from '../drift/auto-check'

/** Share of the progress bar each phase fills when descriptors are computed. */
const PHASES = { scan: 0.1, molecules: 0.45 }

export const importHandlers: HandlerGroup<
  'imports.preview' | 'imports.start' | 'imports.list' | 'imports.rejections'
> = {
  'imports.preview': async (input, ctx) => {
    const file = await ctx.files.resolve(input.file)
    const preview = await ctx.pool.run('previewFile', {
      path: file.path,
      name: file.name,
      delimiter: input.delimiter,
    })
    return { ...preview, previousImports: previousImports(ctx, preview.sha256) }
  },

  'imports.start': (input, ctx) => startImport(ctx, input),

  'imports.list': (_input, ctx) => listImports(ctx),

  'imports.rejections': ({ importId, offset = 0, limit = 1000 }, ctx) => {
    const exists = ctx.db.prepare('SELECT 1 FROM imports WHERE id = ?').get(importId)
    if (!exists) throw new WorkbenchError('not-found', `There is no import #${importId}.`)
    const { total } = ctx.db
      .prepare('SELECT count(*) AS total FROM import_rejections WHERE import_id = ?')
      .get(importId) as { total: number }
    const rows = ctx.db
      .prepare(
        'SELECT line_number AS line, reason, detail, raw_line AS rawLine FROM import_rejections WHERE import_id = ? ORDER BY line_number LIMIT ? OFFSET ?',
      )
      .all(importId, limit, offset) as RejectionRow[]
    return { total, rows }
  },
}

/** How an import is started beyond its input. */
export interface StartImportOptions {
  /**
   * Start the automatic drift checks of `drift.autoCheck` after the import commits (default).
   * The watched folder runs its own checks, each waited for, and turns these off.
   */
  autoCheck?: boolean
}

/**
 * Starts an import as `imports.start` does: the file is checked now (a refusal is thrown before
 * any job starts), the rows are read and committed in the job.
 */
export async function startImport(
  ctx: EngineContext,
  input: ParsedInput<'imports.start'>,
  options: StartImportOptions = {},
): Promise<JobStarted> {
  const plan = await checkImport(ctx, input)
  return ctx.jobs.start('imports.start', async (job): Promise<ImportSummary> => {
    const started = performance.now()
    const structures = await computeStructures(ctx, job, plan)
    const summary = await withWriteTurn(ctx, job, structures.writeFrom, () =>
      writeAndCommit(ctx, job, plan.file, {
        head: plan.head,
        format: plan.format,
        mapping: plan.mapping,
        duplicate: input.duplicate ?? 'skip',
        molecules: structures.molecules,
        rdkitVersion: structures.rdkitVersion,
        writeFrom: structures.writeFrom,
        started,
      }),
    )
    // A skipped file (already imported) wrote nothing.
    if (summary.importId !== null) {
      dataChanged(ctx, ['imports', 'activities', 'compounds'])
      // never awaited, and never able to fail the import
      if (options.autoCheck !== false) autoCheckAfterImport(ctx, summary.importId)
    }
    return summary
  })
}

/** What `imports.start` checked before its job starts: the file, its columns and how to read them. */
interface ImportPlan {
  file: { path: string; name: string }
  head: TableHead
  mapping: Mapping
  format: ImportFormat
  computeDescriptors: boolean
}

/** Everything that can be wrong with the file as a whole is said now, before a job starts. */
async function checkImport(
  ctx: EngineContext,
  input: ParsedInput<'imports.start'>,
): Promise<ImportPlan> {
  const file = await ctx.files.resolve(input.file)
  const head = await readHead(file.path, input.delimiter)
  const { mapping, problems } = applyOverrides(
    head.header,
    detectMapping(head.header),
    input.mapping ?? {},
  )
  if (problems.length > 0) throw new WorkbenchError('invalid-input', problems.join(' '))
  const missing = mappingProblems(head.header, mapping)
  if (missing.length > 0)
    throw new WorkbenchError('missing-columns', missing.join(' '), { columnsFound: head.header })
  return {
    file,
    head,
    mapping,
    format: detectFormat(head.header, head.delimiter),
    computeDescriptors:
      input.computeDescriptors ?? readSettings(ctx.db)['import.computeDescriptors'],
  }
}

interface Structures {
  molecules: Map<string, MoleculeFeatures | null> | null
  rdkitVersion: string | null
  /** where on the progress bar the rows start: after the structures when they were computed */
  writeFrom: number
}

/**
 * RDKit's descriptors for every distinct structure in the file, when the import computes them
 * and the file has SMILES: one worker reads the structures, then every worker computes a share.
 */
async function computeStructures(
  ctx: EngineContext,
  job: JobContext,
  plan: ImportPlan,
): Promise<Structures> {
  const { file, head, mapping } = plan
  if (!plan.computeDescriptors || mapping.smiles === undefined)
    return { molecules: null, rdkitVersion: null, writeFrom: 0 }
  job.progress({ phase: 'reading structures', fraction: 0, bytes: 0 })
  const { smiles } = await ctx.pool.run(
    'scanStructures',
    { path: file.path, head, mapping },
    {
      signal: job.signal,
      onProgress: (p) =>
        job.progress({
          phase: 'reading structures',
          fraction: (PHASES.scan * p.bytes) / Math.max(1, head.size),
          bytes: p.bytes,
          rows: p.rows,
          message: `${p.rows.toLocaleString('en')} rows read`,
        }),
    },
  )
  // The next phase is named at once: RDKit takes seconds to load, and the bar stood at
  // "reading structures 10%" meanwhile.
  job.progress({
    phase: 'computing RDKit descriptors',
    fraction: PHASES.scan,
    rows: 0,
    message: `0 of ${smiles.length.toLocaleString('en')} structures · loading RDKit`,
  })
  const chunks = splitEvenly(smiles, ctx.pool.size)
  const done = chunks.map(() => 0)
  const results = await Promise.all(
    chunks.map((chunk, i) =>
      ctx.pool.run(
        'computeMolecules',
        { smiles: chunk },
        {
          signal: job.signal,
          onProgress: (n) => {
            done[i] = n
            const total = done.reduce((a, b) => a + b, 0)
            job.progress({
              phase: 'computing RDKit descriptors',
              fraction: PHASES.scan + (PHASES.molecules * total) / Math.max(1, smiles.length),
              rows: total,
              message: `${total.toLocaleString('en')} of ${smiles.length.toLocaleString('en')} structures`,
            })
          },
        },
      ),
    ),
  )
  const molecules = new Map<string, MoleculeFeatures | null>()
  chunks.forEach((chunk, i) =>
    chunk.forEach((s, j) => molecules.set(s, results[i]?.molecules[j] ?? null)),
  )
  return {
    molecules,
    rdkitVersion: results[0]?.rdkitVersion ?? null,
    writeFrom: PHASES.scan + PHASES.molecules,
  }
}

/**
 * One import writes at a time. It keeps each import's reader and writer on worker threads
 * together, whatever the pool size (a reader whose writer waits for a thread would wait for it
 * forever), and their final steps one after the other.
 */
async function withWriteTurn<T>(
  ctx: EngineContext,
  job: JobContext,
  fraction: number,
  write: () => Promise<T>,
): Promise<T> {
  job.progress({ phase: 'waiting for another import to finish', fraction })
  const release = await acquireWriteTurn(ctx, job.signal)
  try {
    job.throwIfCancelled()
    return await write()
  } finally {
    release()
  }
}

const writeTurns = new WeakMap<EngineContext, Promise<void>>()

/** Waits until no other import of this engine is writing; resolves with the release function. */
async function acquireWriteTurn(ctx: EngineContext, signal: AbortSignal): Promise<() => void> {
  const before = writeTurns.get(ctx) ?? Promise.resolve()
  let release: () => void = () => undefined
  const mine = new Promise<void>((resolve) => {
    release = resolve
  })
  writeTurns.set(
    ctx,
    before.then(() => mine),
  )
  await before
  if (signal.aborted) {
    release()
    throw new WorkbenchError('cancelled', 'The job was cancelled; nothing it started was kept.')
  }
  return release
}

function previousImports(ctx: EngineContext, sha256: string) {
  return ctx.db
    .prepare(
      'SELECT id, finished_at AS finishedAt, rows_total AS rowsTotal FROM imports WHERE file_sha256 = ? ORDER BY id',
    )
    .all(sha256) as {
    id: number
    finishedAt: string
    rowsTotal: number
  }[]
}

interface ImportRowDb {
  id: number
  file_name: string
  file_size: number
  file_sha256: string
  format: string
  rows_total: number
  rows_accepted: number
  rows_rejected: number
  compounds_new: number
  compounds_updated: number
  rows_already_present: number
  unusable_json: string
  rdkit_version: string | null
  is_synthetic: number
  started_at: string
  finished_at: string
}

export function listImports(ctx: EngineContext): ImportRecord[] {
  const rows = ctx.db.prepare('SELECT * FROM imports ORDER BY id DESC').all() as ImportRowDb[]
  const reasons = ctx.db
    .prepare(
      'SELECT import_id, reason, count(*) AS n FROM import_rejections GROUP BY import_id, reason',
    )
    .all() as { import_id: number; reason: string; n: number }[]
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    fileSize: r.file_size,
    sha256: r.file_sha256,
    format: r.format,
    rowsTotal: r.rows_total,
    rowsAccepted: r.rows_accepted,
    rowsRejected: r.rows_rejected,
    compoundsNew: r.compounds_new,
    compoundsUpdated: r.compounds_updated,
    alreadyPresent: r.rows_already_present,
    rejectionsByReason: Object.fromEntries(
      reasons.filter((x) => x.import_id === r.id).map((x) => [x.reason, x.n]),
    ),
    unusableByReason: JSON.parse(r.unusable_json) as Record<string, number>,
    rdkitVersion: r.rdkit_version,
    isSynthetic: r.is_synthetic === 1,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  }))
}
