import type { Db } from '../db/connection'
import type { Candidate } from './inputs'
import type { LoadedModel } from './loaded-model'

interface CompoundJoin {
  id: number
  chembl_id: string | null
  molecule_key: string
  smiles: string | null
  mw_freebase: number | null
  alogp: number | null
  hba: number | null
  hbd: number | null
  descriptors_json: string | null
  morgan_fp: Uint8Array | null
  observed: number | null
}

/**
 * Compounds already in the database (all, or those of one import), each with its median usable
 * p-activity against the model's target as the observed value.
 */
export function candidatesFromDatabase(db: Db, model: LoadedModel, importId?: number): Candidate[] {
  const needDescriptors = model.featureSet !== 'core4'
  const rows = db
    .prepare(
      `WITH observed AS (
         SELECT compound_id, avg(p_activity) AS p FROM activities
          WHERE usable = 1 AND target_chembl_id = @target GROUP BY compound_id)
       SELECT c.id, c.chembl_id, c.molecule_key, c.smiles, c.mw_freebase, c.alogp, c.hba, c.hbd,
              ${needDescriptors ? 'c.descriptors_json, c.morgan_fp' : 'NULL AS descriptors_json, NULL AS morgan_fp'},
              o.p AS observed
         FROM compounds c LEFT JOIN observed o ON o.compound_id = c.id
        WHERE @importId IS NULL OR c.id IN (SELECT compound_id FROM activities WHERE import_id = @importId)
        ORDER BY c.id`,
    )
    .all({ target: model.row.target_chembl_id, importId: importId ?? null }) as CompoundJoin[]
  return rows.map((r, i) => ({
    rowNumber: i + 1,
    moleculeId: r.chembl_id ?? r.molecule_key,
    compoundId: r.id,
    smiles: r.smiles,
    seed: { mw_freebase: r.mw_freebase, alogp: r.alogp, hba: r.hba, hbd: r.hbd },
    descriptors: r.descriptors_json
      ? (JSON.parse(r.descriptors_json) as Record<string, number>)
      : null,
    morgan: r.morgan_fp,
    observed: r.observed,
    failure: null,
  }))
}
