// npm run bench:train — our learners against XGBoost and scikit-learn on the same folds and
// features (aromatase IC50, one row per compound), a 1M-row synthetic fit, and ONNX Runtime batch
// inference. Prints tables; asserts nothing.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { FeatureSet } from '../../src-main/contract'
import { buildTrainingSet } from '../../src-main/engine/models/training-set'
import { createEngine } from '../../src-main/engine/engine'
import { WorkerPool } from '../../src-main/engine/workers/pool'
import { foldRows, kFolds } from '../../src-main/ml/cv'
import { type Dataset, takeDataset } from '../../src-main/ml/dataset'
import { defaultFeaturesPerSplit } from '../../src-main/ml/forest'
import { type LearnerName, type LearnerParams, fitLearner } from '../../src-main/ml/fit'
import { regressionMetrics } from '../../src-main/ml/regression-metrics'
import { predict } from '../../src-main/ml/model'
import { exportOnnx } from '../../src-main/ml/onnx-export'
import { createRng } from '../../src-main/ml/rng'
import { SESSION_OPTIONS } from '../../src-main/ml/runtime'
import * as ort from 'onnxruntime-node'
import { REPO_ROOT, fileRef, runJob } from '../helpers'
import { AROMATASE } from '../reference-csv'
import { table } from './table'

const PYTHON = '/usr/bin/python3'
const BIG_ROWS = Number(process.env.BENCH_BIG_ROWS ?? 1_000_000)
const BIG_TREES = 300
const GBDT: LearnerParams = {
  trees: 400,
  maxDepth: 6,
  maxLeaves: 63,
  learningRate: 0.05,
  rowSubsample: 0.8,
  colSubsample: 0.8,
  lambda: 1,
  minSamplesLeaf: 1,
  earlyStoppingRounds: 0,
  seed: 1,
}
const RF = { trees: 300, minSamplesLeaf: 2 }
const SETS: FeatureSet[] = ['core4', 'physchem', 'physchem+morgan']

interface Row {
  set: string
  who: string
  rmse: number
  r2: number
  fitSeconds: number
  /** the five folds' fits, start to finish, using both cores */
  cvWallSeconds?: number
}

/** The five folds on two worker threads at once, as the app trains: wall-clock seconds. */
async function crossValidateOnPool(
  pool: WorkerPool,
  learner: LearnerName,
  params: LearnerParams,
  d: Dataset,
  folds: Int32Array,
  count = 5,
): Promise<number> {
  const shared = new Float32Array(new SharedArrayBuffer(d.x.byteLength))
  shared.set(d.x)
  const t = performance.now()
  await Promise.all(
    Array.from({ length: count }, (_, k) =>
      pool.run('fitLearner', {
        x: shared,
        y: d.y,
        n: d.n,
        f: d.f,
        trainRows: foldRows(folds, k, false),
        testRows: foldRows(folds, k, true),
        learner,
        params,
        returnModel: false,
      }),
    ),
  )
  return (performance.now() - t) / 1000
}

function crossValidate(learner: LearnerName, params: LearnerParams, d: Dataset, folds: Int32Array) {
  const oof = new Float64Array(d.n)
  const seconds: number[] = []
  for (let k = 0; k < 5; k++) {
    const train = takeDataset(d, foldRows(folds, k, false))
    const rows = foldRows(folds, k, true)
    const t = performance.now()
    const { model } = fitLearner(learner, params, train)
    seconds.push((performance.now() - t) / 1000)
    const p = predict(model, takeDataset(d, rows))
    rows.forEach((r, i) => {
      oof[r] = p[i] ?? NaN
    })
  }
  const m = regressionMetrics(d.y, oof)
  return { rmse: m.rmse, r2: m.r2, fitSeconds: seconds.reduce((a, b) => a + b) / seconds.length }
}

function peersAvailable(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import xgboost, sklearn, numpy'], { encoding: 'utf8' })
  return r.status === 0
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-train-'))
  const engine = createEngine({
    dataDir: join(dir, 'data'),
    host: 'cli',
    workerPath: join(REPO_ROOT, 'out/main/worker.js'),
  })
  const pool = new WorkerPool(join(REPO_ROOT, 'out/main/worker.js'), 2)
  try {
    console.log('Importing the aromatase export (with RDKit descriptors)...')
    const done = await runJob(engine, 'imports.start', { file: await fileRef(engine, AROMATASE) })
    if (done.state !== 'succeeded') throw new Error(done.error?.message)

    const ours: Row[] = []
    const firstFits: [string, number][] = []
    const meta: Record<string, unknown> = { gbdt: GBDT, rf: RF, sets: [] as unknown[] }
    for (const name of SETS) {
      const set = buildTrainingSet(engine.context.db, { featureSet: name })
      const d: Dataset = { ...set.data, x: new Float32Array(set.data.x) }
      const folds = kFolds(d.n, 5, 1)
      const file = name.replace('+', '_')
      writeFileSync(join(dir, `${file}.x`), d.x)
      writeFileSync(join(dir, `${file}.y`), d.y)
      writeFileSync(join(dir, `${file}.folds`), folds)
      const rfFeatures = defaultFeaturesPerSplit(d.f)
      ;(meta.sets as unknown[]).push({ name: file, n: d.n, f: d.f, rfFeaturesPerSplit: rfFeatures })
      console.log(`${name}: ${d.n} compounds x ${d.f} features`)
      for (const [who, learner, params] of [
        ['ours GBDT', 'gbdt', GBDT],
        ['ours random forest', 'rf', RF],
        ['ours ridge', 'ridge', { lambda: 10 }],
      ] as const) {
        // One untimed fit first, here and on each worker thread: V8 compiles the learners' loops
        // to optimised code only once they have run, so the first fit after a start is slower
        // (XGBoost and scikit-learn are compiled ahead of time). That first fit is reported too.
        const warm = performance.now()
        fitLearner(learner, params, takeDataset(d, foldRows(folds, 0, false)))
        const firstFit = (performance.now() - warm) / 1000
        if (name === SETS[0]) firstFits.push([who, firstFit])
        await crossValidateOnPool(pool, learner, params, d, folds, 2)
        const row: Row = { set: file, who, ...crossValidate(learner, params, d, folds) }
        row.cvWallSeconds = await crossValidateOnPool(pool, learner, params, d, folds)
        ours.push(row)
      }
    }

    // the synthetic 1M x 4 set: a smooth signal plus noise
    const rng = createRng(5)
    const f = 4
    const big = { n: BIG_ROWS, f, x: new Float32Array(BIG_ROWS * f), y: new Float64Array(BIG_ROWS) }
    for (let i = 0; i < BIG_ROWS; i++) {
      for (let j = 0; j < f; j++) big.x[i * f + j] = rng.next() * 10
      big.y[i] =
        Math.sin(big.x[i * f]!) +
        0.3 * big.x[i * f + 2]! +
        0.1 * big.x[i * f + 1]! +
        rng.next() * 0.2
    }
    writeFileSync(join(dir, 'big.x'), big.x)
    writeFileSync(join(dir, 'big.y'), big.y)
    meta.big = { n: BIG_ROWS, f, trees: BIG_TREES }
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta))

    console.log(
      `Fitting ${BIG_TREES} trees (depth 6, 63 leaves) on ${BIG_ROWS.toLocaleString('en')} rows...`,
    )
    let t = performance.now()
    const bigModel = fitLearner(
      'gbdt',
      {
        trees: BIG_TREES,
        maxDepth: 6,
        maxLeaves: 63,
        learningRate: 0.1,
        rowSubsample: 1,
        colSubsample: 1,
        lambda: 1,
        minSamplesLeaf: 1,
        earlyStoppingRounds: 0,
      },
      big,
    ).model
    const bigSeconds = (performance.now() - t) / 1000

    const session = await ort.InferenceSession.create(exportOnnx(bigModel, {}), SESSION_OPTIONS)
    const tensor = new ort.Tensor('float32', big.x, [BIG_ROWS, f])
    await session.run({
      features: new ort.Tensor('float32', big.x.subarray(0, 1000 * f), [1000, f]),
    })
    t = performance.now()
    await session.run({ features: tensor })
    const ortSeconds = (performance.now() - t) / 1000

    const peers: (Row & { peer?: string })[] = []
    let bigPeer: number | null = null
    let predictPeer: number | null = null
    if (peersAvailable()) {
      console.log('Running XGBoost and scikit-learn on the same folds and features...')
      const r = spawnSync(PYTHON, [join(REPO_ROOT, 'tests/bench/train_peers.py'), dir], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      })
      if (r.status !== 0) console.log(`peers failed:\n${r.stderr}`)
      for (const line of r.stdout.trim().split('\n').filter(Boolean)) {
        const p = JSON.parse(line) as {
          peer: string
          set: string
          rmse?: number
          r2?: number
          fitSeconds: number
        }
        if (p.set === 'big') bigPeer = p.fitSeconds
        else if (p.set === 'big-predict') predictPeer = p.fitSeconds
        else
          peers.push({
            set: p.set,
            who: p.peer,
            rmse: p.rmse ?? NaN,
            r2: p.r2 ?? NaN,
            fitSeconds: p.fitSeconds,
          })
      }
    } else console.log(`\n(${PYTHON} cannot import xgboost and sklearn: peers not run)`)

    for (const name of SETS.map((s) => s.replace('+', '_'))) {
      const rows = [...ours, ...peers].filter((r) => r.set === name)
      const xgbRow = peers.find((r) => r.set === name && r.who.startsWith('XGBoost'))
      table(
        `${name}: 5-fold CV on aromatase IC50, same folds for everyone. "fit s" = mean fit per fold after one untimed warm-up fit (ours on 1 thread, XGBoost and sklearn forest on 2); "5 folds, 2 cores" = wall time of all five fits using both cores (ours: two folds at a time on two worker threads, as the app trains; peers: five fits one after another, 2 threads each)`,
        [
          'learner',
          'CV RMSE',
          'R²',
          'fit s',
          'RMSE - XGB',
          'fit / XGB',
          '5 folds, 2 cores',
          '/ XGB',
        ],
        rows.map((r) => {
          const wall = r.cvWallSeconds ?? r.fitSeconds * 5
          const xgbWall = xgbRow ? xgbRow.fitSeconds * 5 : NaN
          return [
            r.who,
            r.rmse.toFixed(3),
            r.r2.toFixed(3),
            r.fitSeconds.toFixed(3),
            xgbRow ? (r.rmse - xgbRow.rmse).toFixed(3) : '-',
            xgbRow ? `${(r.fitSeconds / xgbRow.fitSeconds).toFixed(2)}x` : '-',
            wall.toFixed(2),
            xgbRow ? `${(wall / xgbWall).toFixed(2)}x` : '-',
          ]
        }),
      )
    }
    table(
      `${SETS[0]}: the first fit in a fresh process (fold 1, before V8 has optimised the learner), next to the warm mean above`,
      ['learner', 'first fit s', 'warm fit s'],
      firstFits.map(([who, s]) => [
        who,
        s.toFixed(3),
        (ours.find((r) => r.set === SETS[0] && r.who === who)?.fitSeconds ?? NaN).toFixed(3),
      ]),
    )
    table(
      `Synthetic ${BIG_ROWS.toLocaleString('en')} x 4, ${BIG_TREES} trees, depth 6 / 63 leaves`,
      ['who', 'fit s', 'vs XGBoost'],
      [
        [
          'ours GBDT (1 thread)',
          bigSeconds.toFixed(1),
          bigPeer ? `${(bigSeconds / bigPeer).toFixed(2)}x` : '-',
        ],
        ['XGBoost hist (2 threads)', bigPeer ? bigPeer.toFixed(1) : 'not run', '1.00x'],
      ],
    )
    const ortRate = BIG_ROWS / ortSeconds
    table(
      `Batch inference of ${BIG_ROWS.toLocaleString('en')} rows by a ${BIG_TREES}-tree, depth-6 model (target for ONNX Runtime: 1,000,000 rows/s)`,
      ['who', 'seconds', 'rows/s', 'vs XGBoost'],
      [
        [
          `ONNX Runtime, our model (${SESSION_OPTIONS.intraOpNumThreads} threads, as the app runs it)`,
          ortSeconds.toFixed(3),
          Math.round(ortRate).toLocaleString('en'),
          predictPeer ? `${(ortRate / (BIG_ROWS / predictPeer)).toFixed(2)}x` : '-',
        ],
        [
          'XGBoost inplace_predict, its own model (2 threads)',
          predictPeer ? predictPeer.toFixed(3) : 'not run',
          predictPeer ? Math.round(BIG_ROWS / predictPeer).toLocaleString('en') : '-',
          '1.00x',
        ],
      ],
    )
    console.log(
      `ONNX Runtime inference target (1,000,000 rows/s): ${ortRate >= 1e6 ? 'met' : 'NOT met'} (${Math.round(ortRate).toLocaleString('en')} rows/s).`,
    )
    await session.release()
  } finally {
    await engine.close()
    await pool.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
