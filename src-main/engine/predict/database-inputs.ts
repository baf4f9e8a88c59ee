import type { Db } from '../db/connection'
import type { CompoundDb } from '../db/compound-row'
import { isTrainingLabel, trainingLabel } from '../models/training-set'
import type { Candidate } from './inputs'
import { isPhyschem43 } from '../../chem/feature-sets'
import type { LoadedModel } from './loaded-model'
import { modelDefinition } from './measured'

/** The columns a prediction from the database reads of each compound. */
type CompoundJoin = Pick<
  CompoundDb,
  | 'id'
  | 'chembl_id'
  | 'molecule_key'
  | 'smiles'
  | 'mw_freebase'
  | 'alogp'
  | 'hba'
  | 'hbd'
  | 'descriptors_json'
  | 'morgan_fp'
  | 'rdkit_seed_json'
  | 'descriptors_2d_json'
>

/**
 * Compounds already in the database (all, or those of one import), each with its measured value
 * by the training set's rule: the median p-activity of its measurements of the model's target and
 * standard types that would label it in training.
 */
export function candidatesFromDatabase(db: Db, model: LoadedModel, importId?: number): Candidate[] {
  const needDescriptors = model.featureSet !== 'core4'
  const need2d = needDescriptors && !isPhyschem43(model.featureSet)
  const def = modelDefinition(model)
  const labels = new Map<number, number[]>()
  const measured = db
    .prepare(
      `SELECT compound_id, p_activity, usable, unusable_reason FROM activities
        WHERE target_chembl_id = ? AND standard_type IN (SELECT value FROM json_each(?))`,
    )
    .all(def.target, JSON.stringify(def.types)) as {
    compound_id: number
    p_activity: number | null
    usable: number
    unusable_reason: string | null
  }[]
  for (const m of measured) {
    if (!isTrainingLabel(m, def.includeFlagged)) continue
    const list = labels.get(m.compound_id)
    if (list) list.push(m.p_activity as number)
    else labels.set(m.compound_id, [m.p_activity as number])
  }
  const rows = db
    .prepare(
      `SELECT c.id, c.chembl_id, c.molecule_key, c.smiles, c.mw_freebase, c.alogp, c.hba, c.hbd,
              ${needDescriptors ? 'c.descriptors_json, c.morgan_fp' : 'NULL AS descriptors_json, NULL AS morgan_fp'},
              ${need2d ? 'c.descriptors_2d_json' : 'NULL AS descriptors_2d_json'}, c.rdkit_seed_json
         FROM compounds c
        WHERE @importId IS NULL OR c.id IN (SELECT compound_id FROM activities WHERE import_id = @importId)
        ORDER BY c.id`,
    )
    .all({ importId: importId ?? null }) as CompoundJoin[]
  return rows.map((r, i) => ({
    rowNumber: i + 1,
    moleculeId: r.chembl_id ?? r.molecule_key,
    compoundId: r.id,
    smiles: r.smiles,
    seed: { mw_freebase: r.mw_freebase, alogp: r.alogp, hba: r.hba, hbd: r.hbd },
    descriptors: r.descriptors_json
      ? (JSON.parse(r.descriptors_json) as Record<string, number>)
      : null,
    descriptors2d: r.descriptors_2d_json
      ? (JSON.parse(r.descriptors_2d_json) as Record<string, number>)
      : null,
    rdkitSeed: r.rdkit_seed_json ? (JSON.parse(r.rdkit_seed_json) as Candidate['seed']) : null,
    morgan: r.morgan_fp,
    observed: labels.has(r.id) ? trainingLabel(labels.get(r.id) as number[]) : null,
    failure: null,
  }))
}
