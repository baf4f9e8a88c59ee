import { createHash } from 'node:crypto'
import { WorkbenchError } from '../../contract'
import { type NormalisedCalibration, calibrateNormalised } from '../../ml/conformal'
import { type CoverageReport, heldOutCoverage, nestedCoverage } from '../../ml/coverage'
import type { Dataset } from '../../ml/dataset'
import { fitDifficulty } from '../../ml/difficulty'
import { type DomainModel, fitDomain } from '../../ml/domain'
import { FP_BYTES, type SimilarityDomain, fitSimilarityDomain } from '../../ml/similarity-domain'
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
  /** the cross-validation's folds, for the nested coverage */
  folds: Int32Array
  k: number
  /** the time split's test rows and their predictions by a model fitted on the older rows */
  timeSplit: { testRows: Int32Array; predicted: Float64Array } | null
  /** each row's stored Morgan fingerprint (FP_BYTES each, packed), and which rows have one */
  fingerprints: Uint8Array
  hasFingerprint: Uint8Array
}

/** Interval coverage measured on rows that did not set the interval. */
export interface HeldOutCoverage {
  /** calibrated inside each outer training fold, measured on the outer test fold */
  nested: CoverageReport
  /** calibrated on the time split's training rows, measured on its (newest) test rows */
  timeSplit: CoverageReport | null
}

/** The domain stored with a model: descriptor distance, plus structure when there is one. */
export interface StoredDomain extends DomainModel {
  /** absent for models whose domain predates the structural check, and sets without structures */
  similarity?: SimilarityDomain
}

export interface FinishedModel {
  onnx: VerifiedOnnx
  calibration: NormalisedCalibration
  /** share of held-out rows inside their interval (the nested CV's) */
  intervalCoverage: number
  coverage: HeldOutCoverage
  domain: StoredDomain
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
  const difficulty = fitDifficulty(data, data.y, input.oof, { seed: input.seed })
  const calibration = calibrateNormalised({
    observed: data.y,
    predicted: input.oof,
    sigma: difficulty.oofSigma,
    alpha: 0.1,
    bins: 5,
    difficulty: difficulty.model,
    sigmaFloor: difficulty.sigmaFloor,
  })
  const coverage = heldOutCoverageOf(input)
  const seedColumns = input.featureNames.flatMap((name, j) =>
    name.startsWith('morgan_') ? [] : [j],
  )
  return {
    calibration,
    intervalCoverage: coverage.nested.coverage,
    coverage,
    domain: {
      ...fitDomain(data, seedColumns, input.seed),
      ...structureDomain(input.fingerprints, input.hasFingerprint),
    },
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

function heldOutCoverageOf(input: FinishInput): HeldOutCoverage {
  const data: Dataset = { n: input.n, f: input.f, x: input.x, y: input.y }
  const nested = nestedCoverage(data, data.y, input.oof, input.folds, input.k, {
    seed: input.seed,
  })
  let timeSplit: CoverageReport | null = null
  const split = input.timeSplit
  if (split && split.testRows.length > 0) {
    // the training part calibrates with its out-of-fold residuals; the test rows are scored by
    // the model fitted on the older rows only
    const predicted = Float64Array.from(input.oof)
    const isTest = new Uint8Array(data.n)
    split.testRows.forEach((r, i) => {
      predicted[r] = split.predicted[i] ?? NaN
      isTest[r] = 1
    })
    const calibrationRows = Int32Array.from({ length: data.n }, (_, i) => i).filter(
      (i) => isTest[i] === 0,
    )
    timeSplit = heldOutCoverage({
      m: data,
      observed: data.y,
      predicted,
      calibrationRows,
      testRows: split.testRows,
      seed: input.seed,
    })
  }
  return { nested, timeSplit }
}

/** The training compounds' fingerprints and their leave-one-out threshold (none: no structures). */
function structureDomain(
  fingerprints: Uint8Array,
  has: Uint8Array,
): { similarity?: SimilarityDomain } {
  const rows: number[] = []
  has.forEach((v, i) => {
    if (v === 1) rows.push(i)
  })
  if (rows.length < 2) return {}
  const packed = new Uint8Array(rows.length * FP_BYTES)
  rows.forEach((r, k) =>
    packed.set(fingerprints.subarray(r * FP_BYTES, (r + 1) * FP_BYTES), k * FP_BYTES),
  )
  return { similarity: fitSimilarityDomain(packed, rows.length) }
}
