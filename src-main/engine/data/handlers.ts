import type { ActivityRow, CompoundRow, Facets, Histogram } from '../../contract'
import { rdkitVersionString } from '../../chem/rdkit-version'
import type { EngineContext, HandlerGroup } from '../context'
import { CONTEXT_COUNTS } from '../db/context-counts'

interface Filter {
  search?: string | undefined
  target?: string | undefined
  standardType?: string | undefined
  relation?: string | undefined
  reason?: string | undefined
}

/** LIKE pattern for a substring search, with the user's % and _ taken literally. */
function likePattern(search: string | undefined): string | null {
  const t = search?.trim()
  return t ? `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
}

/** WHERE clause and parameters for activity filters; values are always bound, never spliced. */
function activityWhere(f: Filter): { sql: string; params: (string | null)[] } {
  const clauses: string[] = []
  const params: (string | null)[] = []
  if (f.target) {
    clauses.push('a.target_chembl_id = ?')
    params.push(f.target)
  }
  if (f.standardType) {
    clauses.push('a.standard_type = ?')
    params.push(f.standardType)
  }
  if (f.relation) {
    clauses.push('a.relation = ?')
    params.push(f.relation)
  }
  if (f.reason === 'usable') clauses.push('a.usable = 1')
  else if (f.reason === 'excluded') clauses.push('a.usable = 0')
  else if (f.reason === 'no-value') clauses.push('a.usable = 0 AND a.unusable_reason IS NULL')
  else if (f.reason) {
    clauses.push('a.usable = 0 AND a.unusable_reason = ?')
    params.push(f.reason)
  }
  const like = likePattern(f.search)
  if (like) {
    clauses.push(
      "(c.chembl_id LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\' OR c.smiles LIKE ? ESCAPE '\\')",
    )
    params.push(like, like, like)
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params }
}

interface ActivityDb {
  id: number
  compound_id: number
  chembl_id: string | null
  name: string | null
  smiles: string | null
  standard_type: string | null
  relation: string | null
  standard_value: number | null
  standard_units: string | null
  value_nm: number | null
  p_activity: number | null
  target_chembl_id: string | null
  usable: number
  unusable_reason: string | null
}

const SEED_FEATURES = [
  { feature: 'mw_freebase', label: 'Molecular weight (g/mol)' },
  { feature: 'alogp', label: 'AlogP' },
  { feature: 'hba', label: 'H-bond acceptors' },
  { feature: 'hbd', label: 'H-bond donors' },
] as const

export const dataHandlers: HandlerGroup<
  'data.activities' | 'data.compounds' | 'data.facets' | 'data.histograms'
> = {
  'data.activities': (input, ctx) => {
    const where = activityWhere(input)
    const from = 'FROM activities a JOIN compounds c ON c.id = a.compound_id'
    // Every activity has its compound (a foreign key), so the total needs the compounds only to
    // search them; without them it reads only records and contexts (a million rows: 0.06 s, not 1.5 s).
    const countFrom = likePattern(input.search) ? from : 'FROM activities a'
    const total = input.withTotal
      ? (
          ctx.db
            .prepare(`SELECT count(*) AS total ${countFrom} ${where.sql}`)
            .get(...where.params) as {
            total: number
          }
        ).total
      : null
    const rows = ctx.db
      .prepare(
        `SELECT a.id, a.compound_id, c.chembl_id, c.name, c.smiles, a.standard_type, a.relation, a.standard_value, a.standard_units,
           a.value_nm, a.p_activity, a.target_chembl_id, a.usable, a.unusable_reason
         ${from} ${where.sql} ORDER BY a.id LIMIT ? OFFSET ?`,
      )
      .all(...where.params, input.limit, input.offset) as ActivityDb[]
    return {
      total,
      rows: rows.map((r): ActivityRow => ({
        id: r.id,
        compoundId: r.compound_id,
        chemblId: r.chembl_id,
        name: r.name,
        smiles: r.smiles,
        standardType: r.standard_type,
        relation: r.relation,
        standardValue: r.standard_value,
        standardUnits: r.standard_units,
        valueNm: r.value_nm,
        pActivity: r.p_activity,
        targetChemblId: r.target_chembl_id,
        usable: r.usable === 1,
        unusableReason: r.unusable_reason,
      })),
    }
  },

  'data.compounds': (input, ctx) => {
    const like = likePattern(input.search)
    const where = like
      ? "WHERE c.chembl_id LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\' OR c.smiles LIKE ? ESCAPE '\\'"
      : ''
    const params = like ? [like, like, like] : []
    const total = input.withTotal
      ? (
          ctx.db.prepare(`SELECT count(*) AS total FROM compounds c ${where}`).get(...params) as {
            total: number
          }
        ).total
      : null
    const rows = ctx.db
      .prepare(
        `SELECT c.id, c.chembl_id, c.name, c.smiles, c.mw_freebase, c.alogp, c.hba, c.hbd, c.feature_sources_json, c.rdkit_version,
           (SELECT count(*) FROM activity_records a WHERE a.compound_id = c.id) AS activities
         FROM compounds c ${where} ORDER BY c.id LIMIT ? OFFSET ?`,
      )
      .all(...params, input.limit, input.offset) as (Omit<
      CompoundRow,
      'chemblId' | 'featureSources' | 'rdkitVersion'
    > & {
      chembl_id: string | null
      feature_sources_json: string
      rdkit_version: string | null
    })[]
    return {
      total,
      rows: rows.map(({ chembl_id, feature_sources_json, rdkit_version, ...r }) => ({
        ...r,
        chemblId: chembl_id,
        featureSources: JSON.parse(feature_sources_json) as Record<string, string>,
        rdkitVersion: rdkitVersionString(rdkit_version),
      })),
    }
  },

  'data.facets': (_input, ctx): Facets => cached(ctx, 'facets', () => facets(ctx)),

  'data.histograms': (input, ctx) =>
    Object.values(input).some(Boolean)
      ? histograms(ctx, input)
      : cached(ctx, 'histograms', () => histograms(ctx, input)),
}

/**
 * Whole-table summaries take a second at a million rows and change only when data is imported:
 * they are kept per engine and dropped when the set of imports changes.
 */
const summaries = new WeakMap<EngineContext, { version: string; values: Map<string, unknown> }>()

function cached<T>(ctx: EngineContext, key: string, compute: () => T): T {
  const v = ctx.db.prepare('SELECT count(*) AS n, max(id) AS last FROM imports').get() as {
    n: number
    last: number | null
  }
  const version = `${v.n}:${v.last}`
  let entry = summaries.get(ctx)
  if (!entry || entry.version !== version) {
    entry = { version, values: new Map() }
    summaries.set(ctx, entry)
  }
  if (!entry.values.has(key)) entry.values.set(key, compute())
  return entry.values.get(key) as T
}

function facets(ctx: EngineContext): Facets {
  const count = (sql: string) => (ctx.db.prepare(sql).get() as { n: number }).n
  return {
    compounds: count('SELECT count(*) AS n FROM compounds'),
    activities: count('SELECT count(*) AS n FROM activity_records'),
    targets: ctx.db
      .prepare(
        `SELECT x.target_chembl_id AS id, max(x.target_name) AS name, sum(r.n) AS count FROM ${CONTEXT_COUNTS}
          WHERE x.target_chembl_id IS NOT NULL GROUP BY x.target_chembl_id ORDER BY count DESC, id LIMIT 200`,
      )
      .all() as Facets['targets'],
    standardTypes: ctx.db
      .prepare(
        `SELECT x.standard_type AS type, sum(r.n) AS count FROM ${CONTEXT_COUNTS}
          WHERE x.standard_type IS NOT NULL GROUP BY x.standard_type ORDER BY count DESC, type LIMIT 200`,
      )
      .all() as Facets['standardTypes'],
    relations: ctx.db
      .prepare(
        'SELECT relation, count(*) AS count FROM activity_records WHERE relation IS NOT NULL GROUP BY relation ORDER BY count DESC',
      )
      .all() as Facets['relations'],
    // a row without a reason that is not usable has no pActivity (none given, none derivable)
    training: ctx.db
      .prepare(
        `SELECT CASE WHEN usable = 1 THEN 'usable' ELSE coalesce(unusable_reason, 'no-value') END AS reason,
                count(*) AS count FROM activity_records GROUP BY 1 ORDER BY count DESC, reason`,
      )
      .all() as Facets['training'],
  }
}

function histograms(ctx: EngineContext, filter: Filter): Histogram[] {
  const where = activityWhere(filter)
  const filtered = where.sql !== ''
  const result: Histogram[] = []
  for (const { feature, label } of SEED_FEATURES) {
    // per compound: a compound measured many times counts once
    const sql = filtered
      ? `SELECT c.${feature} AS v FROM compounds c WHERE c.${feature} IS NOT NULL AND c.id IN (SELECT a.compound_id FROM activities a JOIN compounds c ON c.id = a.compound_id ${where.sql})`
      : `SELECT ${feature} AS v FROM compounds WHERE ${feature} IS NOT NULL`
    const values = ctx.db
      .prepare(sql)
      .pluck()
      .all(...where.params) as number[]
    result.push(histogram(feature, label, values, feature === 'hba' || feature === 'hbd'))
  }
  const pSql = `SELECT a.p_activity FROM activities a JOIN compounds c ON c.id = a.compound_id ${where.sql ? `${where.sql} AND` : 'WHERE'} a.p_activity IS NOT NULL`
  result.push(
    histogram(
      'p_activity',
      'pActivity (9 − log10 nM)',
      ctx.db
        .prepare(pSql)
        .pluck()
        .all(...where.params) as number[],
      false,
    ),
  )
  return result
}

const BINS = 40

/** Equal-width bins over the data's range; whole-number features get one bin per integer. */
export function histogram(
  feature: string,
  label: string,
  values: number[],
  integer: boolean,
): Histogram {
  if (values.length === 0) return { feature, label, edges: [], counts: [], n: 0 }
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const v of values) {
    if (v < min) min = v
    if (v > max) max = v
  }
  let edges: number[]
  if (integer) {
    edges = Array.from({ length: max - min + 2 }, (_, i) => min + i - 0.5)
  } else {
    const width = max > min ? (max - min) / BINS : 1
    edges = Array.from({ length: BINS + 1 }, (_, i) => min + i * width)
  }
  const counts = new Array<number>(edges.length - 1).fill(0)
  const first = edges[0] as number
  const width = (edges[1] as number) - first
  for (const v of values) {
    const i = Math.min(counts.length - 1, Math.floor((v - first) / width))
    counts[i] = (counts[i] ?? 0) + 1
  }
  return { feature, label, edges, counts, n: values.length }
}
