import { performance } from 'node:perf_hooks'
import { basename } from 'node:path'
import { type BatchFileCheck, type SinglePrediction } from '../../contract'
import type { HandlerGroup } from '../context'
import { candidatesFromFile } from './inputs'
import { resolveModel } from './loaded-model'
import { batchCsv, batchRows, batchSummary, listBatches } from './store'
import { candidatesFromDatabase } from './database-inputs'
import { applyMeasured, modelDefinition, namesModelTarget } from './measured'
import { predictCandidates, predictSingle } from './run'

export const predictHandlers: HandlerGroup<
  | 'predictions.single'
  | 'predictions.batch'
  | 'predictions.checkFile'
  | 'predictions.batches'
  | 'predictions.get'
  | 'predictions.rows'
  | 'predictions.csv'
> = {
  'predictions.single': async (input, ctx) => {
    const { prediction, neighbours } = await predictSingle(ctx, input, 'single', true)
    return { ...prediction, neighbours } satisfies SinglePrediction
  },

  'predictions.batch': async (input, ctx) => {
    // A file that may not be read is refused now, before a job starts.
    const file = input.file ? await ctx.files.resolve(input.file) : null
    const model = resolveModel(ctx.db, input.model, input.target)
    return ctx.jobs.start('predictions.batch', async (job) => {
      const started = performance.now()
      job.progress({ phase: 'reading', fraction: 0 })
      const read = file
        ? await candidatesFromFile(file.path, input.mapping, (bytes, size) =>
            job.progress({ phase: 'reading', fraction: (0.1 * bytes) / Math.max(1, size), bytes }),
          )
        : candidatesFromDatabase(ctx.db, model, input.database?.importId)
      job.throwIfCancelled()
      const def = modelDefinition(model)
      const columns = file
        ? (read as Awaited<ReturnType<typeof candidatesFromFile>>).columns
        : undefined
      // Rows of other targets are counted for every file with a target column, and left out
      // only when the user chose so after the warning (predictions.checkFile).
      const otherTargetRows = columns?.target
        ? read.filter((c) => !namesModelTarget(c, def, columns)).length
        : null
      const onlyModelTarget = input.onlyModelTarget === true && otherTargetRows !== null
      const candidates = onlyModelTarget
        ? read.filter((c) => namesModelTarget(c, def, columns))
        : read
      if (file) applyMeasured(candidates, def, columns)
      return predictCandidates(
        ctx,
        model,
        candidates,
        file ? 'file' : 'database',
        file
          ? basename(file.name)
          : input.database?.importId
            ? `import ${input.database.importId}`
            : 'database compounds',
        {
          started,
          signal: job.signal,
          onProgress: (phase, fraction, message) =>
            job.progress({ phase, fraction, rows: candidates.length, message }),
          // Saving may wait for another writer; a cancel meanwhile would report a batch that is kept.
          beforeSave: () => job.pointOfNoReturn(),
          targets: { otherTargetRows, onlyModelTarget },
        },
      )
    })
  },

  'predictions.checkFile': async (input, ctx) => {
    const file = await ctx.files.resolve(input.file)
    const model = resolveModel(ctx.db, input.model, input.target)
    const def = modelDefinition(model)
    const rows = await candidatesFromFile(file.path, input.mapping)
    const columns = rows.columns
    const targets = new Map<string | null, { name: string | null; rows: number }>()
    const types = new Map<string | null, number>()
    for (const c of rows) {
      const t = c.measurement?.target ?? null
      const entry = targets.get(t) ?? { name: null, rows: 0 }
      entry.rows++
      entry.name ??= c.measurement?.targetName ?? null
      targets.set(t, entry)
      const type = c.measurement?.type ?? null
      types.set(type, (types.get(type) ?? 0) + 1)
    }
    const modelTypes = new Set(def.types)
    return {
      rows: rows.length,
      modelVersion: model.row.version,
      modelTarget: def.target,
      modelTargetName: def.targetName,
      modelTypes: def.types,
      hasTargetColumn: columns?.target === true,
      targets: columns?.target
        ? [...targets.entries()]
            .map(([targetChemblId, t]) => ({ targetChemblId, name: t.name, rows: t.rows }))
            .sort((a, b) => b.rows - a.rows)
        : [],
      otherTargetRows: columns?.target
        ? rows.filter((c) => !namesModelTarget(c, def, columns)).length
        : 0,
      standardTypes: columns?.type
        ? [...types.entries()]
            .map(([type, n]) => ({
              type,
              rows: n,
              modelType: type !== null && modelTypes.has(type),
            }))
            .sort((a, b) => b.rows - a.rows)
        : [],
    } satisfies BatchFileCheck
  },

  'predictions.batches': (_input, ctx) => listBatches(ctx.db),
  'predictions.get': (input, ctx) => batchSummary(ctx.db, input.batchId),
  'predictions.rows': (input, ctx) => batchRows(ctx.db, input),
  'predictions.csv': (input, ctx) => batchCsv(ctx.db, input),
}
