import { type TrainingSetSummary, WorkbenchError } from '../../contract'
import type { Db } from '../db/connection'
import { modelReference } from '../models/reference-data'
import { isTrainingLabel, trainingLabel } from '../models/training-set'
import type { Candidate, FileColumns } from './inputs'
import type { LoadedModel } from './loaded-model'

/** What a model was trained on: its target, standard types and whether doubted values counted. */
export interface ModelDefinition {
  target: string
  targetName: string | null
  types: string[]
  includeFlagged: boolean
}

export function modelDefinition(model: LoadedModel): ModelDefinition {
  const set = JSON.parse(model.row.training_set_json) as Partial<TrainingSetSummary>
  return {
    target: model.row.target_chembl_id,
    targetName: set.targetName ?? null,
    types: set.types && set.types.length > 0 ? set.types : ['IC50'],
    includeFlagged: set.includeFlagged === true,
  }
}

/** Rows of a file name the model's target (or the file has no target column to say otherwise). */
export function namesModelTarget(
  c: Candidate,
  def: ModelDefinition,
  columns: FileColumns | undefined,
): boolean {
  if (!columns?.target) return true
  return c.measurement?.target === def.target.toUpperCase()
}

/** A compound as a file row names it: its ChEMBL id, else its SMILES as written. */
export function compoundKey(c: Candidate): string | null {
  if (c.moleculeId)
    return c.moleculeId.startsWith('smiles:') ? c.moleculeId : c.moleculeId.toUpperCase()
  return c.smiles ? `smiles:${c.smiles}` : null
}

/**
 * The measured value of each file row's compound, by the training set's own rule: the file's rows
 * of that compound on the model's target and of its standard types, those that would label a
 * compound in training (isTrainingLabel: '=', a p-activity, not censored, not implausible, not
 * doubted unless the model included doubted values), and their median (trainingLabel). Every row
 * of the compound gets the same value; a compound without such a row has none. A file without a
 * target or type column cannot say otherwise, so its rows count as the model's.
 */
export function applyMeasured(
  candidates: Candidate[],
  def: ModelDefinition,
  columns: FileColumns | undefined,
): void {
  const types = new Set(def.types)
  const labels = new Map<string, number[]>()
  for (const c of candidates) {
    const m = c.measurement
    const key = compoundKey(c)
    if (!m || key === null) continue
    if (!namesModelTarget(c, def, columns)) continue
    if (columns?.type && (m.type === null || !types.has(m.type))) continue
    if (!isTrainingLabel(m, def.includeFlagged)) continue
    const list = labels.get(key)
    if (list) list.push(m.p_activity as number)
    else labels.set(key, [m.p_activity as number])
  }
  for (const c of candidates) {
    const key = compoundKey(c)
    const list = key === null ? undefined : labels.get(key)
    c.observed = list ? trainingLabel(list) : null
  }
}

/**
 * The molecule keys (ChEMBL id, else "smiles:" and the canonical SMILES) of the compounds a model
 * was trained on, from the training rows stored with it (rebuilt once, when the data still gives
 * exactly its training set, for a model registered before they were kept, such as the bundled
 * baseline). Null when it cannot be told: a model imported from a colleague, or data changed.
 */
export function trainingCompounds(db: Db, model: LoadedModel): Set<string> | null {
  let compoundIds: Int32Array
  try {
    const ref = modelReference(db, model.row.version)
    compoundIds = ref.compoundIds
  } catch (error) {
    // an imported model, or data changed since training: not known
    if (error instanceof WorkbenchError) return null
    throw error
  }
  const keyOf = db.prepare('SELECT molecule_key FROM compounds WHERE id = ?').pluck()
  const keys = new Set<string>()
  for (const id of compoundIds) {
    const key = keyOf.get(id) as string | undefined
    if (key) keys.add(key)
  }
  return keys
}

/** Marks each candidate in or out of the training set (null for all when that is not known). */
export function markTrainingSet(candidates: Candidate[], keys: Set<string> | null): void {
  for (const c of candidates) {
    const key = compoundKey(c)
    c.inTrainingSet = keys === null || key === null ? null : keys.has(key)
  }
}
