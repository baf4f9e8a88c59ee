// npm run bench:train — every model Target of issue 18 measured against Python in one run, on the
// same 5 folds for both sides (aromatase IC50 and AChE IC50, one row per compound):
//   - core4 GBDT vs XGBoost hist and core4 random forest vs scikit-learn's (the same four values
//     our training uses, written to a CSV Python reads, so only the learners differ);
//   - physchem GBDT (our 2D descriptor set) vs XGBoost on python3-rdkit's Descriptors.descList;
//   - intervals (coverage overall and per fifth of predicted pActivity, Spearman of width with
//     |error|) and the applicability domain on a held-out fold;
//   - descriptor speed from bench:descriptors when it is there;
// then one table: measure, ours, Python's, target, met or not. Our folds run on the engine's own
// worker pool with the 'fitLearner' task, as the app's training does. Also (BENCH_BIG_ROWS=0 skips
// it) a 1M-row synthetic fit and ONNX Runtime batch inference. Asserts nothing.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import * as ort from 'onnxruntime-node'
import { createEngine, type Engine } from '../../src-main/engine/engine'
import { type CoverageReport, splitCoverage } from '../../src-main/ml/coverage'
import { foldRows, kFolds } from '../../src-main/ml/cv'
import { type Dataset, takeDataset } from '../../src-main/ml/dataset'
import { domainChecker, fitDomain } from '../../src-main/ml/domain'
import { type LearnerName, type LearnerParams, fitLearner } from '../../src-main/ml/fit'
import { exportOnnx } from '../../src-main/ml/onnx-export'
import { regressionMetrics } from '../../src-main/ml/regression-metrics'
import { createRng } from '../../src-main/ml/rng'
import { type DomainReport, FP_BYTES, domainReport } from '../../src-main/ml/similarity-domain'
import { SESSION_OPTIONS } from '../../src-main/ml/runtime'
import { REPO_ROOT } from '../helpers'
import { table } from './table'
import { type BenchSet, TARGETS, type TargetKey, benchSet, importTargets } from './train-data'

const PYTHON = '/usr/bin/python3'
const BIG_ROWS = Number(process.env.BENCH_BIG_ROWS ?? 1_000_000)
const BIG_TREES = 300
/** the app's defaults: what a user gets by picking the learner */
const GBDT: LearnerParams = { seed: 1 }
const RF: LearnerParams = { seed: 1 }
const DESCRIPTORS_BENCH = join(REPO_ROOT, 'tests/bench/descriptors-bench.ts')

interface Peer {
  set: string
  peer: string
  rmse: number
  fitSeconds: number
}

interface Cv {
  rmse: number
  /** mean seconds per fold fit, on a worker thread */
  fitSeconds: number
  /** wall time of the five folds, two at a time on the pool's two workers */
  wallSeconds: number
  oof: Float64Array
}

/** k-fold CV on the engine's worker pool, as many folds at a time as it has workers. */
async function crossValidateOnPool(
  engine: Engine,
  learner: LearnerName,
  params: LearnerParams,
  d: Dataset,
  folds: Int32Array,
  only?: (row: number) => boolean,
): Promise<Cv> {
  const pool = engine.context.pool
  const x = new Float32Array(new SharedArrayBuffer(d.x.byteLength))
  x.set(d.x)
  const k = Math.max(...folds) + 1
  const oof = new Float64Array(d.n).fill(NaN)
  const seconds: number[] = []
  let next = 0
  const started = performance.now()
  const lane = async () => {
    while (next < k) {
      const fold = next++
      const pick = (test: boolean) =>
        only ? foldRows(folds, fold, test).filter(only) : foldRows(folds, fold, test)
      const testRows = pick(true)
      const r = await pool.run('fitLearner', {
        x,
        y: d.y,
        n: d.n,
        f: d.f,
        trainRows: pick(false),
        testRows,
        learner,
        params,
        returnModel: false,
      })
      seconds.push(r.seconds)
      testRows.forEach((row, i) => {
        oof[row] = r.predictions[i] ?? NaN
      })
    }
  }
  await Promise.all(Array.from({ length: Math.min(k, pool.size) }, lane))
  const wallSeconds = (performance.now() - started) / 1000
  const rows = Array.from({ length: d.n }, (_, i) => i).filter((i) => !Number.isNaN(oof[i]!))
  const m = regressionMetrics(
    rows.map((i) => d.y[i]!),
    rows.map((i) => oof[i]!),
  )
  const fitSeconds = seconds.reduce((a, b) => a + b, 0) / seconds.length
  return { rmse: m.rmse, fitSeconds, wallSeconds, oof }
}

/** The same four or more values per row, y and fold, as CSV for the Python side. */
function writeCsv(path: string, s: BenchSet, smiles?: string[]): void {
  const f = s.data.f
  const header = smiles ? ['smiles', 'y', 'fold'] : [...s.names, 'y', 'fold']
  const lines = [header.map((h) => JSON.stringify(h)).join(',')]
  for (let i = 0; i < s.data.n; i++) {
    const cells: string[] = []
    if (smiles) cells.push(JSON.stringify(smiles[i] ?? ''))
    else
      for (let j = 0; j < f; j++) {
        const v = s.data.x[i * f + j]!
        cells.push(Number.isNaN(v) ? '' : String(v))
      }
    cells.push(String(s.data.y[i]), String(s.folds[i]))
    lines.push(cells.join(','))
  }
  writeFileSync(path, lines.join('\n') + '\n')
}

function smilesOf(engine: Engine, ids: Int32Array): string[] {
  const q = engine.context.db.prepare('SELECT smiles FROM compounds WHERE id = ?').pluck()
  return Array.from(ids, (id) => (q.get(id) as string | null) ?? '')
}

/** Each compound's stored Morgan fingerprint (radius 2, 2048 bits, packed), FP_BYTES apiece. */
function fingerprints(engine: Engine, ids: ArrayLike<number>): Uint8Array {
  const q = engine.context.db.prepare('SELECT morgan_fp FROM compounds WHERE id = ?').pluck()
  const out = new Uint8Array(ids.length * FP_BYTES)
  for (let i = 0; i < ids.length; i++) {
    const fp = q.get(ids[i]!) as Uint8Array | null
    if (fp) out.set(fp.subarray(0, FP_BYTES), i * FP_BYTES)
  }
  return out
}

interface HeldOut {
  coverage: CoverageReport
  domain: DomainReport
}

/**
 * Intervals and domain on a held-out fold (fold 0), by the functions a trained model is finished
 * with: the model trains on folds 1-4, whose own 5-fold out-of-fold predictions calibrate the
 * adaptive intervals (splitCoverage); the held-out compounds are flagged by the descriptor
 * distance and the nearest-training Tanimoto against the threshold from the training compounds'
 * leave-one-out similarities (domainReport).
 */
async function heldOut(engine: Engine, s: BenchSet): Promise<HeldOut> {
  const d = s.data
  const train = (row: number) => s.folds[row] !== 0
  const inner = kFolds(d.n, 5, 7)
  const oof = await crossValidateOnPool(engine, 'gbdt', GBDT, d, inner, train)
  const trainRows = Int32Array.from({ length: d.n }, (_, i) => i).filter(train)
  const testRows = foldRows(s.folds, 0, true)
  const x = new Float32Array(new SharedArrayBuffer(d.x.byteLength))
  x.set(d.x)
  const fit = await engine.context.pool.run('fitLearner', {
    x,
    y: d.y,
    n: d.n,
    f: d.f,
    trainRows,
    testRows,
    learner: 'gbdt',
    params: GBDT,
    returnModel: false,
  })
  const trainSet = takeDataset(d, trainRows)
  const testSet = takeDataset(d, testRows)
  const coverage = splitCoverage(
    trainSet,
    trainSet.y,
    Array.from(trainRows, (r) => oof.oof[r]!),
    testSet,
    testSet.y,
    fit.predictions,
  )
  const check = domainChecker(
    fitDomain(
      trainSet,
      Array.from({ length: d.f }, (_, j) => j),
      1,
    ),
  )
  const domain = domainReport({
    trainFingerprints: fingerprints(
      engine,
      Array.from(trainRows, (r) => s.compoundIds[r]!),
    ),
    testFingerprints: fingerprints(
      engine,
      Array.from(testRows, (r) => s.compoundIds[r]!),
    ),
    descriptorOutside: Array.from(testRows, (r) =>
      check(d.x.subarray(r * d.f, (r + 1) * d.f)).inDomain ? 0 : 1,
    ),
    observed: testSet.y,
    predicted: fit.predictions,
  })
  return { coverage, domain }
}

type Status = 'met' | 'NOT met' | 'not landed' | 'not run'
interface Line {
  measure: string
  ours: string
  python: string
  target: string
  status: Status
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '-')
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '-')

function runPeers(dir: string): Peer[] {
  const r = spawnSync(PYTHON, [join(REPO_ROOT, 'tests/bench/train_peers.py'), dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  if (r.status !== 0) console.log(`Python peers failed:\n${r.stderr}`)
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Peer)
}

/** The descriptor benchmark's own output, when the repository has it. */
function descriptorSpeed(): { ratio: number | null; output: string } | null {
  if (!existsSync(DESCRIPTORS_BENCH)) return null
  const r = spawnSync(process.execPath, ['--import', 'tsx', DESCRIPTORS_BENCH], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  const output = `${r.stdout}${r.status === 0 ? '' : r.stderr}`
  // the "x Python" column of its both-cores row: wall s, molecules/s, x Python, ...
  const row = /^ours, 2 cores[^\n]*?\s+([\d.]+)\s+([\d,.]+)\s+([\d.]+)\s/m.exec(output)
  return { ratio: row ? Number(row[3]) : null, output }
}

async function bigFitAndInference(dir: string): Promise<void> {
  const rng = createRng(5)
  const f = 4
  const big = { n: BIG_ROWS, f, x: new Float32Array(BIG_ROWS * f), y: new Float64Array(BIG_ROWS) }
  for (let i = 0; i < BIG_ROWS; i++) {
    for (let j = 0; j < f; j++) big.x[i * f + j] = rng.next() * 10
    big.y[i] =
      Math.sin(big.x[i * f]!) + 0.3 * big.x[i * f + 2]! + 0.1 * big.x[i * f + 1]! + rng.next() * 0.2
  }
  writeFileSync(join(dir, 'big.x'), big.x)
  writeFileSync(join(dir, 'big.y'), big.y)
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
  await session.run({
    features: new ort.Tensor('float32', big.x.subarray(0, 1000 * f), [1000, f]),
  })
  t = performance.now()
  await session.run({ features: new ort.Tensor('float32', big.x, [BIG_ROWS, f]) })
  const ortSeconds = (performance.now() - t) / 1000
  await session.release()

  writeFileSync(join(dir, 'big.json'), JSON.stringify({ n: BIG_ROWS, f, trees: BIG_TREES }))
  const r = spawnSync(PYTHON, [join(REPO_ROOT, 'tests/bench/train_peers.py'), dir, '--big'], {
    encoding: 'utf8',
  })
  const peers = r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Peer)
  const bigPeer = peers.find((p) => p.set === 'big')?.fitSeconds ?? null
  const predictPeer = peers.find((p) => p.set === 'big-predict')?.fitSeconds ?? null
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
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-train-'))
  const engine = createEngine({
    dataDir: join(dir, 'data'),
    host: 'cli',
    workerPath: join(REPO_ROOT, 'out/main/worker.js'),
  })
  try {
    console.log('Importing the aromatase export and the AChE dump (with RDKit descriptors)...')
    await importTargets(engine)
    const sets: { name: string; kind: 'features' | 'smiles' }[] = []
    const ours = new Map<string, Cv>()
    const held = new Map<TargetKey, HeldOut>()
    const physchemWidth = new Map<TargetKey, number>()
    for (const { key } of TARGETS) {
      const core4 = benchSet(engine, key, 'core4')
      const physchem = benchSet(engine, key, 'physchem')
      physchemWidth.set(key, physchem.data.f)
      writeCsv(join(dir, `${key}_core4.csv`), core4)
      writeCsv(join(dir, `${key}_desclist.csv`), physchem, smilesOf(engine, physchem.compoundIds))
      sets.push(
        { name: `${key}_core4`, kind: 'features' },
        { name: `${key}_desclist`, kind: 'smiles' },
      )
      console.log(
        `${key}: ${core4.data.n} compounds; core4 ${core4.data.f} features, physchem ${physchem.data.f}`,
      )
      const runs: [string, LearnerName, LearnerParams, BenchSet][] = [
        [`${key}_core4 gbdt`, 'gbdt', GBDT, core4],
        [`${key}_core4 rf`, 'rf', RF, core4],
        [`${key}_physchem gbdt`, 'gbdt', GBDT, physchem],
      ]
      for (const [name, learner, params, s] of runs) {
        ours.set(name, await crossValidateOnPool(engine, learner, params, s.data, s.folds))
        console.log(`  ${name}: CV RMSE ${fmt(ours.get(name)!.rmse)}`)
      }
      held.set(key, await heldOut(engine, physchem))
    }
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ sets }))

    let peers: Peer[] = []
    const peersOk =
      spawnSync(PYTHON, ['-c', 'import xgboost, sklearn, rdkit'], { encoding: 'utf8' }).status === 0
    if (peersOk) {
      console.log('XGBoost and scikit-learn on the same folds (descList computed by RDKit)...')
      peers = runPeers(dir)
    } else console.log(`(${PYTHON} cannot import xgboost, sklearn and rdkit: peers not run)`)
    const peer = (set: string, who: string) =>
      peers.find((p) => p.set === set && p.peer.startsWith(who))

    const lines: Line[] = []
    const compare = (
      measure: string,
      mine: Cv | undefined,
      p: Peer | undefined,
      within: number,
    ) => {
      const diff = mine && p ? mine.rmse - p.rmse : NaN
      lines.push({
        measure,
        ours: fmt(mine?.rmse ?? NaN),
        python: p ? fmt(p.rmse) : 'not run',
        target: `ours - Python <= ${within}${Number.isFinite(diff) ? ` (${diff >= 0 ? '+' : ''}${diff.toFixed(3)})` : ''}`,
        status: !Number.isFinite(diff) ? 'not run' : diff <= within ? 'met' : 'NOT met',
      })
    }
    for (const { key } of TARGETS) {
      compare(
        `${key} core4 GBDT vs XGBoost hist, CV RMSE`,
        ours.get(`${key}_core4 gbdt`),
        peer(`${key}_core4`, 'XGBoost'),
        0.02,
      )
      compare(
        `${key} core4 RF vs sklearn RF, CV RMSE`,
        ours.get(`${key}_core4 rf`),
        peer(`${key}_core4`, 'sklearn RandomForest'),
        0.02,
      )
      compare(
        `${key} physchem GBDT (${physchemWidth.get(key)} descriptors) vs XGBoost on descList, CV RMSE`,
        ours.get(`${key}_physchem gbdt`),
        peer(`${key}_desclist`, 'XGBoost'),
        0.03,
      )
    }
    for (const { key } of TARGETS) {
      const { coverage: c, domain: dm } = held.get(key)!
      const ratio = dm.rmseOutside / dm.rmseInside
      lines.push(
        {
          measure: `${key} interval coverage, held-out fold (${c.rows} compounds)`,
          ours: pct(c.coverage),
          python: '-',
          target: '88-92%',
          status: c.coverage >= 0.88 && c.coverage <= 0.92 ? 'met' : 'NOT met',
        },
        {
          measure: `${key} coverage per fifth of predicted pActivity (low to high)`,
          ours: c.byFifth.map((b) => (b.coverage * 100).toFixed(0)).join('/'),
          python: '-',
          target: '>= 85% each',
          status: c.byFifth.every((b) => b.coverage >= 0.85) ? 'met' : 'NOT met',
        },
        {
          measure: `${key} Spearman(interval width, |error|)`,
          ours: Number.isFinite(c.widthErrorSpearman)
            ? c.widthErrorSpearman.toFixed(2)
            : 'n/a (one width)',
          python: '-',
          target: '> 0.2',
          status: c.widthErrorSpearman > 0.2 ? 'met' : 'NOT met',
        },
        {
          measure: `${key} out-of-domain RMSE / in-domain RMSE (${dm.outside} of ${dm.rows} flagged)`,
          ours: `${fmt(ratio, 2)} (${fmt(dm.rmseOutside, 2)} / ${fmt(dm.rmseInside, 2)})`,
          python: '-',
          target: '>= 1.3',
          status: ratio >= 1.3 ? 'met' : 'NOT met',
        },
        {
          measure: `${key} held-out with NN Tanimoto < 0.4 that are flagged`,
          ours: `${dm.lowSimilarityFlagged}/${dm.lowSimilarityRows}`,
          python: '-',
          target: '>= half',
          status:
            dm.lowSimilarityRows > 0 && dm.lowSimilarityFlagged * 2 >= dm.lowSimilarityRows
              ? 'met'
              : 'NOT met',
        },
      )
    }
    const speed = descriptorSpeed()
    if (speed) console.log(`\nbench:descriptors:\n${speed.output}`)
    lines.push({
      measure: 'descriptor speed, both cores vs Python CalcMolDescriptors on one core',
      ours: speed?.ratio != null ? `${speed.ratio.toFixed(2)}x` : '-',
      python: '1.00x',
      target: '>= 1.5x',
      status: !speed
        ? 'not landed'
        : speed.ratio == null
          ? 'not run'
          : speed.ratio >= 1.5
            ? 'met'
            : 'NOT met',
    })

    table(
      "Fit time per fold (ours: the app's worker threads, two folds at a time; Python: 1 fit at a time)",
      [
        'set / learner',
        'CV RMSE',
        'fit s',
        '5 folds wall s',
        'Python',
        'Python RMSE',
        'Python fit s',
      ],
      [...ours.entries()].map(([name, cv]) => {
        const [set, learner] = name.split(' ')
        const p = peers.find(
          (q) =>
            q.set === set!.replace('_physchem', '_desclist') &&
            (learner === 'rf' ? q.peer.startsWith('sklearn') : q.peer.startsWith('XGBoost')),
        )
        return [
          name,
          fmt(cv.rmse),
          cv.fitSeconds.toFixed(2),
          cv.wallSeconds.toFixed(2),
          p?.peer ?? '-',
          p ? fmt(p.rmse) : '-',
          p ? p.fitSeconds.toFixed(2) : '-',
        ]
      }),
    )
    table(
      'Issue 18 Targets: 5-fold CV on the same folds for both sides (ours: app defaults; XGBoost hist and scikit-learn RF at their defaults); intervals and domain on the first fold held out',
      ['measure', 'ours', "Python's", 'target', 'met?'],
      lines.map((l) => [l.measure, l.ours, l.python, l.target, l.status]),
    )
    if (BIG_ROWS > 0) await bigFitAndInference(dir)
  } finally {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
