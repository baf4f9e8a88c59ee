import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { MessageChannel } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { type ImportSummary, WorkbenchError } from '../../contract'
import type { ImportFormat, Mapping } from '../../chem/columns'
import type { MoleculeFeatures } from '../../chem/rdkit'
import type { EngineContext } from '../context'
import type { JobContext } from '../jobs/job-runner'
import type { TableHead } from './read-table'
import type { StagedImport } from './stage-import'
import { type Lease, stagingSchema, takeLease } from './staging'
import { storedFileName } from './stored-file'

/** Share of the progress bar (after the structures) the rows fill; the final step fills the rest. */
const ROWS_SHARE = 0.95

export interface WriteOptions {
  head: TableHead
  format: ImportFormat
  mapping: Mapping
  duplicate: 'skip' | 'import'
  molecules: Map<string, MoleculeFeatures | null> | null
  rdkitVersion: string | null
  /** where on the progress bar the rows start */
  writeFrom: number
  /** performance.now() when the job started */
  started: number
}

/**
 * An import's rows: two threads read and stage them (the import's own SQLite file, see
 * stageImport), then one more moves them into the main database in one short transaction
 * (commitImport). A cancel before that last step stops both threads and throws the staging file
 * and the copy of the file away; once it begins, the import is committed and the cancel is
 * refused (the job's point of no return), as a worker terminated in the middle of a commit would
 * keep the rows the job called cancelled.
 */
export async function writeAndCommit(
  ctx: EngineContext,
  job: JobContext,
  file: { path: string; name: string },
  o: WriteOptions,
): Promise<ImportSummary> {
  const { dataDir } = ctx.options
  const writeStarted = performance.now()
  const startedAt = new Date().toISOString()
  const storedFile = storedFileName(file.name)
  // Claimed before either file exists, so no other process's start-up cleaner takes them.
  const { lease, release } = await takeLease(dataDir, storedFile)
  let committed = false
  try {
    const staged = await stage(ctx, job, file.path, lease, o, writeStarted)
    job.pointOfNoReturn()
    job.progress({
      phase: 'saving to the database',
      fraction: o.writeFrom + (1 - o.writeFrom) * ROWS_SHARE,
      rows: staged.rowsTotal,
      bytes: staged.bytes,
    })
    const summary = await ctx.pool.run('commitImport', {
      dataDir,
      stagingFile: lease.stagingFile,
      storedFile,
      fileName: file.name,
      head: o.head,
      format: o.format,
      mapping: o.mapping,
      duplicate: o.duplicate,
      rdkitVersion: o.rdkitVersion,
      startedAt,
      staged,
    })
    committed = summary.importId !== null
    const seconds = (performance.now() - o.started) / 1000
    return { ...summary, seconds, rowsPerSecond: seconds > 0 ? summary.rowsTotal / seconds : 0 }
  } finally {
    await cleanUp(ctx, storedFile, lease.stagingFile, committed)
    await release()
  }
}

/**
 * Removes the staging database, and the import's copy of the file unless an import points at it:
 * a failed final step may still have committed (a worker lost after COMMIT).
 */
async function cleanUp(
  ctx: EngineContext,
  storedFile: string,
  stagingFile: string,
  committed: boolean,
): Promise<void> {
  const { dataDir } = ctx.options
  const kept =
    committed ||
    ctx.db.prepare('SELECT 1 FROM imports WHERE stored_file = ?').get(storedFile) !== undefined
  if (!kept) await rm(join(dataDir, storedFile), { force: true })
  await rm(join(dataDir, stagingFile), { force: true })
}

/** A side's failure caused by the other side stopping first: never the error to report. */
function isEcho(e: unknown): boolean {
  return e instanceof WorkbenchError && (e.code === 'cancelled' || e.code === 'reader-stopped')
}

/**
 * The reader/writer pair: reads the file on one worker thread and writes its rows into the
 * staging database on another.
 */
async function stage(
  ctx: EngineContext,
  job: JobContext,
  filePath: string,
  lease: Lease,
  o: WriteOptions,
  writeStarted: number,
): Promise<StagedImport> {
  // The threads talk over their own channel. If either fails or the job is cancelled, both stop.
  const { port1, port2 } = new MessageChannel()
  const stop = new AbortController()
  const onCancel = () => stop.abort()
  job.signal.addEventListener('abort', onCancel, { once: true })
  const stopOnFailure = (error: unknown) => {
    stop.abort()
    throw error
  }
  const { head } = o
  try {
    const reading = ctx.pool
      .run(
        'parseRows',
        { filePath, head, mapping: o.mapping, molecules: o.molecules, port: port1 },
        { signal: stop.signal, transfer: [port1] },
      )
      .catch(stopOnFailure)
    const writing = ctx.pool
      .run(
        'stageRows',
        {
          dataDir: ctx.options.dataDir,
          stagingFile: lease.stagingFile,
          storedFile: lease.storedFile,
          filePath,
          head,
          rdkitVersion: o.rdkitVersion,
          schema: stagingSchema(ctx.db),
          port: port2,
        },
        {
          signal: stop.signal,
          transfer: [port2],
          onProgress: (p) => {
            const seconds = (performance.now() - writeStarted) / 1000
            const share = p.bytes / Math.max(1, head.size)
            const rate = seconds > 0 ? p.rows / seconds : 0
            const left = share > 0.02 ? (seconds * (1 - share)) / share : null
            job.progress({
              phase: 'importing rows',
              fraction: Math.min(1, o.writeFrom + (1 - o.writeFrom) * ROWS_SHARE * share),
              rows: p.rows,
              bytes: p.bytes,
              message: `${p.rows.toLocaleString('en')} rows · ${Math.round(rate).toLocaleString('en')} rows/s${left === null ? '' : ` · ${Math.ceil(left)} s left`}`,
            })
          },
        },
      )
      .catch(stopOnFailure)
    // When one side fails, the other is stopped and fails as 'cancelled' (or, for the writer,
    // 'reader-stopped'): report the error that came first in substance, not the echo.
    const [r, w] = await Promise.allSettled([reading, writing])
    const failures = [r, w]
      .filter((x): x is PromiseRejectedResult => x.status === 'rejected')
      .map((x) => x.reason as unknown)
    if (failures.length > 0) throw failures.find((e) => !isEcho(e)) ?? failures[0]
    return (w as PromiseFulfilledResult<StagedImport>).value
  } finally {
    job.signal.removeEventListener('abort', onCancel)
  }
}
