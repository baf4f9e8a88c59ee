import type { ParsedInput } from '../../contract'
import type { EngineContext } from '../context'
import { resolveModel } from '../predict/loaded-model'
import { runDriftCheck } from './check'
import { currentRows } from './sources'

/**
 * Starts a check of a source against a model: an unknown model, a file that may not be read, are
 * refused before a job starts; everything else fails the job with nothing written.
 */
export async function startDriftCheck(
  ctx: EngineContext,
  input: ParsedInput<'drift.run'>,
  trigger: 'manual' | 'import' | 'batch' | 'cli' | 'watch',
) {
  const model = resolveModel(ctx.db, input.model)
  const source = input.source
  const file = source.kind === 'file' ? await ctx.files.resolve(source.file) : null
  return ctx.jobs.start('drift.run', (job) =>
    runDriftCheck(ctx, job, {
      model,
      trigger,
      rows: (onBytes) => currentRows(ctx, model, source, file, onBytes),
    }),
  )
}
