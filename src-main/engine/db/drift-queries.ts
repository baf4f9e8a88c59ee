import type {
  ChemistryDriftResult,
  DriftCheck,
  DriftRunHeader,
  DriftRunSummary,
  DriftSettings,
  DriftSource,
  DriftTrigger,
  FeatureDriftResult,
  PerformanceDriftResult,
  PredictionDriftResult,
} from '../../contract/drift'
import type { Db } from './connection'

interface RunRow {
  id: number
  model_version_id: number | null
  model_version: string
  target: string
  is_synthetic: number
  source_json: string
  trigger: DriftTrigger
  reference_rows: number
  current_rows: number
  features_tested: number
  features_drifted: number
  drifted_share: number
  dataset_share: number
  dataset_drifted: number
  prediction_json: string | null
  performance_json: string | null
  chemistry_json: string | null
  seconds: number
  created_at: string
}

interface FeatureRow {
  feature: string
  method: FeatureDriftResult['method']
  overridden: number
  statistic: number | null
  threshold: number
  p_value: number | null
  psi: number | null
  psi_band: FeatureDriftResult['psiBand']
  missing_reference: number
  missing_current: number
  distinct_values: number
  drifted: number
  not_tested: string | null
  histogram_json: string
}

/** A check before it is stored: everything but its id. */
export type NewDriftCheck = Omit<DriftCheck, 'driftRunId' | 'modelDeleted'> & {
  modelVersionId: number
}

/** JSON keeps NaN and Infinity as null; a stored result says null where a number was not finite */
const json = (value: unknown) => (value === null ? null : JSON.stringify(value))

/** Writes a check and its features (in the caller's transaction); returns its id. */
export function insertDriftCheck(db: Db, check: NewDriftCheck): number {
  const source = check.source
  const run = db
    .prepare(
      `INSERT INTO drift_runs (model_version_id, model_version, target, is_synthetic, source_kind,
         source_json, import_id, batch_id, trigger, reference_rows, current_rows, features_tested,
         features_drifted, drifted_share, dataset_share, dataset_drifted, prediction_json,
         performance_json, chemistry_json, seconds, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      check.modelVersionId,
      check.modelVersion,
      check.target,
      check.isSynthetic ? 1 : 0,
      source.kind,
      JSON.stringify(source),
      source.kind === 'import' ? source.importId : null,
      source.kind === 'batch' ? source.batchId : null,
      check.trigger,
      check.referenceRows,
      check.currentRows,
      check.featuresTested,
      check.featuresDrifted,
      check.driftedShare,
      check.datasetShare,
      check.datasetDrift ? 1 : 0,
      json(check.prediction),
      json(check.performance),
      json(check.chemistry),
      check.seconds,
      check.createdAt,
    )
  const id = Number(run.lastInsertRowid)
  const feature = db.prepare(
    `INSERT INTO drift_features (drift_run_id, position, feature, method, overridden, statistic,
       threshold, p_value, psi, psi_band, missing_reference, missing_current, distinct_values,
       drifted, not_tested, histogram_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  check.features.forEach((f, k) =>
    feature.run(
      id,
      k,
      f.name,
      f.method,
      f.overridden ? 1 : 0,
      f.statistic,
      f.threshold,
      f.pValue,
      f.psi,
      f.psiBand,
      f.missing.reference,
      f.missing.current,
      f.distinct,
      f.drifted ? 1 : 0,
      f.notTested,
      JSON.stringify(f.histogram),
    ),
  )
  return id
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T))

/** What a check says of itself, read the same way for the history and the full check. */
function headerOf(run: RunRow): DriftRunHeader {
  return {
    driftRunId: run.id,
    modelVersion: run.model_version,
    modelDeleted: run.model_version_id === null,
    target: run.target,
    isSynthetic: run.is_synthetic === 1,
    source: JSON.parse(run.source_json) as DriftSource,
    trigger: run.trigger,
    createdAt: run.created_at,
    referenceRows: run.reference_rows,
    currentRows: run.current_rows,
    featuresDrifted: run.features_drifted,
    featuresTested: run.features_tested,
    driftedShare: run.drifted_share,
    datasetDrift: run.dataset_drifted === 1,
  }
}

function checkOf(run: RunRow, features: FeatureRow[]): DriftCheck {
  return {
    ...headerOf(run),
    features: features.map((f) => ({
      name: f.feature,
      method: f.method,
      overridden: f.overridden === 1,
      statistic: f.statistic,
      threshold: f.threshold,
      pValue: f.p_value,
      psi: f.psi,
      psiBand: f.psi_band,
      missing: { reference: f.missing_reference, current: f.missing_current },
      distinct: f.distinct_values,
      drifted: f.drifted === 1,
      notTested: f.not_tested,
      histogram: JSON.parse(f.histogram_json) as FeatureDriftResult['histogram'],
    })),
    datasetShare: run.dataset_share,
    prediction: parse<PredictionDriftResult>(run.prediction_json),
    performance: parse<PerformanceDriftResult>(run.performance_json),
    chemistry: parse<ChemistryDriftResult>(run.chemistry_json),
    seconds: run.seconds,
  }
}

/** A stored check, or null when there is none with this id. */
export function selectDriftCheck(db: Db, id: number): DriftCheck | null {
  const run = db.prepare('SELECT * FROM drift_runs WHERE id = ?').get(id) as RunRow | undefined
  if (!run) return null
  const features = db
    .prepare('SELECT * FROM drift_features WHERE drift_run_id = ? ORDER BY position')
    .all(id) as FeatureRow[]
  return checkOf(run, features)
}

export interface DriftHistoryFilter {
  model?: string
  importId?: number
  batchId?: number
  limit?: number
}

/** Stored checks, newest first, without their per-feature rows. */
export function selectDriftHistory(db: Db, filter: DriftHistoryFilter): DriftRunSummary[] {
  const rows = db
    .prepare(
      `SELECT * FROM drift_runs
        WHERE (@model IS NULL OR model_version = @model)
          AND (@importId IS NULL OR import_id = @importId)
          AND (@batchId IS NULL OR batch_id = @batchId)
        ORDER BY id DESC LIMIT @limit`,
    )
    .all({
      model: filter.model ?? null,
      importId: filter.importId ?? null,
      batchId: filter.batchId ?? null,
      limit: filter.limit ?? 1000,
    }) as RunRow[]
  return rows.map((run) => {
    const prediction = parse<PredictionDriftResult>(run.prediction_json)
    const performance = parse<PerformanceDriftResult>(run.performance_json)
    const chemistry = parse<ChemistryDriftResult>(run.chemistry_json)
    return {
      ...headerOf(run),
      predictionDrifted: prediction ? prediction.drifted : null,
      rmse: performance?.rmse ?? null,
      coverage: performance?.coverage ?? null,
      degraded: performance ? performance.degraded : null,
      medianNnSimilarity: chemistry?.medianNnSimilarity ?? null,
    }
  })
}

/** A model's saved drift settings, or null when none were saved. */
export function selectDriftSettings(db: Db, modelVersionId: number): DriftSettings | null {
  const text = db
    .prepare('SELECT settings_json FROM drift_settings WHERE model_version_id = ?')
    .pluck()
    .get(modelVersionId) as string | undefined
  return text === undefined ? null : (JSON.parse(text) as DriftSettings)
}

export function upsertDriftSettings(db: Db, modelVersionId: number, settings: DriftSettings): void {
  db.prepare(
    `INSERT INTO drift_settings (model_version_id, settings_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (model_version_id) DO UPDATE SET settings_json = excluded.settings_json,
       updated_at = excluded.updated_at`,
  ).run(modelVersionId, JSON.stringify(settings), new Date().toISOString())
}

/** How many stored checks were of simulated data. */
export function countSimulatedChecks(db: Db): number {
  return db
    .prepare(
      "SELECT count(*) FROM drift_runs WHERE json_extract(source_json, '$.kind') = 'simulated'",
    )
    .pluck()
    .get() as number
}
