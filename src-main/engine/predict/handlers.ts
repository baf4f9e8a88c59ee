import { performance } from 'node:perf_hooks'
import { basename } from 'node:path'
import { type BatchFileCheck, type SinglePrediction, WorkbenchError } from '../../contract'
import { nmFromPActivity } from '../../chem/units'
import type { EngineContext, HandlerGroup } from '../context'
import { dataChanged } from '../data-changed'
import { type Candidate, candidatesFromFile, featuresFor } from './inputs'
import { type LoadedModel, resolveModel, scoreMatrix } from './loaded-model'
import { batchCsv, batchRows, batchSummary, listBatches, storeBatch } from './store'
import { candidatesFromDatabase } from './database-inputs'
import {
  applyMeasured,
  markTrainingSet,
  modelDefinition,
  namesModelTarget,
  trainingCompounds,
} from './measured'
import { nearestTrainingNeighbours } from './neighbours'
import { autoCheckAfterBatch } from '../drift/auto-check'

function emptyCandidate(rowNumber: number): Candidate {
  return {
    rowNumber,
    moleculeId: null,
    compoundId: null,
    smiles: null,
    seed: { mw_freebase: null, alogp: null, hba: null, hbd: null },
    descriptors: null,
    morgan: null,
    observed: null,
    failure: null,
  }
}

/** Scores candidates with a model; failures keep their reason, the rest get a prediction. */
async function scoreCandidates(
  ctx: EngineContext,
  model: LoadedModel,
  candidates: Candidate[],
  signal?: AbortSignal,
  onProgress?: (phase: string, fraction: number, message?: string) => void,
) {
  onProgress?.('computing features', 0.1)
  // RDKit's share of the bar (0.1 to 0.4) fills molecule by molecule; it stood at 10% throughout
  const rows = await featuresFor(ctx, model, candidates, signal, (done, total) =>
    onProgress?.(
      'computing features',
      0.1 + (0.3 * done) / Math.max(1, total),
      `${done.toLocaleString('en')} of ${total.toLocaleString('en')} structures`,
    ),
  )
  const f = model.featureNames.length
  onProgress?.('scoring', 0.4)
  const scored = await scoreMatrix(
    ctx,
    model,
    { n: rows.index.length, f, x: rows.x },
    false,
    (done) => onProgress?.('scoring', 0.4 + (0.4 * done) / Math.max(1, rows.index.length)),
  )
  const p = new Float64Array(candidates.length).fill(NaN)
  const inDomain = new Uint8Array(candidates.length)
  rows.index.forEach((ci, k) => {
    p[ci] = scored.p[k] ?? NaN
    inDomain[ci] = scored.inDomain[k] ?? 0
  })
  return { p, inDomain, rdkitVersion: rows.rdkitVersion }
}

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
    const started = performance.now()
    const model = resolveModel(ctx.db, input.model, input.target)
    const c = emptyCandidate(1)
    if (input.features) {
      if (model.featureSet !== 'core4')
        throw new WorkbenchError(
          'invalid-input',
          `Model ${model.row.version} uses RDKit's descriptors (${model.featureSet}); enter a SMILES so they can be computed.`,
        )
      c.seed = { ...input.features }
    } else c.smiles = input.smiles ?? null
    const rows = await featuresFor(ctx, model, [c])
    if (c.failure === 'invalid-smiles')
      throw new WorkbenchError(
        'invalid-input',
        `RDKit cannot read the SMILES "${c.smiles}". Check it for typos.`,
      )
    if (c.failure !== null || rows.index.length !== 1)
      throw new WorkbenchError(
        'invalid-input',
        `This compound cannot be scored by ${model.row.version}: ${c.failure}.`,
      )
    const f = model.featureNames.length
    const scored = await scoreMatrix(ctx, model, { n: 1, f, x: rows.x }, true)
    const p = scored.p[0] as number
    const q = model.calibration.q
    const neighbours = await nearestTrainingNeighbours(ctx, model, {
      smiles: c.smiles,
      morgan: c.morgan,
    })
    // the stored compound this is, so the compound's page lists the prediction
    c.compoundId =
      (c.smiles === null
        ? null
        : (ctx.db
            .prepare('SELECT id FROM compounds WHERE smiles = ? LIMIT 1')
            .pluck()
            .get(c.smiles) as number | undefined)) ??
      neighbours.inTraining?.compoundId ??
      null
    const summary = await storeBatch(
      ctx.db,
      model,
      'single',
      c.smiles ?? 'typed features',
      { candidates: [c], p: Float64Array.of(p), inDomain: scored.inDomain },
      (performance.now() - started) / 1000,
    )
    ctx.metrics.predictionsStored(summary, model)
    dataChanged(ctx, ['predictions'])
    const features: Record<string, number> = {}
    model.featureNames.forEach((name, j) => {
      if (!name.startsWith('morgan_')) features[name] = rows.x[j] as number
    })
    return {
      batchId: summary.batchId,
      modelVersion: model.row.version,
      target: model.row.target_chembl_id,
      isSynthetic: model.row.is_synthetic === 1,
      pActivity: p,
      nM: nmFromPActivity(p),
      interval: [p - q, p + q],
      intervalNm: [nmFromPActivity(p + q), nmFromPActivity(p - q)],
      inDomain: scored.inDomain[0] === 1,
      domain: {
        distance: scored.distance?.[0] ?? NaN,
        threshold: model.domain.threshold,
        outOfRange: scored.outOfRange?.[0] ?? [],
      },
      features,
      seed: {
        mw_freebase: c.seed.mw_freebase ?? NaN,
        alogp: c.seed.alogp ?? NaN,
        hba: c.seed.hba ?? NaN,
        hbd: c.seed.hbd ?? NaN,
      },
      rdkitVersion: rows.rdkitVersion,
      compoundId: c.compoundId,
      neighbours,
    } satisfies SinglePrediction
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
      markTrainingSet(candidates, trainingCompounds(ctx.db, model))
      if (candidates.length === 0)
        throw new WorkbenchError('invalid-input', 'There are no rows to score.')
      const result = await scoreCandidates(
        ctx,
        model,
        candidates,
        job.signal,
        (phase, fraction, message) =>
          job.progress({ phase, fraction, rows: candidates.length, message }),
      )
      // Saving may wait for another writer; a cancel meanwhile would report a batch that is kept.
      job.pointOfNoReturn()
      job.progress({ phase: 'saving', fraction: 0.85, rows: candidates.length })
      const stored = await storeBatch(
        ctx.db,
        model,
        file ? 'file' : 'database',
        file
          ? basename(file.name)
          : input.database?.importId
            ? `import ${input.database.importId}`
            : 'database compounds',
        { candidates, p: result.p, inDomain: result.inDomain },
        (performance.now() - started) / 1000,
        { otherTargetRows, onlyModelTarget },
      )
      ctx.metrics.predictionsStored(stored, model)
      dataChanged(ctx, ['predictions'])
      // never awaited, and never able to fail the batch
      autoCheckAfterBatch(ctx, stored.batchId)
      return stored
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
