import type Database from 'better-sqlite3'
import { WorkbenchError } from '../../contract'
import type { CompoundRecord } from './row-batches'
import type { SeedDescriptors } from '../../chem/rdkit'
import { columnsOf, quoted } from './merge-sql'

type SeedKey = 'mw_freebase' | 'alogp' | 'hba' | 'hbd'
const SEED_KEYS: SeedKey[] = ['mw_freebase', 'alogp', 'hba', 'hbd']

/** A molecule as this import alone would store it (see stagedCompound). */
export interface StagedCompound extends Record<SeedKey, number | null> {
  featureSourcesJson: string
  rdkitVersion: string | null
  descriptorsJson: string | null
  morgan: Buffer | null
  standardisedSmiles: string | null
  standardisationJson: string | null
  rdkitSeedJson: string | null
  descriptors2dJson: string | null
}

/**
 * A molecule as this import alone would store it: the file's seed features first, RDKit's where
 * the file has none, each value's source recorded, and RDKit's version kept with what it computed.
 * What the database already knows of it is taken into account when the import commits
 * (mergeCompounds).
 */
export function stagedCompound(
  c: CompoundRecord,
  rdkitVersionOfImport: string | null,
): StagedCompound {
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
  const values: Record<SeedKey, number | null> = {
    mw_freebase: null,
    alogp: null,
    hba: null,
    hbd: null,
  }
  const sources: Record<string, string> = {}
  for (const k of SEED_KEYS) {
    if (fromFile[k] !== null) {
      values[k] = fromFile[k]
      sources[k] = 'file'
    } else if (fromRdkit[k] !== null) {
      values[k] = fromRdkit[k]
      sources[k] = 'rdkit'
    }
  }
  return {
    ...values,
    featureSourcesJson: JSON.stringify(sources),
    rdkitVersion: f ? rdkitVersionOfImport : null,
    descriptorsJson: f ? JSON.stringify(f.descriptors) : null,
    morgan: f ? Buffer.from(f.morgan) : null,
    standardisedSmiles: f ? f.standardisedSmiles : null,
    standardisationJson: f ? JSON.stringify(f.standardisation) : null,
    rdkitSeedJson: f ? JSON.stringify(rdkitSeed(f.seed)) : null,
    descriptors2dJson: f ? JSON.stringify(f.descriptors2d) : null,
  }
}

/** RDKit's seed features of the standardised parent, named as the compounds table names them. */
export function rdkitSeed(seed: SeedDescriptors): Record<SeedKey, number> {
  return { mw_freebase: seed.mw, alogp: seed.alogp, hba: seed.hba, hbd: seed.hbd }
}

/**
 * Columns the merge does not fill from the staged row: the key, what records the compound's own
 * history, and the sources (merged per seed value). Every other column, today's and any a later
 * migration adds, follows one rule: a value already stored is kept, a missing one is filled.
 */
const NOT_FILLED = new Set([
  'id',
  'molecule_key',
  'chembl_id',
  'first_import_id',
  'created_at',
  'updated_at',
  'feature_sources_json',
])

/**
 * Moves the staged compounds (schema `staged`) into the main database, inside the import's final
 * transaction: a molecule already stored (same molecule key: ChEMBL id, else canonical SMILES)
 * keeps every value it has and gets what it lacks from this file, with the source of each seed
 * value it gains; a new one is inserted as staged, first seen in `importId`. Leaves the main id of
 * every staged compound in temp.compound_ids.
 */
export function mergeCompounds(
  db: Database.Database,
  importId: number,
  now: string,
): { added: number; updated: number } {
  const columns = columnsOf(db, 'compounds')
  const filled = columns.filter((c) => !NOT_FILLED.has(c)).map(quoted)
  // json_set appends a key an object lacks and replaces one it has, as the assignment in
  // JavaScript did, so a compound's sources read the same as before.
  const sources = SEED_KEYS.reduce(
    (json, k) =>
      `CASE WHEN c.${k} IS NULL AND s.${k} IS NOT NULL
         THEN json_set(${json}, '$.${k}', json_extract(s.feature_sources_json, '$.${k}')) ELSE ${json} END`,
    'c.feature_sources_json',
  )
  const updated = db
    .prepare(
      `UPDATE main.compounds AS c
          SET ${filled.map((q) => `${q} = coalesce(c.${q}, s.${q})`).join(', ')},
              feature_sources_json = ${sources}, updated_at = @now
         FROM staged.compounds AS s
        WHERE c.molecule_key = s.molecule_key
          AND (${filled.map((q) => `(c.${q} IS NULL AND s.${q} IS NOT NULL)`).join(' OR ')})`,
    )
    .run({ now }).changes
  const inserted = columns.filter((c) => c !== 'id')
  const added = db
    .prepare(
      `INSERT INTO main.compounds (${inserted.map(quoted).join(', ')})
       SELECT ${inserted.map((c) => (c === 'first_import_id' ? '@importId' : `s.${quoted(c)}`)).join(', ')}
         FROM staged.compounds AS s
        WHERE NOT EXISTS (SELECT 1 FROM main.compounds AS c WHERE c.molecule_key = s.molecule_key)
        ORDER BY s.id`,
    )
    .run({ importId }).changes
  db.exec('CREATE TEMP TABLE compound_ids (staged INTEGER PRIMARY KEY, id INTEGER NOT NULL)')
  const mapped = db
    .prepare(
      `INSERT INTO temp.compound_ids (staged, id)
       SELECT s.id, c.id FROM staged.compounds AS s JOIN main.compounds AS c ON c.molecule_key = s.molecule_key`,
    )
    .run().changes
  const staged = db.prepare('SELECT count(*) FROM staged.compounds').pluck().get() as number
  if (mapped !== staged)
    throw new WorkbenchError(
      'internal',
      `Only ${mapped} of the file's ${staged} compounds could be stored; nothing was imported.`,
    )
  return { added, updated }
}
