import {
  type AutoSearch,
  type CoverageSummary,
  type DomainInfo,
  type IntervalInfo,
  type Learner,
  type Metrics,
  type ModelDetail,
  type ModelSummary,
  type FeatureSet,
  type RollbackResult,
  type RunRecord,
  type TrainingSetSummary,
  WorkbenchError,
} from '../../contract'
import { rdkitVersionList } from '../../chem/rdkit-version'
import { type Calibration, typicalHalfWidth } from '../../ml/conformal'
import type { CoverageReport } from '../../ml/coverage'
import type { HeldOutCoverage, StoredDomain } from './finish-model'
import type { Db } from '../db/connection'
import {
  type ModelRow,
  countBatchesOf,
  deleteModelRow,
  insertModelAudit,
  insertModelRow,
  insertPromotion,
  selectFirstAuditDetails,
  selectModel,
  selectModelHistory,
  selectModels,
  selectNextModelId,
  selectOnnx,
  selectOnnxSize,
  selectProductionModel,
  selectReplacedBy,
  selectVersionName,
  setArchived,
  setProduction,
  versionExists,
  versionNameUsed,
} from '../db/model-queries'
import { selectTrainingRuns } from '../db/training-run-queries'

export type { ModelRow }

/** What cv_metrics_json holds. */
export interface StoredEvaluation {
  cv: Metrics
  folds: number
  oof: { observed: number[]; predicted: number[] }
  timeSplit: ModelDetail['timeSplit']
  /** held-out coverage (the nested CV's); for models before it, the out-of-fold residuals' own */
  intervalCoverage: number
  /** absent for models calibrated before coverage was measured on held-out rows */
  coverage?: HeldOutCoverage
  onnxMaxDifference: number
  /** absent for single learners, and for models trained before the search was recorded */
  search?: AutoSearch
}

export function audit(
  db: Db,
  action: string,
  entityId: string,
  reason: string | null | undefined,
  details: object,
): void {
  insertModelAudit(db, {
    at: new Date().toISOString(),
    action,
    version: entityId,
    reason: reason ?? null,
    details,
  })
}

export function modelRow(db: Db, version: string): ModelRow {
  const row = selectModel(db, version)
  if (!row)
    throw new WorkbenchError('not-found', `There is no model version ${version}.`, { version })
  return row
}

export function productionRow(db: Db, target: string): ModelRow | null {
  return selectProductionModel(db, target) ?? null
}

export function onnxBytes(db: Db, id: number): Uint8Array {
  const onnx = selectOnnx(db, id)
  if (!onnx) throw new WorkbenchError('not-found', 'That model version no longer exists.')
  return onnx
}

function versionName(db: Db, id: number | null): string | null {
  return id === null ? null : selectVersionName(db, id)
}

/**
 * The version a rollback of `row` would restore: the production model its promotion replaced,
 * while that version still exists. Null for versions not in production.
 */
function rollbackTarget(db: Db, row: ModelRow): string | null {
  if (row.stage !== 'production') return null
  const previous = selectReplacedBy(db, row.version)
  if (!previous || !versionExists(db, previous)) return null
  return previous
}

/** Where an imported version came from, as its card told it; null for versions trained here. */
function importOrigin(db: Db, row: ModelRow): ModelSummary['importedFrom'] {
  const details = selectFirstAuditDetails(db, row.version, 'import')
  if (details === undefined) return null
  const d = JSON.parse(details) as {
    importedFrom?: string
    parentVersion?: string | null
    appVersion?: string | null
  }
  if (!d.importedFrom) return null
  return {
    version: d.importedFrom,
    parentVersion: d.parentVersion ?? null,
    appVersion: d.appVersion ?? null,
  }
}

export function summarize(db: Db, row: ModelRow): ModelSummary {
  const evaluation = JSON.parse(row.cv_metrics_json) as StoredEvaluation
  const calibration = JSON.parse(row.calibration_json) as Calibration
  return {
    version: row.version,
    target: row.target_chembl_id,
    learner: row.learner,
    featureSet: row.feature_set,
    trainingRows: row.training_rows,
    trainingSetHash: row.training_set_hash,
    cv: evaluation.cv,
    intervalHalfWidth: typicalHalfWidth(calibration),
    stage: row.stage,
    parentVersion: versionName(db, row.parent_version_id),
    rollbackTo: rollbackTarget(db, row),
    importedFrom: importOrigin(db, row),
    isSynthetic: row.is_synthetic === 1,
    onnxSha256: row.onnx_sha256,
    createdAt: row.created_at,
    promotedAt: row.promoted_at,
  }
}

export function listModels(db: Db): ModelSummary[] {
  return selectModels(db).map((r) => summarize(db, r))
}

export function modelDetail(db: Db, version: string): ModelDetail {
  const row = modelRow(db, version)
  const evaluation = JSON.parse(row.cv_metrics_json) as StoredEvaluation
  const names = JSON.parse(row.feature_names_json) as string[]
  const importance = row.importance_json ? (JSON.parse(row.importance_json) as number[]) : []
  const history = selectModelHistory(db, row.version)
  return {
    ...summarize(db, row),
    params: JSON.parse(row.params_json) as Record<string, number | boolean>,
    featureNames: names,
    trainingSet: JSON.parse(row.training_set_json) as TrainingSetSummary,
    rdkitVersion: rdkitVersionList(row.rdkit_version),
    seed: row.seed,
    folds: evaluation.folds,
    oof: evaluation.oof,
    timeSplit: evaluation.timeSplit,
    importance: names
      .map((feature, j) => ({ feature, value: importance[j] ?? 0 }))
      .filter((i) => i.value > 0)
      .sort((a, b) => b.value - a.value)
      .slice(0, 30),
    intervalCoverage: evaluation.intervalCoverage,
    interval: intervalInfo(row, evaluation),
    domain: domainInfo(row),
    onnxBytes: selectOnnxSize(db, row.id),
    onnxMaxDifference: evaluation.onnxMaxDifference,
    search: evaluation.search ?? null,
    history,
  }
}

function coverageSummary(r: CoverageReport | null | undefined): CoverageSummary | null {
  if (!r) return null
  return {
    rows: r.rows,
    coverage: r.coverage,
    byFifth: r.byFifth,
    // stored as JSON, where NaN (constant widths) became null
    widthErrorSpearman: Number.isFinite(r.widthErrorSpearman) ? r.widthErrorSpearman : null,
    meanWidth: r.meanWidth,
  }
}

/** How a version's intervals are made, and their held-out coverage when it was measured. */
export function intervalInfo(row: ModelRow, evaluation: StoredEvaluation): IntervalInfo {
  const calibration = JSON.parse(row.calibration_json) as Calibration
  return {
    method: calibration.method === 'normalised-mondrian-cv-plus' ? 'adaptive' : 'constant',
    level: 1 - calibration.alpha,
    nested: coverageSummary(evaluation.coverage?.nested),
    timeSplit: coverageSummary(evaluation.coverage?.timeSplit),
  }
}

export function domainInfo(row: ModelRow): DomainInfo {
  const domain = JSON.parse(row.domain_json) as StoredDomain
  return {
    structureAware: domain.similarity !== undefined,
    similarityThreshold: domain.similarity?.threshold ?? null,
    similarityPercentile: domain.similarity?.percentile ?? null,
    structures: domain.similarity?.count ?? 0,
    descriptorThreshold: domain.threshold,
  }
}

/** Makes `version` its target's production model, archiving the one it replaces. */
export function promote(
  db: Db,
  version: string,
  reason: string | undefined,
  action: 'promote' | 'rollback' = 'promote',
) {
  return db.transaction(() => {
    const row = modelRow(db, version)
    if (row.stage === 'production')
      throw new WorkbenchError('not-allowed', `${version} is already the production model.`)
    const previous = productionRow(db, row.target_chembl_id)
    const now = new Date().toISOString()
    if (previous) {
      setArchived(db, previous.id)
      audit(db, 'archive', previous.version, `replaced by ${version}`, { replacedBy: version })
    }
    setProduction(db, row.id, now)
    insertPromotion(db, { at: now, version, action, previous: previous?.version ?? null })
    audit(db, action, version, reason, {
      target: row.target_chembl_id,
      previous: previous?.version ?? null,
    })
    return summarize(db, modelRow(db, version))
  })()
}

/** Puts back the model that production replaced most recently, and says which it was. */
export function rollback(db: Db, target: string, reason: string): RollbackResult {
  return db.transaction(() => {
    const current = productionRow(db, target)
    if (!current)
      throw new WorkbenchError('no-production-model', `Target ${target} has no production model.`)
    const previous = rollbackTarget(db, current)
    if (!previous)
      throw new WorkbenchError(
        'not-allowed',
        `There is no earlier production model of ${target} to roll back to.`,
      )
    return { restored: promote(db, previous, reason, 'rollback'), replaced: current.version }
  })()
}

export function archive(db: Db, version: string, reason: string | undefined) {
  return db.transaction(() => {
    const row = modelRow(db, version)
    if (row.stage === 'production')
      throw new WorkbenchError(
        'not-allowed',
        `${version} is the production model of ${row.target_chembl_id}. Promote another version or roll back first.`,
      )
    if (row.stage === 'archived') return summarize(db, row)
    setArchived(db, row.id)
    audit(db, 'archive', version, reason, {})
    return summarize(db, modelRow(db, version))
  })()
}

export function deleteModel(db: Db, version: string, reason: string | undefined) {
  return db.transaction(() => {
    const row = modelRow(db, version)
    if (row.stage === 'production')
      throw new WorkbenchError(
        'not-allowed',
        `${version} is the production model of ${row.target_chembl_id} and cannot be deleted. Promote another version first.`,
      )
    const used = countBatchesOf(db, row.id)
    if (used > 0)
      throw new WorkbenchError(
        'not-allowed',
        `${version} made ${used} prediction batch(es); it is kept so they stay explainable. Archive it instead.`,
      )
    deleteModelRow(db, row.id)
    audit(db, 'delete', version, reason, { onnxSha256: row.onnx_sha256 })
    return { deleted: version }
  })()
}

/** The next version name never given (v1, v2, ...); call inside the inserting transaction. */
export function nextVersion(db: Db): string {
  let n = selectNextModelId(db)
  while (versionNameUsed(db, `v${n}`)) n++
  return `v${n}`
}

export interface NewModel {
  target: string
  learner: Learner
  params: Record<string, number | boolean>
  featureSet: FeatureSet
  featureNames: string[]
  trainingSet: TrainingSetSummary
  trainingRows: number
  seed: number | null
  evaluation: StoredEvaluation
  calibration: Calibration
  domain: unknown
  reference: unknown
  importance: number[] | null
  rdkitVersion: string | null
  onnx: Uint8Array
  onnxSha256: string
  parentVersionId: number | null
  isSynthetic: boolean
}

export function insertModel(db: Db, version: string, m: NewModel): number {
  return insertModelRow(db, {
    version,
    target_chembl_id: m.target,
    learner: m.learner,
    params_json: JSON.stringify(m.params),
    feature_set: m.featureSet,
    feature_names_json: JSON.stringify(m.featureNames),
    training_set_json: JSON.stringify(m.trainingSet),
    training_set_hash: m.trainingSet.hash,
    training_rows: m.trainingRows,
    seed: m.seed,
    cv_metrics_json: JSON.stringify(m.evaluation),
    calibration_json: JSON.stringify(m.calibration),
    domain_json: JSON.stringify(m.domain),
    reference_json: JSON.stringify(m.reference),
    importance_json: m.importance ? JSON.stringify(Array.from(m.importance)) : null,
    rdkit_version: m.rdkitVersion,
    onnx: m.onnx,
    onnx_sha256: m.onnxSha256,
    parent_version_id: m.parentVersionId,
    is_synthetic: m.isSynthetic ? 1 : 0,
    created_at: new Date().toISOString(),
  })
}

export function listRuns(db: Db, target: string | undefined): RunRecord[] {
  return selectTrainingRuns(db, target ?? null).map((r) => ({
    id: r.id,
    jobId: r.job_id,
    target: r.target_chembl_id,
    learner: r.learner,
    params: JSON.parse(r.params_json) as Record<string, number | boolean>,
    featureSet: r.feature_set,
    trainingSetHash: r.training_set_hash,
    metrics: JSON.parse(r.metrics_json) as Metrics,
    seconds: r.seconds,
    seed: r.seed,
    chosen: r.chosen === 1,
    modelVersion: r.model_version,
    createdAt: r.created_at,
  }))
}
