import { createHash } from 'node:crypto'
import {
  type FeatureSet,
  type TargetSummary,
  type TrainingSetSummary,
  WorkbenchError,
} from '../../contract'
import { FLAG_REASONS } from '../../chem/activity-comments'
import {
  descriptors2dNames,
  featureNames,
  isPhyschem43,
  writeFeatures,
} from '../../chem/feature-sets'
import { STANDARDISATION_RULES } from '../../chem/standardise'
import { rdkitVersionString } from '../../chem/rdkit-version'
import { standardTypeKind } from '../../chem/standard-types'
import type { Dataset } from '../../ml/dataset'
import { median } from '../../ml/regression-metrics'
import { type Db, databasePath } from '../db/connection'
import type { CompoundDb } from '../db/compound-row'
import type { WorkerPool } from '../workers/pool'
import { CONTEXT_COUNTS } from '../db/context-counts'

export const DEFAULT_TYPES = ['IC50']

export interface TrainingSetDefinition {
  target?: string | undefined
  types?: string[] | undefined
  featureSet: FeatureSet
  includeFlagged?: boolean | undefined
}

export interface TrainingSet {
  summary: TrainingSetSummary
  /** features in shared memory, so worker threads read them without a copy */
  data: Dataset
  compoundIds: Int32Array
  /** earliest document year per compound, NaN when unknown */
  years: Float64Array
  featureNames: string[]
}

interface ActivityDb {
  compound_id: number
  usable: number
  unusable_reason: string | null
  p_activity: number | null
  document_year: number | null
  target_name: string | null
}

/** What a training row needs of its compound. */
type CompoundFeatures = Pick<
  CompoundDb,
  | 'mw_freebase'
  | 'alogp'
  | 'hba'
  | 'hbd'
  | 'feature_sources_json'
  | 'rdkit_version'
  | 'descriptors_json'
  | 'morgan_fp'
  | 'smiles'
  | 'rdkit_seed_json'
  | 'descriptors_2d_json'
>

export function listTargets(db: Db): TargetSummary[] {
  const rows = db
    .prepare(
      `SELECT x.target_chembl_id AS target, max(x.target_name) AS name, x.standard_type AS type,
              sum(r.n) AS activities, sum(r.usable) AS usable
         FROM ${CONTEXT_COUNTS} WHERE x.target_chembl_id IS NOT NULL
        GROUP BY x.target_chembl_id, x.standard_type`,
    )
    .all() as {
    target: string
    name: string | null
    type: string | null
    activities: number
    usable: number
  }[]
  const byTarget = new Map<string, TargetSummary>()
  for (const r of rows) {
    let t = byTarget.get(r.target)
    if (!t) {
      t = { targetChemblId: r.target, targetName: r.name, activities: 0, usable: 0, types: [] }
      byTarget.set(r.target, t)
    }
    t.activities += r.activities
    t.usable += r.usable
    // % inhibition, ratios and rates can have nM-like units on a few rows; a model of them would
    // mix them with potencies, so only potencies and kinetic constants are offered
    const kind = r.type ? standardTypeKind(r.type) : 'other'
    if (r.type && r.usable > 0 && kind !== 'other')
      t.types.push({ type: r.type, usable: r.usable, kind })
  }
  for (const t of byTarget.values()) t.types.sort((a, b) => b.usable - a.usable)
  return [...byTarget.values()].sort((a, b) => b.usable - a.usable)
}

/** The target with the most usable activities of the given types. */
export function defaultTarget(db: Db, types: string[]): string {
  const row = db
    .prepare(
      `SELECT x.target_chembl_id AS target FROM ${CONTEXT_COUNTS}
        WHERE x.target_chembl_id IS NOT NULL AND x.standard_type IN (SELECT value FROM json_each(?))
        GROUP BY x.target_chembl_id HAVING sum(r.usable) > 0
        ORDER BY sum(r.usable) DESC, x.target_chembl_id LIMIT 1`,
    )
    .get(JSON.stringify(types)) as { target: string } | undefined
  if (!row) throw noTargetError(db, types)
  return row.target
}

/**
 * Why no target could be chosen. A file whose target column was not recognised imports its rows
 * without a target; saying "import a ChEMBL export" to someone who just did sent them in circles,
 * so the message counts those rows and says how to map the column.
 */
function noTargetError(db: Db, types: string[]): WorkbenchError {
  const withoutTarget = db
    .prepare(
      `SELECT coalesce(sum(r.usable), 0) FROM ${CONTEXT_COUNTS}
        WHERE x.target_chembl_id IS NULL AND x.standard_type IN (SELECT value FROM json_each(?))`,
    )
    .pluck()
    .get(JSON.stringify(types)) as number
  const list = types.join(', ')
  if (withoutTarget === 0)
    return new WorkbenchError(
      'not-enough-data',
      `No usable ${list} activities are in the database yet. Import a file of ${list} measurements on the Import screen first.`,
      { types, usableWithoutTarget: 0 },
    )
  return new WorkbenchError(
    'not-enough-data',
    `${withoutTarget.toLocaleString('en')} usable ${list} activities have no target, so a model cannot be trained on them: the file's target column was not recognised. Map the column that holds the target's ChEMBL id and import the file again, with --map "COLUMN=target_chembl_id" on the command line or the column mapping editor on the Import screen.`,
    { types, usableWithoutTarget: withoutTarget },
  )
}

/**
 * Whether a measurement of the training set's target and types labels its compound: relation '='
 * with a p-activity and usable (not censored, not in other units, not implausible, not a result
 * in words), or doubted by ChEMBL's curators when the user includes those. Values ChEMBL's
 * curators doubt carry their doubt as the reason only when nothing else rules them out (see
 * normaliseRow), so including them on request takes no other check. Batch predictions compare
 * with measured values by the same rule.
 */
export function isTrainingLabel(
  r: { p_activity: number | null; usable: number; unusable_reason: string | null },
  includeFlagged: boolean,
): boolean {
  return (
    r.p_activity !== null &&
    (r.usable === 1 ||
      (includeFlagged && r.unusable_reason !== null && FLAG_REASONS.includes(r.unusable_reason)))
  )
}

/** A compound's label from its included measurements: the median of their p-activities. */
export function trainingLabel(pActivities: number[]): number {
  return median(pActivities)
}

/**
 * Builds a training set from imported activities (DESIGN.md section 5): the target's activities of
 * the given types with relation '=' and a value in nM, one row per compound labelled with the
 * median p-activity of its repeats. Every activity left out is counted under its reason.
 */
export function buildTrainingSet(db: Db, def: TrainingSetDefinition): TrainingSet {
  const types = def.types && def.types.length > 0 ? def.types : DEFAULT_TYPES
  const target = def.target ?? defaultTarget(db, types)
  const rows = db
    .prepare(
      `SELECT a.compound_id, a.usable, a.unusable_reason, a.p_activity, a.document_year, a.target_name
         FROM activities a
        WHERE a.target_chembl_id = ? AND a.standard_type IN (SELECT value FROM json_each(?))
        ORDER BY a.compound_id, a.id`,
    )
    .all(target, JSON.stringify(types)) as ActivityDb[]
  // Each compound read once, not once per measurement: its descriptors are kilobytes of JSON.
  const readCompound = db.prepare(
    `SELECT mw_freebase, alogp, hba, hbd, feature_sources_json, rdkit_version, descriptors_json, morgan_fp,
            smiles, rdkit_seed_json, descriptors_2d_json
       FROM compounds WHERE id = ?`,
  )
  const compounds = new Map<number, CompoundFeatures>()
  for (const r of rows)
    if (!compounds.has(r.compound_id))
      compounds.set(r.compound_id, readCompound.get(r.compound_id) as CompoundFeatures)
  if (rows.length === 0)
    throw new WorkbenchError(
      'not-enough-data',
      `There are no ${types.join(', ')} activities for target ${target}. Pick another target or standard type.`,
      { target, types },
    )

  const descriptorNames = isPhyschem43(def.featureSet)
    ? descriptorNamesOf([...compounds.values()])
    : descriptors2dNamesOf([...compounds.values()])
  const names = featureNames(def.featureSet, descriptorNames)
  const f = names.length
  const excluded: Record<string, number> = {}
  const exclude = (reason: string) => {
    excluded[reason] = (excluded[reason] ?? 0) + 1
  }
  // group usable activities by compound (rows are ordered by compound); each group keeps its
  // compound's features, parsed once from the stored JSON
  type Group = {
    rows: ActivityDb[]
    labels: number[]
    compound: CompoundFeatures
    features: ReturnType<typeof compoundFeatures>
  }
  const groups: Group[] = []
  const scratch = new Float32Array(f)
  let activitiesUsed = 0
  let lastCompound = -1
  let lastOk = false
  const included = (r: ActivityDb) => isTrainingLabel(r, def.includeFlagged === true)
  for (const r of rows) {
    if (!included(r)) {
      exclude(r.unusable_reason ?? 'no-value')
      continue
    }
    if (r.compound_id !== lastCompound) {
      lastCompound = r.compound_id
      const compound = compounds.get(r.compound_id) as CompoundFeatures
      const features = compoundFeatures(compound)
      lastOk = writeFeatures(def.featureSet, descriptorNames, features, scratch, 0) === null
      if (lastOk) groups.push({ rows: [], labels: [], compound, features })
    }
    if (!lastOk) {
      exclude('missing-features')
      continue
    }
    const g = groups[groups.length - 1] as Group
    g.rows.push(r)
    g.labels.push(r.p_activity as number)
    activitiesUsed++
  }
  const n = groups.length
  if (n < 10)
    throw new WorkbenchError(
      'not-enough-data',
      `Only ${n} compounds of target ${target} have usable ${types.join(', ')} values and the features of ${def.featureSet}; a model needs at least 10.`,
      { target, types, compounds: n, excluded },
    )

  const x = new Float32Array(new SharedArrayBuffer(n * f * 4))
  const y = new Float64Array(n)
  const compoundIds = new Int32Array(n)
  const years = new Float64Array(n)
  const rdkitVersions = new Set<string>()
  const sources = new Map<string, Set<string>>()
  let rdkitRows = 0
  let spreadOver1 = 0
  const hash = createHash('sha256')
  const flagged = def.includeFlagged === true
  hash.update(
    JSON.stringify({
      target,
      types,
      featureSet: def.featureSet,
      names,
      relation: '=',
      ...(flagged ? { includeFlagged: true } : {}),
    }),
  )
  groups.forEach((g, i) => {
    const first = g.rows[0] as ActivityDb
    const compound = g.compound
    writeFeatures(def.featureSet, descriptorNames, g.features, x, i * f)
    y[i] = trainingLabel(g.labels)
    compoundIds[i] = first.compound_id
    const ys = g.rows.map((r) => r.document_year).filter((v): v is number => v !== null && v > 0)
    years[i] = ys.length ? Math.min(...ys) : NaN
    if (Math.max(...g.labels) - Math.min(...g.labels) > 1) spreadOver1++
    if (g.features.fromRdkit) rdkitRows++
    const fileSources = g.features.fromRdkit
      ? { mw_freebase: 'rdkit', alogp: 'rdkit', hba: 'rdkit', hbd: 'rdkit' }
      : (JSON.parse(compound.feature_sources_json) as Record<string, string>)
    const usesRdkit =
      def.featureSet !== 'core4' || Object.values(fileSources).some((s) => s === 'rdkit')
    if (usesRdkit && compound.rdkit_version)
      rdkitVersions.add(rdkitVersionString(compound.rdkit_version))
    if (def.featureSet === 'core4')
      for (const [feature, source] of Object.entries(fileSources))
        sources.set(feature, (sources.get(feature) ?? new Set()).add(source))
    hash.update(`${first.compound_id}:${y[i]}:`)
  })
  hash.update(new Uint8Array(x.buffer))

  const summary: TrainingSetSummary = {
    target,
    targetName: rows.find((r) => r.target_name)?.target_name ?? null,
    types,
    featureSet: def.featureSet,
    featureNames: names,
    activitiesConsidered: rows.length,
    activitiesUsed,
    compounds: n,
    excluded,
    ...(flagged ? { includeFlagged: true as const } : {}),
    compoundsWithSpreadOver1: spreadOver1,
    rdkitVersions: [...rdkitVersions].sort(),
    mixedSources: [...sources.values()].some((s) => s.size > 1),
    hasYears: years.some((v) => Number.isFinite(v)),
    hash: hash.digest('hex'),
    featureSource: {
      kind: rdkitRows > 0 ? 'rdkit-standardised' : 'file values',
      rdkitRows,
      fileRows: n - rdkitRows,
      standardisation: STANDARDISATION_RULES,
    },
  }
  return { summary, data: { n, f, x, y }, compoundIds, years, featureNames: names }
}

/**
 * A compound's features, from one source: RDKit on the standardised structure whenever the
 * compound has a structure (core4 too: MolWt, Crippen logP, RDKit's HBA and HBD counts), the
 * stored values (the file's) only when it has none. Predictions follow the same rule
 * (predict/inputs.ts), so a compound gets the same features wherever it comes from.
 */
function compoundFeatures(r: CompoundFeatures) {
  const rdkit =
    r.smiles !== null && r.rdkit_seed_json
      ? (JSON.parse(r.rdkit_seed_json) as Record<'mw_freebase' | 'alogp' | 'hba' | 'hbd', number>)
      : null
  return {
    mw_freebase: rdkit ? rdkit.mw_freebase : r.mw_freebase,
    alogp: rdkit ? rdkit.alogp : r.alogp,
    hba: rdkit ? rdkit.hba : r.hba,
    hbd: rdkit ? rdkit.hbd : r.hbd,
    fromRdkit: rdkit !== null,
    descriptors: r.descriptors_json
      ? (JSON.parse(r.descriptors_json) as Record<string, number>)
      : null,
    descriptors2d: r.descriptors_2d_json
      ? (JSON.parse(r.descriptors_2d_json) as Record<string, number>)
      : null,
    morgan: r.morgan_fp,
  }
}

/** RDKit 2D descriptor names, in descList order, of the first compound that has them. */
function descriptors2dNamesOf(rows: CompoundFeatures[]): string[] {
  const first = rows.find((r) => r.descriptors_2d_json)
  return first
    ? descriptors2dNames(JSON.parse(first.descriptors_2d_json as string) as Record<string, number>)
    : []
}

/** Descriptor names in the order of the first compound that has them (RDKit's own order). */
function descriptorNamesOf(rows: CompoundFeatures[]): string[] {
  const first = rows.find((r) => r.descriptors_json)
  return first ? Object.keys(JSON.parse(first.descriptors_json as string) as object) : []
}

/**
 * Builds a training set on a worker thread, through a read-only connection of its own: the
 * engine thread keeps answering while a set of hundreds of thousands of activities is read.
 */
export function buildTrainingSetOnWorker(
  ctx: { pool: WorkerPool; options: { dataDir: string } },
  definition: TrainingSetDefinition,
): Promise<TrainingSet> {
  return ctx.pool.run('buildTrainingSet', { path: databasePath(ctx.options.dataDir), definition })
}
