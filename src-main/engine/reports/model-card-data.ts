import type { DriftRunSummary, ModelDetail } from '../../contract'
import { featureUnits } from '../../chem/feature-sets'
import { readOnnxMetadata } from '../../ml/onnx-export'
import type { DomainModel } from '../../ml/domain'
import type { Db } from '../db/connection'
import { selectDriftHistory, selectDriftSettings } from '../db/drift-queries'
import {
  type ComparedRun,
  type SourceImport,
  selectComparedRuns,
  selectSourceImports,
  selectTargetName,
} from '../db/report-queries'
import { modelDetail, modelRow, onnxBytes } from '../models/registry'

/** Everything a model card shows, read from the database. */
export interface ModelCardData {
  model: ModelDetail
  targetName: string | null
  units: Record<string, string>
  /** the app version written into the model's ONNX metadata when it was trained (null if absent) */
  trainedWithApp: string | null
  /** each domain column's training range: feature name, min, max */
  domainRanges: { feature: string; min: number; max: number }[]
  domainThreshold: number | null
  sources: SourceImport[]
  comparedRuns: ComparedRun[]
  /** this version's drift checks, oldest first */
  drift: DriftRunSummary[]
  /** the share of drifted features that makes a dataset drift, from the model's drift settings */
  datasetShare: number
}

/** Reads a model card's data; an unknown version is a `not-found` WorkbenchError. */
export function gatherModelCard(db: Db, version: string): ModelCardData {
  const row = modelRow(db, version)
  const model = modelDetail(db, version)
  const domain = JSON.parse(row.domain_json) as Partial<DomainModel> | null
  const domainRanges = (domain?.columns ?? []).map((j, k) => ({
    feature: model.featureNames[j] ?? `feature ${j}`,
    min: domain?.min?.[k] ?? NaN,
    max: domain?.max?.[k] ?? NaN,
  }))
  let trainedWithApp: string | null = null
  try {
    trainedWithApp = readOnnxMetadata(onnxBytes(db, row.id)).app_version ?? null
  } catch {
    // a model imported from elsewhere may carry no readable metadata: say "not recorded"
  }
  return {
    model,
    targetName: model.trainingSet.targetName ?? selectTargetName(db, model.target),
    units: featureUnits(model.featureNames),
    trainedWithApp,
    domainRanges,
    domainThreshold: typeof domain?.threshold === 'number' ? domain.threshold : null,
    sources: selectSourceImports(db, model.target, model.trainingSet.types, row.created_at),
    comparedRuns: selectComparedRuns(db, row.id),
    drift: selectDriftHistory(db, { model: version }).reverse(),
    // Evidently's 0.5 unless the model's own drift settings changed it
    datasetShare: selectDriftSettings(db, row.id)?.datasetShare ?? 0.5,
  }
}
