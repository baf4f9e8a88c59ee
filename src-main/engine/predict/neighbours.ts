import {
  type NeighbourReport,
  type TrainingNeighbour,
  type TrainingSetSummary,
  WorkbenchError,
} from '../../contract'
import { FLAG_REASONS } from '../../chem/activity-comments'
import { tanimoto } from '../../chem/tanimoto'
import type { EngineContext } from '../context'
import type { Db } from '../db/connection'
import { modelReference } from '../models/reference-data'
import type { LoadedModel } from './loaded-model'

/** A model's training compounds with their labels and stored fingerprints. */
interface TrainingFingerprints {
  compoundIds: number[]
  labels: number[]
  fps: Uint8Array[]
  matchesModel: boolean
}

/**
 * A model's training rows are read from its stored reference (megabytes for a large fingerprint
 * set), so each model's is kept: a handful of models at a time is all a person predicting with one
 * or two ever needs. The reference never changes, so nothing else invalidates an entry.
 */
const KEEP_MODELS = 4
const cache = new WeakMap<Db, Map<string, TrainingFingerprints | WorkbenchError>>()

/**
 * The model's training compounds and labels exactly as it learned them: the rows stored with it
 * (see reference-data.ts), or for a model registered before they were kept, its training set
 * rebuilt when the data still gives exactly that set. A model whose rows cannot be recovered (an
 * imported one, or one whose data has changed) has no neighbours to show, and says why.
 */
function trainingFingerprints(db: Db, model: LoadedModel): TrainingFingerprints | WorkbenchError {
  let byModel = cache.get(db)
  if (!byModel) cache.set(db, (byModel = new Map()))
  const key = `${model.row.version}:${model.row.onnx_sha256}`
  const hit = byModel.get(key)
  if (hit) {
    // most recently used last
    byModel.delete(key)
    byModel.set(key, hit)
    return hit
  }
  let value: TrainingFingerprints | WorkbenchError
  try {
    const ref = modelReference(db, model.row.version)
    const fpOf = db.prepare('SELECT morgan_fp FROM compounds WHERE id = ?').pluck()
    const out: TrainingFingerprints = { compoundIds: [], labels: [], fps: [], matchesModel: true }
    ref.compoundIds.forEach((id, i) => {
      const fp = ref.fingerprints
        ? ref.fingerprints.subarray(i * 256, (i + 1) * 256)
        : (fpOf.get(id) as Uint8Array | null | undefined)
      if (!fp) return
      out.compoundIds.push(id)
      out.labels.push(ref.labels[i] as number)
      out.fps.push(fp)
    })
    value = out
  } catch (error) {
    if (!(error instanceof WorkbenchError)) throw error
    value = error
  }
  byModel.set(key, value)
  while (byModel.size > KEEP_MODELS) byModel.delete(byModel.keys().next().value as string)
  return value
}

const NEIGHBOURS = 3

export interface NeighbourQuery {
  smiles: string | null
  /** the predicted structure's Morgan fingerprint (radius 2, 2048 bits), null without a structure */
  morgan: Uint8Array | null
}

function unavailable(message: string): NeighbourReport {
  return { unavailable: message, items: [], inTraining: null, compared: 0, matchesModel: true }
}

/**
 * The training compounds most similar to a predicted one (Tanimoto on the stored Morgan
 * fingerprints), and whether the predicted compound is itself one of them: a compound with
 * similarity 1 whose RDKit canonical SMILES equals the query's (different molecules can share a
 * fingerprint, so similarity 1 alone does not say "the same compound").
 */
export async function nearestTrainingNeighbours(
  ctx: EngineContext,
  model: LoadedModel,
  query: NeighbourQuery,
): Promise<NeighbourReport> {
  // the prediction itself stands whatever happens here: neighbours only explain it
  try {
    return await neighbours(ctx, model, query)
  } catch (error) {
    if (error instanceof WorkbenchError && error.code === 'cancelled') throw error
    return unavailable(
      `The most similar training compounds could not be looked up (${error instanceof Error ? error.message : String(error)}).`,
    )
  }
}

async function neighbours(
  ctx: EngineContext,
  model: LoadedModel,
  query: NeighbourQuery,
): Promise<NeighbourReport> {
  if (query.smiles === null)
    return unavailable(
      'Nearest training compounds need a structure, and this prediction was made from four typed features without one: similarity to the training compounds cannot be computed.',
    )
  if (query.morgan === null)
    return unavailable('RDKit could not compute a fingerprint for this structure.')
  const training = trainingFingerprints(ctx.db, model)
  if (training instanceof WorkbenchError)
    return unavailable(
      `The compounds model ${model.row.version} was trained on are not in this database (it was imported, or their data was removed), so similar training compounds cannot be shown.`,
    )
  if (training.fps.length === 0)
    return unavailable(
      `None of the compounds model ${model.row.version} was trained on has a stored structure (its data had no SMILES), so similarity cannot be computed.`,
    )
  const sims = training.fps.map((fp) => tanimoto(query.morgan as Uint8Array, fp))
  const order = sims.map((_, i) => i).sort((a, b) => (sims[b] as number) - (sims[a] as number))
  const compound = ctx.db.prepare('SELECT chembl_id, name, smiles FROM compounds WHERE id = ?')
  const neighbour = (i: number): TrainingNeighbour => {
    const id = training.compoundIds[i] as number
    const c = compound.get(id) as
      { chembl_id: string | null; name: string | null; smiles: string | null } | undefined
    return {
      compoundId: id,
      chemblId: c?.chembl_id ?? null,
      name: c?.name ?? null,
      smiles: c?.smiles ?? null,
      similarity: sims[i] as number,
      measured: training.labels[i] as number,
    }
  }
  // every training compound with an identical fingerprint is a candidate for "the same compound"
  const ties = order.filter((i) => sims[i] === 1).map(neighbour)
  let same: TrainingNeighbour | null = null
  if (ties.length > 0) {
    const { canonical } = await ctx.pool.run('canonicalSmiles', {
      smiles: [query.smiles, ...ties.map((t) => t.smiles ?? '')],
    })
    const mine = canonical[0]
    same = ties.find((_, k) => mine !== null && canonical[k + 1] === mine) ?? null
  }
  const items = order
    .filter((i) => training.compoundIds[i] !== same?.compoundId)
    .slice(0, NEIGHBOURS)
    .map(neighbour)
  const def = JSON.parse(model.row.training_set_json) as TrainingSetSummary
  const measurements = same
    ? (ctx.db
        .prepare(
          `SELECT standard_type AS standardType, relation, standard_value AS standardValue,
                  standard_units AS standardUnits, p_activity AS pActivity, usable,
                  unusable_reason AS unusableReason
             FROM activities
            WHERE compound_id = ? AND target_chembl_id = ? AND standard_type IN (SELECT value FROM json_each(?))
              AND import_id IN (SELECT id FROM imports WHERE finished_at <= ?)
            ORDER BY id`,
        )
        .all(same.compoundId, def.target, JSON.stringify(def.types), model.row.created_at) as (Omit<
        NonNullable<NeighbourReport['inTraining']>['measurements'][number],
        'used'
      > & { usable: number })[])
    : []
  return {
    unavailable: null,
    items,
    inTraining: same && {
      ...same,
      // the same rule as the training set's (buildTrainingSet)
      measurements: measurements.map(({ usable, ...m }) => ({
        ...m,
        used:
          m.pActivity !== null &&
          (usable === 1 ||
            (def.includeFlagged === true &&
              m.unusableReason !== null &&
              FLAG_REASONS.includes(m.unusableReason))),
      })),
    },
    compared: training.fps.length,
    matchesModel: training.matchesModel,
  }
}
