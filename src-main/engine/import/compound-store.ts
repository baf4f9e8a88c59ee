import type Database from 'better-sqlite3'
import type { CompoundRecord } from './row-batches'

type SeedKey = 'mw_freebase' | 'alogp' | 'hba' | 'hbd'
const SEED_KEYS: SeedKey[] = ['mw_freebase', 'alogp', 'hba', 'hbd']

interface CompoundDb {
  id: number
  name: string | null
  smiles: string | null
  mw_freebase: number | null
  alogp: number | null
  hba: number | null
  hbd: number | null
  feature_sources_json: string
  rdkit_version: string | null
  descriptors_json: string | null
  morgan_fp: Buffer | null
}

export interface CompoundStore {
  /** Adds a molecule, or fills what an existing one lacks (values already stored are kept); returns its id. */
  store(c: CompoundRecord, importId: number): number
  readonly added: number
  readonly updated: number
}

/**
 * Compounds as an import writes them: the file's seed features first, RDKit's where the file has
 * none, each value's source recorded, and RDKit's version kept with what it computed.
 */
export function compoundStore(
  db: Database.Database,
  rdkitVersionOfImport: string | null,
  now: string,
): CompoundStore {
  const findCompound = db.prepare(
    'SELECT id, name, smiles, mw_freebase, alogp, hba, hbd, feature_sources_json, rdkit_version, descriptors_json, morgan_fp FROM compounds WHERE molecule_key = ?',
  )
  const insertCompound = db.prepare(
    `INSERT INTO compounds (molecule_key, chembl_id, name, smiles, mw_freebase, alogp, hba, hbd, feature_sources_json,
       rdkit_version, descriptors_json, morgan_fp, first_import_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const updateCompound = db.prepare(
    `UPDATE compounds SET name = ?, smiles = ?, mw_freebase = ?, alogp = ?, hba = ?, hbd = ?, feature_sources_json = ?,
       rdkit_version = ?, descriptors_json = ?, morgan_fp = ?, updated_at = ? WHERE id = ?`,
  )
  let added = 0
  let updated = 0

  const store = (c: CompoundRecord, importId: number): number => {
    const f = c.features
    const fromFile: Record<SeedKey, number | null> = {
      mw_freebase: c.file.mw,
      alogp: c.file.alogp,
      hba: c.file.hba,
      hbd: c.file.hbd,
    }
    const fromRdkit: Record<SeedKey, number | null> = f
      ? { mw_freebase: f.seed.mw, alogp: f.seed.alogp, hba: f.seed.hba, hbd: f.seed.hbd }
      : { mw_freebase: null, alogp: null, hba: null, hbd: null }
    const existing = findCompound.get(c.key) as CompoundDb | undefined
    const sources: Record<string, string> = existing
      ? (JSON.parse(existing.feature_sources_json) as Record<string, string>)
      : {}
    const values: Record<SeedKey, number | null> = {
      mw_freebase: null,
      alogp: null,
      hba: null,
      hbd: null,
    }
    for (const k of SEED_KEYS) {
      const kept = existing?.[k] ?? null
      if (kept !== null) values[k] = kept
      else if (fromFile[k] !== null) {
        values[k] = fromFile[k]
        sources[k] = 'file'
      } else if (fromRdkit[k] !== null) {
        values[k] = fromRdkit[k]
        sources[k] = 'rdkit'
      }
    }
    const descriptorsJson = existing?.descriptors_json ?? (f ? JSON.stringify(f.descriptors) : null)
    const morgan = existing?.morgan_fp ?? (f ? Buffer.from(f.morgan) : null)
    const rdkitVersion = existing?.rdkit_version ?? (f ? rdkitVersionOfImport : null)
    const sourcesJson = JSON.stringify(sources)
    if (!existing) {
      added++
      return Number(
        insertCompound.run(
          c.key,
          c.chemblId,
          c.name,
          c.smiles,
          values.mw_freebase,
          values.alogp,
          values.hba,
          values.hbd,
          sourcesJson,
          rdkitVersion,
          descriptorsJson,
          morgan,
          importId,
          now,
          now,
        ).lastInsertRowid,
      )
    }
    const name = existing.name ?? c.name
    const smiles = existing.smiles ?? c.smiles
    const changed =
      name !== existing.name ||
      smiles !== existing.smiles ||
      sourcesJson !== existing.feature_sources_json ||
      descriptorsJson !== existing.descriptors_json ||
      rdkitVersion !== existing.rdkit_version ||
      SEED_KEYS.some((k) => values[k] !== existing[k])
    if (changed) {
      updateCompound.run(
        name,
        smiles,
        values.mw_freebase,
        values.alogp,
        values.hba,
        values.hbd,
        sourcesJson,
        rdkitVersion,
        descriptorsJson,
        morgan,
        now,
        existing.id,
      )
      updated++
    }
    return existing.id
  }

  return {
    store,
    get added() {
      return added
    },
    get updated() {
      return updated
    },
  }
}
