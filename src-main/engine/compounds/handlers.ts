import {
  type CompoundDetail,
  type CompoundMeasurement,
  type CompoundPrediction,
  type Depiction,
  MEASUREMENTS_SHOWN,
  PREDICTIONS_SHOWN,
  SEED_FEATURE_LABELS,
  WorkbenchError,
} from '../../contract'
import { DESCRIPTOR_LABELS } from '../../chem/descriptor-labels'
import { rdkitVersionString } from '../../chem/rdkit-version'
import type { HandlerGroup } from '../context'
import type { CompoundDb } from '../db/compound-row'
import { depict } from './depictions'
import { startStandardiseJob } from './standardise-job'

/** The columns the compound page shows. */
type CompoundShown = Omit<
  CompoundDb,
  | 'morgan_fp'
  | 'first_import_id'
  | 'created_at'
  | 'updated_at'
  | 'rdkit_seed_json'
  | 'descriptors_2d_json'
>

/** The stored standardisation record as words: a list of changes, or the reason it failed. */
function standardisationTexts(json: string | null): string[] {
  if (!json) return []
  const parsed = JSON.parse(json) as { text?: unknown }[] | { error?: unknown }
  if (!Array.isArray(parsed))
    return typeof parsed.error === 'string' ? [`not standardised: ${parsed.error}`] : []
  return parsed.map((c) => c.text).filter((t): t is string => typeof t === 'string')
}

function notFound(compoundId: number): WorkbenchError {
  return new WorkbenchError(
    'not-found',
    `There is no compound ${compoundId} in this database (it may have been removed with its import).`,
    { compoundId },
  )
}

export const compoundHandlers: HandlerGroup<
  'compounds.get' | 'compounds.depict' | 'compounds.standardise'
> = {
  'compounds.standardise': (_input, ctx) => startStandardiseJob(ctx),
  'compounds.depict': async (input, ctx): Promise<Depiction> => {
    let smiles = input.smiles ?? null
    if (input.compoundId !== undefined) {
      const row = ctx.db
        .prepare('SELECT smiles FROM compounds WHERE id = ?')
        .get(input.compoundId) as { smiles: string | null } | undefined
      if (!row) throw notFound(input.compoundId)
      smiles = row.smiles
      if (smiles === null || smiles.trim() === '')
        return { svg: null, error: 'No structure: the imported data gave no SMILES for it.' }
    }
    const svg = await depict(ctx.pool, (smiles as string).trim())
    return svg === null ? { svg: null, error: 'RDKit cannot read this SMILES.' } : { svg }
  },

  'compounds.get': (input, ctx): CompoundDetail => {
    const c = ctx.db
      .prepare(
        `SELECT id, molecule_key, chembl_id, name, smiles, mw_freebase, alogp, hba, hbd, feature_sources_json,
                rdkit_version, descriptors_json, standardised_smiles, standardisation_json
           FROM compounds WHERE id = ?`,
      )
      .get(input.compoundId) as CompoundShown | undefined
    if (!c) throw notFound(input.compoundId)
    const sources = JSON.parse(c.feature_sources_json) as Record<string, string>
    const seed = (Object.keys(SEED_FEATURE_LABELS) as (keyof typeof SEED_FEATURE_LABELS)[]).map(
      (feature) => ({
        feature,
        label: SEED_FEATURE_LABELS[feature],
        value: c[feature],
        source: sources[feature] ?? null,
      }),
    )
    const descriptors = c.descriptors_json
      ? Object.entries(JSON.parse(c.descriptors_json) as Record<string, unknown>)
          .filter((e): e is [string, number] => typeof e[1] === 'number')
          .map(([name, value]) => ({ name, label: DESCRIPTOR_LABELS[name] ?? name, value }))
      : []
    const count = (sql: string) =>
      (ctx.db.prepare(sql).pluck().get(c.id) as number | undefined) ?? 0
    const measurements = ctx.db
      .prepare(
        `SELECT a.id, a.standard_type AS standardType, a.relation, a.standard_value AS standardValue,
                a.standard_units AS standardUnits, a.p_activity AS pActivity,
                a.target_chembl_id AS targetChemblId, a.target_name AS targetName,
                a.assay_chembl_id AS assayChemblId, a.document_chembl_id AS documentChemblId,
                a.document_year AS documentYear, a.import_id AS importId, i.file_name AS importFile,
                a.line_number AS lineNumber, a.usable, a.unusable_reason AS unusableReason
           FROM activities a JOIN imports i ON i.id = a.import_id
          WHERE a.compound_id = ? ORDER BY a.import_id, a.line_number LIMIT ?`,
      )
      .all(c.id, MEASUREMENTS_SHOWN) as (Omit<CompoundMeasurement, 'usable'> & {
      usable: number
    })[]
    const predictions = ctx.db
      .prepare(
        `SELECT p.batch_id AS batchId, b.source, m.version AS modelVersion, m.target_chembl_id AS target,
                p.p_activity AS pActivity, p.interval_low AS low, p.interval_high AS high,
                p.in_domain AS inDomain, p.failure_reason AS failure, p.created_at AS createdAt
           FROM predictions p
           JOIN prediction_batches b ON b.id = p.batch_id
           JOIN model_versions m ON m.id = b.model_version_id
          WHERE p.compound_id = ? ORDER BY p.id DESC LIMIT ?`,
      )
      .all(c.id, PREDICTIONS_SHOWN) as (Omit<CompoundPrediction, 'interval' | 'inDomain'> & {
      low: number | null
      high: number | null
      inDomain: number | null
    })[]
    return {
      id: c.id,
      chemblId: c.chembl_id,
      name: c.name,
      smiles: c.smiles,
      moleculeKey: c.molecule_key,
      standardisedSmiles: c.standardised_smiles,
      standardisation: standardisationTexts(c.standardisation_json),
      seed,
      rdkitVersion: rdkitVersionString(c.rdkit_version),
      descriptors,
      measurements: measurements.map((m) => ({ ...m, usable: m.usable === 1 })),
      measurementsTotal: count('SELECT count(*) FROM activity_records WHERE compound_id = ?'),
      predictions: predictions.map(({ low, high, inDomain, ...p }) => ({
        ...p,
        interval: low === null || high === null ? null : [low, high],
        inDomain: inDomain === null ? null : inDomain === 1,
      })),
      predictionsTotal: count('SELECT count(*) FROM predictions WHERE compound_id = ?'),
    }
  },
}
