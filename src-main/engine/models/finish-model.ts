import { createHash } from 'node:crypto'
import { WorkbenchError } from '../../contract'
import { type ConformalCalibration, calibrate } from '../../ml/conformal'
import type { Dataset } from '../../ml/dataset'
import { type DomainModel, fitDomain } from '../../ml/domain'
import { type Model, featureImportance, predict } from '../../ml/model'
import { exportOnnx } from '../../ml/onnx-export'
import { scoreOnce } from '../../ml/runtime'
import { referenceDistributions } from './reference'
import { type ReferenceData, referenceOf } from './reference-data'

/** Largest |TypeScript - ONNX Runtime| a model may show on its own training rows. */
export const ONNX_TOLERANCE = 1e-4

/** A fitted model's ONNX file, exported under `metadata` and checked with ONNX Runtime. */
export interface VerifyInput extends Dataset {
  model: Model
  metadata: Record<string, string>
}

export interface VerifiedOnnx {
  /** the bytes ONNX Runtime was checked with: the ones to register */
  bytes: Uint8Array
  sha256: string
  /** largest |ours - ONNX Runtime| over the training rows */
  maxDifference: number
}

export interface FinishInput extends VerifyInput {
  featureNames: string[]
  compoundIds: Int32Array
  /** out-of-fold predictions of the chosen candidate, one per row */
  oof: Float64Array
  seed: number
}

export interface FinishedModel {
  onnx: VerifiedOnnx
  calibration: ConformalCalibration
  /** share of out-of-fold residuals inside the interval */
  intervalCoverage: number
  domain: DomainModel
  /** summaries of the label and the seed features, for the model card */
  reference: ReturnType<typeof referenceDistributions>
  /** the training rows themselves, the reference of drift checks */
  referenceData: ReferenceData
  importance: number[]
}

/**
 * Exports `model` and has ONNX Runtime score every training row: it must route and sum each one
 * as our own code does. The bytes returned are the bytes checked, so the registry stores exactly
 * what was verified.
 */
export async function verifiedOnnx(input: VerifyInput): Promise<VerifiedOnnx> {
  const data: Dataset = { n: input.n, f: input.f, x: input.x, y: input.y }
  const ours = predict(input.model, data)
  const bytes = exportOnnx(input.model, input.metadata)
  const theirs = await scoreOnce(bytes, data)
  let maxDifference = 0
  for (let i = 0; i < data.n; i++)
    maxDifference = Math.max(maxDifference, Math.abs((ours[i] ?? 0) - (theirs[i] ?? 0)))
  if (!(maxDifference <= ONNX_TOLERANCE))
    throw new WorkbenchError(
      'internal',
      `The exported ONNX model disagrees with the trained model by ${maxDifference} on its own training data; it was not registered.`,
    )
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), maxDifference }
}

/**
 * Everything a trained model needs after its final fit, none of it reading the database: run on
 * a worker thread, since the domain fit, the export and the check take seconds on large sets.
 */
export async function finishModel(input: FinishInput): Promise<FinishedModel> {
  const data: Dataset = { n: input.n, f: input.f, x: input.x, y: input.y }
  const calibration = calibrate(data.y, input.oof, 0.1)
  let covered = 0
  for (let i = 0; i < data.n; i++)
    if (Math.abs((data.y[i] ?? NaN) - (input.oof[i] ?? NaN)) <= calibration.q) covered++
  const seedColumns = input.featureNames.flatMap((name, j) =>
    name.startsWith('morgan_') ? [] : [j],
  )
  return {
    calibration,
    intervalCoverage: covered / data.n,
    domain: fitDomain(data, seedColumns, input.seed),
    reference: referenceDistributions(data, input.featureNames, seedColumns),
    referenceData: referenceOf(
      { data, compoundIds: input.compoundIds, featureNames: input.featureNames },
      input.oof,
      'training',
    ),
    importance: Array.from(featureImportance(input.model)),
    onnx: await verifiedOnnx(input),
  }
}
