import { performance } from 'node:perf_hooks'
import {
  type AutoSearch,
  type Learner,
  type Metrics,
  type SearchCandidate,
  type TrainResult,
  type modelsTrainInput,
} from '../../contract'
import { featureUnits } from '../../chem/feature-sets'
import { foldRows, kFolds, timeSplit } from '../../ml/cv'
import type { Model } from '../../ml/model'
import { regressionMetrics } from '../../ml/regression-metrics'
import { type LearnerParams, withDefaults } from '../../ml/fit'
import { FP_BYTES } from '../../ml/similarity-domain'
import type { z } from 'zod'
import { appVersion } from '../app/versions'
import type { EngineContext } from '../context'
import type { JobContext } from '../jobs/job-runner'
import { type Candidate, autoCandidates, singleCandidate } from './candidates'
import { insertReference } from './reference-data'
import { writeTransaction } from '../db/write-transaction'
import { audit, insertModel, nextVersion, productionRow, promote } from './registry'
import { insertTrainingRun } from '../db/training-run-queries'
import type { TrainingSet } from './training-set'

type TrainInput = z.output<typeof modelsTrainInput>

export { ONNX_TOLERANCE } from './finish-model'

interface Evaluated {
  candidate: Candidate
  params: Record<string, number | boolean>
  oof: Float64Array
  metrics: Metrics
  seconds: number
  /** when its cross-validation finished: the run's time in the runs table */
  finishedAt: string
}

/** A candidate whose folds were not all run: the budget ran out part way. */
interface Stopped {
  stopped: true
  foldsDone: number
}

export interface TrainOptions {
  /**
   * Milliseconds on a monotonic clock, read to decide when Auto's budget has run out. Tests pass
   * their own so that what Auto skips does not depend on how fast the machine is.
   */
  clock?: () => number
  /**
   * A single learner's parameters instead of its defaults (a retrained challenger takes the
   * production model's stored ones). Ignored by Auto, which searches its own.
   */
  params?: LearnerParams
}

/**
 * A training job: build the set, cross-validate each candidate on the worker pool (folds run in
 * parallel), keep the best by CV RMSE, fit it on every row, calibrate its interval on the
 * out-of-fold residuals, export ONNX, check ONNX Runtime agrees with our own predictions, and
 * register the version with its runs in one transaction.
 */
export async function trainModel(
  ctx: EngineContext,
  input: TrainInput,
  set: TrainingSet,
  job: JobContext,
  options: TrainOptions = {},
): Promise<TrainResult> {
  const clock = options.clock ?? (() => performance.now())
  const started = performance.now()
  const { data } = set
  const k = Math.min(input.folds, data.n)
  const folds = kFolds(data.n, k, input.seed)
  const auto = input.learner === 'auto'
  const candidates = auto
    ? autoCandidates(input.seed)
    : [
        options.params
          ? { learner: input.learner as Learner, params: { ...options.params } }
          : singleCandidate(input.learner as Learner, input.seed),
      ]
  const deadline = clock() + input.budgetSeconds * 1000
  const slots = candidates.length + 2
  const evaluated: Evaluated[] = []
  const skipped: SearchCandidate[] = []
  const describe = (c: Candidate): SearchCandidate => ({
    learner: c.learner,
    params: withDefaults(c.learner, c.params),
  })

  for (const [ci, candidate] of candidates.entries()) {
    job.throwIfCancelled()
    // The first candidate always runs in full, since a model needs one. After it, Auto starts no
    // fold once the budget is spent: folds already running finish, the rest are skipped, and a
    // candidate stopped part way is not compared (its out-of-fold predictions are incomplete).
    const outOfTime = auto && ci > 0 ? () => clock() >= deadline : () => false
    if (outOfTime()) {
      skipped.push(describe(candidate))
      continue
    }
    const label = `${auto ? `candidate ${ci + 1} of ${candidates.length}: ` : ''}${candidate.learner}`
    const result = await crossValidate(ctx, job, set, folds, k, candidate, outOfTime, (done) =>
      job.progress({
        phase: `${label}, cross-validation`,
        fraction: Math.min(0.95, (ci + done) / slots),
        message: `${Math.round(done * k)} of ${k} folds`,
      }),
    )
    if ('stopped' in result) skipped.push({ ...describe(candidate), foldsDone: result.foldsDone })
    else evaluated.push(result)
  }
  const best = evaluated.reduce((a, b) => (b.metrics.rmse < a.metrics.rmse ? b : a))
  const search: AutoSearch | null = auto
    ? {
        budgetSeconds: input.budgetSeconds,
        tried: evaluated.map((e) => ({
          learner: e.candidate.learner,
          params: e.params,
          rmse: e.metrics.rmse,
        })),
        skipped,
      }
    : null

  job.progress({
    phase: `fitting ${best.candidate.learner} on all rows, and the time split`,
    fraction: (slots - 2) / slots,
  })
  // Independent of each other, so they run side by side on the pool's two workers instead of one
  // after the other with a worker idle: the training takes one fit's time less.
  const [final, timeEval] = await Promise.all([
    ctx.pool.run(
      'fitLearner',
      {
        ...matrixOf(set),
        trainRows: null,
        testRows: new Int32Array(0),
        learner: best.candidate.learner,
        params: best.candidate.params,
        returnModel: true,
      },
      { signal: job.signal },
    ),
    evaluateTimeSplit(ctx, job, set, best.candidate),
  ])
  const model = final.model as Model
  const timeSplitEval = timeEval?.summary ?? null

  job.progress({ phase: 'interval, ONNX', fraction: (slots - 1) / slots })
  const metadata = onnxMetadata(set, input, best.candidate.learner)
  // The version name is part of the ONNX metadata, so the file is written for the name the model
  // will most likely get, before the write lock is taken: exporting a large forest takes seconds,
  // which another process's registration then spent waiting (and failed with "database is locked"
  // after the busy timeout). The interval, the domain, the reference, the export and ONNX
  // Runtime's check of it run on a worker: seconds the engine thread spends answering instead.
  let version = nextVersion(ctx.db)
  const finished = await ctx.pool.run(
    'finishModel',
    {
      ...matrixOf(set),
      model,
      metadata: metadata(version),
      featureNames: set.featureNames,
      compoundIds: set.compoundIds,
      oof: best.oof,
      seed: input.seed,
      folds,
      k,
      timeSplit: timeEval ? { testRows: timeEval.testRows, predicted: timeEval.predicted } : null,
      ...trainingFingerprints(ctx, set),
    },
    { signal: job.signal },
  )
  const { calibration, intervalCoverage, coverage, domain, reference, referenceData, importance } =
    finished
  let onnx = finished.onnx
  // Registering may wait for another writer: a cancel meanwhile would say "cancelled" about a
  // model that is kept.
  job.pointOfNoReturn()

  const cv = best.metrics
  const register = () => {
    const next = nextVersion(ctx.db)
    // Another training (in this app or another process) took the name meanwhile.
    if (next !== version) return { taken: next }
    const parent = productionRow(ctx.db, set.summary.target)
    const id = insertModel(ctx.db, version, {
      target: set.summary.target,
      learner: best.candidate.learner,
      params: final.params,
      featureSet: input.featureSet,
      featureNames: set.featureNames,
      trainingSet: set.summary,
      trainingRows: data.n,
      seed: input.seed,
      evaluation: {
        cv,
        folds: k,
        oof: { observed: Array.from(data.y), predicted: Array.from(best.oof) },
        timeSplit: timeSplitEval,
        intervalCoverage,
        coverage,
        onnxMaxDifference: onnx.maxDifference,
        ...(search ? { search } : {}),
      },
      calibration,
      domain,
      reference,
      importance,
      rdkitVersion: set.summary.rdkitVersions.join(', ') || null,
      onnx: onnx.bytes,
      onnxSha256: onnx.sha256,
      parentVersionId: parent?.id ?? null,
      isSynthetic: false,
    })
    insertReference(ctx.db, id, referenceData)
    for (const run of evaluated) insertRun(ctx, job, set, run, run === best ? id : null)
    audit(ctx.db, 'train', version, input.reason, {
      jobId: job.jobId,
      learner: best.candidate.learner,
      featureSet: input.featureSet,
      trainingSetHash: set.summary.hash,
      cv,
      candidates: evaluated.length,
      skippedForTime: skipped.length,
    })
    if (input.promote) promote(ctx.db, version, input.reason ?? 'promoted when trained')
    return { registered: version }
  }
  // The model, its runs and the audit entry are written together or not at all: the runs used to
  // be written as each candidate finished, and a registration that failed left them behind
  // without their model. Waiting for another writer happens on timers (writeTransaction), so the
  // engine keeps answering meanwhile.
  for (;;) {
    const outcome = await writeTransaction(ctx.db, register)
    if ('registered' in outcome) break
    version = outcome.taken
    // Another name means other bytes, and the registry keeps only bytes ONNX Runtime has checked:
    // the file written again is checked again rather than trusted to match the first.
    onnx = await ctx.pool.run(
      'exportVerifiedOnnx',
      { ...matrixOf(set), model, metadata: metadata(version) },
      { signal: job.signal },
    )
  }
  const promoted = input.promote

  return {
    modelVersion: version,
    learner: best.candidate.learner,
    featureSet: input.featureSet,
    rows: data.n,
    cv: { rmse: cv.rmse, mae: cv.mae, r2: cv.r2, spearman: cv.spearman },
    intervalCoverage,
    seconds: (performance.now() - started) / 1000,
    candidates: evaluated.length,
    search,
    promoted,
    onnxSha256: onnx.sha256,
  }
}

/**
 * The model's ONNX metadata for a version name: everything else is fixed once per training, and
 * the keys keep one order, so the same model and name always give the same bytes.
 */
function onnxMetadata(
  set: TrainingSet,
  input: TrainInput,
  learner: Learner,
): (version: string) => Record<string, string> {
  const fixed = {
    target: set.summary.target,
    learner,
    feature_set: input.featureSet,
    feature_names: JSON.stringify(set.featureNames),
    feature_units: JSON.stringify(featureUnits(set.featureNames)),
    output: 'p_activity = 9 - log10(IC50 or other standard value in nM)',
    training_set_hash: set.summary.hash,
    app_version: appVersion(),
  }
  return (version) => ({ model_version: version, ...fixed })
}

function matrixOf(set: TrainingSet) {
  return { x: set.data.x, y: set.data.y, n: set.data.n, f: set.data.f }
}

/**
 * k-fold CV of one candidate, as many folds at a time as the pool has workers; a complete run is
 * recorded with the model it led to. A fold is started only while `outOfTime()` is false, so that
 * a spent budget stops the candidate after the folds already running instead of after all of them.
 */
async function crossValidate(
  ctx: EngineContext,
  job: JobContext,
  set: TrainingSet,
  folds: Int32Array,
  k: number,
  candidate: Candidate,
  outOfTime: () => boolean,
  onProgress: (foldsDone: number) => void,
): Promise<Evaluated | Stopped> {
  const started = performance.now()
  const oof = new Float64Array(set.data.n).fill(NaN)
  const done = new Array<number>(k).fill(0)
  let params: Record<string, number | boolean> = {}
  let next = 0
  let finished = 0
  let stopped = false
  const lane = async () => {
    for (;;) {
      if (next >= k) return
      if (outOfTime()) {
        stopped = true
        return
      }
      await runFold(next++)
      finished++
    }
  }
  const runFold = async (fold: number) => {
    const testRows = foldRows(folds, fold, true)
    const r = await ctx.pool.run(
      'fitLearner',
      {
        ...matrixOf(set),
        trainRows: foldRows(folds, fold, false),
        testRows,
        learner: candidate.learner,
        params: candidate.params,
        returnModel: false,
      },
      {
        signal: job.signal,
        onProgress: (p) => {
          done[fold] = p.trees / p.of
          onProgress(done.reduce((s, v) => s + v, 0) / k)
        },
      },
    )
    testRows.forEach((row, i) => {
      oof[row] = r.predictions[i] ?? NaN
    })
    params = r.params
    done[fold] = 1
    onProgress(done.reduce((s, v) => s + v, 0) / k)
  }
  await Promise.all(Array.from({ length: Math.min(k, ctx.pool.size) }, lane))
  if (stopped && finished < k) return { stopped: true, foldsDone: finished }
  const metrics = regressionMetrics(set.data.y, oof)
  const seconds = (performance.now() - started) / 1000
  return { candidate, params, oof, metrics, seconds, finishedAt: new Date().toISOString() }
}

/** One candidate's cross-validation, as a row of the runs table; `modelId` for the one kept. */
function insertRun(
  ctx: EngineContext,
  job: JobContext,
  set: TrainingSet,
  run: Evaluated,
  modelId: number | null,
): void {
  insertTrainingRun(ctx.db, {
    job_id: job.jobId,
    target_chembl_id: set.summary.target,
    learner: run.candidate.learner,
    params_json: JSON.stringify(run.params),
    feature_set: set.summary.featureSet,
    training_set_hash: set.summary.hash,
    metrics_json: JSON.stringify(run.metrics),
    seconds: run.seconds,
    seed: Number(run.params.seed ?? 0),
    chosen: modelId === null ? 0 : 1,
    model_version_id: modelId,
    created_at: run.finishedAt,
  })
}

/** Train on older compounds, test on the newest ~20% by first document year. */
async function evaluateTimeSplit(
  ctx: EngineContext,
  job: JobContext,
  set: TrainingSet,
  candidate: Candidate,
) {
  const split = timeSplit(set.years)
  if (!split) return null
  const testRows = foldRows(split, 1, true)
  const r = await ctx.pool.run(
    'fitLearner',
    {
      ...matrixOf(set),
      trainRows: foldRows(split, 1, false),
      testRows,
      learner: candidate.learner,
      params: candidate.params,
      returnModel: false,
    },
    { signal: job.signal },
  )
  const observed = Float64Array.from(testRows, (row) => set.data.y[row] ?? NaN)
  const cutYear = Math.min(...Array.from(testRows, (row) => set.years[row] ?? Infinity))
  return {
    summary: {
      cutYear,
      trainRows: set.data.n - testRows.length,
      testRows: testRows.length,
      metrics: regressionMetrics(observed, r.predictions),
    },
    testRows,
    predicted: Float64Array.from(r.predictions),
  }
}

/**
 * Each training compound's stored Morgan fingerprint (radius 2, 2048 bits), for the structural
 * applicability domain; every feature set gets it, core4 included, when the compound has a
 * structure.
 */
function trainingFingerprints(ctx: EngineContext, set: TrainingSet) {
  const n = set.data.n
  const fingerprints = new Uint8Array(n * FP_BYTES)
  const hasFingerprint = new Uint8Array(n)
  const read = ctx.db.prepare('SELECT morgan_fp FROM compounds WHERE id = ?').pluck()
  set.compoundIds.forEach((id, i) => {
    const fp = read.get(id) as Uint8Array | null | undefined
    if (fp && fp.length === FP_BYTES) {
      fingerprints.set(fp, i * FP_BYTES)
      hasFingerprint[i] = 1
    }
  })
  return { fingerprints, hasFingerprint }
}
