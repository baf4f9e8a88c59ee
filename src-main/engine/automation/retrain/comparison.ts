import {
  MIN_COMPARISON_ROWS,
  RETRAIN_BOOTSTRAP,
  type RetrainComparison,
  WorkbenchError,
} from '../../../contract'
import type { EngineContext } from '../../context'
import { modelReference, readReference } from '../../models/reference-data'
import { type ModelRow, onnxBytes } from '../../models/registry'

const CHUNK_ROWS = 10_000

export interface ComparisonResult {
  /** compounds in the challenger's training set that the champion was not trained on */
  newCompounds: number
  comparison: RetrainComparison | null
  /** why no comparison was made, other than too few compounds */
  reason?: string
}

/**
 * The champion against the challenger on the compounds measured since the champion was trained:
 * those in the challenger's training set and not among the champion's training compounds. The
 * champion predicts them through ONNX Runtime from the challenger's feature rows (the same
 * features: checked by name); the challenger's predictions are its out-of-fold cross-validation
 * ones, so neither model saw a compound it is scored on. Absolute errors per compound, then the
 * paired bootstrap of the RMSE difference (fixed resamples and seed).
 */
export async function compareOnNewCompounds(
  ctx: EngineContext,
  champion: ModelRow,
  challengerVersion: string,
  signal?: AbortSignal,
): Promise<ComparisonResult> {
  const challenger = readReference(ctx.db, challengerVersion)
  if (!challenger)
    throw new WorkbenchError(
      'reference-unavailable',
      `The training rows of ${challengerVersion} were not stored, so it cannot be compared.`,
    )
  let championIds: Int32Array
  try {
    championIds = modelReference(ctx.db, champion.version).compoundIds
  } catch (error) {
    if (!(error instanceof WorkbenchError)) throw error
    return {
      newCompounds: 0,
      comparison: null,
      reason: `the compounds ${champion.version} was trained on are not known (${error.message}), so the new ones cannot be told apart`,
    }
  }
  const known = new Set(championIds)
  const rows: number[] = []
  challenger.compoundIds.forEach((id, i) => {
    if (!known.has(id)) rows.push(i)
  })
  if (rows.length < MIN_COMPARISON_ROWS) return { newCompounds: rows.length, comparison: null }

  const championNames = JSON.parse(champion.feature_names_json) as string[]
  if (
    championNames.length !== challenger.featureNames.length ||
    championNames.some((name, j) => name !== challenger.featureNames[j])
  )
    return {
      newCompounds: rows.length,
      comparison: null,
      reason: `${champion.version} takes other features than the challenger (${championNames.length} vs ${challenger.featureNames.length}), so they cannot be scored on the same rows`,
    }

  const n = rows.length
  const f = championNames.length
  const x = new Float32Array(n * f)
  rows.forEach((row, i) => {
    for (let j = 0; j < f; j++)
      x[i * f + j] = (challenger.columns[j] as Float32Array)[row] as number
  })
  const predicted = new Float32Array(n)
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    if (signal?.aborted) throw new WorkbenchError('cancelled', 'The retraining was cancelled.')
    const end = Math.min(n, start + CHUNK_ROWS)
    predicted.set(
      await ctx.onnx.run(champion.onnx_sha256, () => onnxBytes(ctx.db, champion.id), {
        n: end - start,
        f,
        x: x.subarray(start * f, end * f),
      }),
      start,
    )
  }
  const errChallenger = new Float64Array(n)
  const errChampion = new Float64Array(n)
  rows.forEach((row, i) => {
    const y = challenger.labels[row] as number
    errChallenger[i] = Math.abs((challenger.oof[row] as number) - y)
    errChampion[i] = Math.abs((predicted[i] as number) - y)
  })
  // 2,000 resamples of n rows: seconds at 100,000 new compounds, so on a worker thread.
  const b = await ctx.pool.run(
    'pairedRmseBootstrap',
    { errorsA: errChallenger, errorsB: errChampion, options: { ...RETRAIN_BOOTSTRAP } },
    signal ? { signal } : {},
  )
  return {
    newCompounds: n,
    comparison: {
      rows: n,
      rmseChallenger: b.rmseA,
      rmseChampion: b.rmseB,
      diff: b.diff,
      diffCi: b.ci,
      resamples: b.resamples,
      seed: b.seed,
    },
  }
}
