// npm run bench:drift — one table, three rows, each against its peer measured in the same run:
// the drift statistics (KS + Wasserstein + PSI per feature) on 4 features of 100,000 reference vs
// 1,000,000 current rows and on 43 features of 2,000 vs 50,000 rows, next to scipy / numpy on the
// same arrays (tests/bench/drift_peers.py); and nearest-neighbour Tanimoto of 10,000 current vs
// 10,000 training Morgan fingerprints (real ChEMBL structures) on both cores through the worker
// pool, next to RDKit's BulkTanimotoSimilarity on one core over the same fingerprints
// (tests/bench/drift_nn_peer.py). Debian's /usr/bin/python3. Prints tables; asserts nothing.
// BENCH_REPEATS (default 3) repeats the statistics; the nearest-neighbour row runs once.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  type PreparedSample,
  ksTwoSample,
  populationStabilityIndex,
  prepareSample,
  wassersteinNormed,
} from '../../src-main/ml/drift'
import { nearestNeighbours } from '../../src-main/ml/drift/nearest-neighbours'
import { WorkerPool } from '../../src-main/engine/workers/pool'
import { type Rng, createRng } from '../../src-main/ml/rng'
import { REPO_ROOT, WORKER_SOURCE } from '../helpers'
import { ACHE, AROMATASE, readTable } from '../reference-csv'
import { table } from './table'

const PYTHON = '/usr/bin/python3'
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3)

interface Scenario {
  name: string
  title: string
  features: number
  refRows: number
  curRows: number
  /** the goal: our time / scipy's time at most this */
  goal: number
}

const SCENARIOS: Scenario[] = [
  {
    name: 'wide-rows',
    title: '4 features, 100,000 reference vs 1,000,000 current rows',
    features: 4,
    refRows: 100_000,
    curRows: 1_000_000,
    goal: 0.5,
  },
  {
    name: 'many-features',
    title: '43 features, 2,000 reference vs 50,000 current rows',
    features: 43,
    refRows: 2_000,
    curRows: 50_000,
    goal: 1,
  },
]

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())
}

/**
 * Feature j of a scenario, shaped like descriptor columns: continuous, log-normal, rounded to two
 * decimals (as ChEMBL's AlogP) and small counts; the current side shifted a little for some.
 */
function feature(j: number, rows: number, current: boolean, seed: number): Float64Array {
  const rng = createRng(seed)
  const shift = current && j % 2 === 0 ? 0.05 : 0
  const out = new Float64Array(rows)
  for (let i = 0; i < rows; i++) {
    const z = normal(rng) + shift
    switch (j % 4) {
      case 0:
        out[i] = 350 + 80 * z
        break
      case 1:
        out[i] = Math.exp(0.5 * z)
        break
      case 2:
        out[i] = Math.round((3 + 1.5 * z) * 100) / 100
        break
      default:
        out[i] = Math.max(0, Math.round(30 + 8 * z))
    }
  }
  return out
}

/** KS statistic, KS p-value, Wasserstein / std, PSI: what the peer computes too. */
function allStatistics(ref: PreparedSample, cur: PreparedSample): number[] {
  const ks = ksTwoSample(ref, cur)
  return [
    ks.statistic,
    ks.pValue,
    wassersteinNormed(ref, cur).value,
    populationStabilityIndex(ref, cur).value,
  ]
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

const NN_ROWS = 10_000
const FP_BYTES = 256

/** Copies bytes into shared memory, so every worker reads them without a copy. */
function shared(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(bytes.length))
  out.set(bytes)
  return out
}

/**
 * Nearest-neighbour Tanimoto, 10,000 current vs 10,000 training fingerprints: training from the
 * aromatase export's structures, current from the AChE dump's (each list repeated to 10,000
 * rows), fingerprinted once by RDKit so both sides compare the very same bits.
 */
async function nearestNeighbourBench(dir: string) {
  const unique = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))]
  const training = unique(readTable(AROMATASE, ';').rows.map((r) => r.Smiles))
  const current = unique(readTable(ACHE, ',').rows.map((r) => r.canonical_smiles))
  writeFileSync(join(dir, 'nn-smiles.json'), JSON.stringify({ training, current, rows: NN_ROWS }))
  console.log(
    `Fingerprinting ${training.length} aromatase and ${current.length} AChE structures with RDKit, then timing BulkTanimotoSimilarity (one core)...`,
  )
  const run = spawnSync(PYTHON, [join(REPO_ROOT, 'tests/bench/drift_nn_peer.py'), dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  if (run.status !== 0) {
    console.log(`RDKit peer failed (python3-rdkit installed?):\n${run.stderr}`)
    return null
  }
  const peer = JSON.parse(run.stdout) as { seconds: number; pairs: number; sum: number }
  const t = shared(readFileSync(join(dir, 'nn-training.fp')))
  const q = shared(readFileSync(join(dir, 'nn-current.fp')))
  const pairs = (q.length / FP_BYTES) * (t.length / FP_BYTES)

  const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0)
  // one thread, in this process (after a short warm-up so V8 has optimised the loop)
  nearestNeighbours(q.subarray(0, 200 * FP_BYTES), t, FP_BYTES)
  let started = performance.now()
  const single = nearestNeighbours(q, t, FP_BYTES)
  const singleSeconds = (performance.now() - started) / 1000

  // both cores: the worker pool, the query rows in chunks so neither worker waits for the other
  const pool = new WorkerPool(WORKER_SOURCE, availableParallelism())
  try {
    const chunks = 2 * pool.size
    const runAll = async (rows: number) => {
      const parts = await Promise.all(
        Array.from({ length: chunks }, (_, k) =>
          pool.run('nearestNeighbourChunk', {
            query: q,
            training: t,
            bytes: FP_BYTES,
            start: Math.floor((k * rows) / chunks),
            end: Math.floor(((k + 1) * rows) / chunks),
            leaveOneOut: false,
          }),
        ),
      )
      return parts.flatMap((p) => Array.from(p.similarity))
    }
    await runAll(400) // warm-up: threads started, code optimised
    started = performance.now()
    const pooled = await runAll(NN_ROWS)
    const pooledSeconds = (performance.now() - started) / 1000
    return {
      pairs,
      peer,
      singleSeconds,
      pooledSeconds,
      workers: pool.size,
      sums: { single: sum(single.similarity), pooled: pooled.reduce((a, b) => a + b, 0) },
    }
  } finally {
    await pool.close()
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-drift-'))
  console.log(
    `Load average before the run: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')} on ${availableParallelism()} cores (the machine is shared).`,
  )
  try {
    const data = SCENARIOS.map((s, k) =>
      Array.from({ length: s.features }, (_, j) => {
        const ref = feature(j, s.refRows, false, 1000 * k + 2 * j + 1)
        const cur = feature(j, s.curRows, true, 1000 * k + 2 * j + 2)
        writeFileSync(join(dir, `${s.name}-${j}.ref`), ref)
        writeFileSync(join(dir, `${s.name}-${j}.cur`), cur)
        return { ref, cur }
      }),
    )
    writeFileSync(
      join(dir, 'meta.json'),
      JSON.stringify({
        scenarios: SCENARIOS.map((s) => ({ name: s.name, features: s.features, repeats: REPEATS })),
      }),
    )

    const ours = SCENARIOS.map((s, k) => {
      const features = data[k]!
      // one untimed pass: V8 optimises the loops only once they have run
      features.forEach((f) => allStatistics(prepareSample(f.ref), prepareSample(f.cur)))
      const full: number[] = []
      const preparedRef: number[] = []
      let values: number[][] = []
      for (let r = 0; r < REPEATS; r++) {
        let t = performance.now()
        values = features.map((f) => allStatistics(prepareSample(f.ref), prepareSample(f.cur)))
        full.push((performance.now() - t) / 1000)
        // as the app will run it: the reference (the model's training rows) sorted once, ahead
        const refs = features.map((f) => prepareSample(f.ref))
        t = performance.now()
        features.forEach((f, j) => allStatistics(refs[j]!, prepareSample(f.cur)))
        preparedRef.push((performance.now() - t) / 1000)
      }
      return { name: s.name, full, preparedRef, values }
    })

    console.log('Running scipy / numpy on the same arrays...')
    const run = spawnSync(PYTHON, [join(REPO_ROOT, 'tests/bench/drift_peers.py'), dir], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    })
    if (run.status !== 0)
      console.log(`scipy peer failed (python3-scipy installed?):\n${run.stderr}`)
    const peers = new Map<string, { seconds: number[]; values: number[][] }>()
    for (const line of run.stdout.trim().split('\n').filter(Boolean)) {
      const p = JSON.parse(line) as { name: string; seconds: number[]; values: number[][] }
      peers.set(p.name, p)
    }

    const summary: string[][] = []
    for (const [k, s] of SCENARIOS.entries()) {
      const o = ours[k]!
      const p = peers.get(s.name)
      const peerTime = p ? median(p.seconds) : NaN
      const ratio = median(o.full) / peerTime
      // the same numbers, not just the same speed: largest relative difference per statistic
      const names = ['KS D', 'KS p', 'W/std', 'PSI']
      const diffs = names.map((_, i) =>
        p
          ? Math.max(
              ...o.values.map((v, j) => {
                const a = v[i]!
                const b = p.values[j]![i]!
                return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))
              }),
            )
          : NaN,
      )
      summary.push([
        s.title,
        `${median(o.full).toFixed(3)} s`,
        `${peerTime.toFixed(3)} s`,
        `${ratio.toFixed(2)}x time`,
        `<= ${s.goal}x time`,
        p ? (ratio <= s.goal ? 'met' : 'NOT met') : '-',
      ])
      console.log(
        `\n${s.title}: ours ${median(o.full).toFixed(3)} s sorting both sides, ${median(o.preparedRef).toFixed(3)} s with the reference sorted beforehand (as a model's training rows are); scipy ${peerTime.toFixed(3)} s; median of ${REPEATS}.`,
      )
      console.log(
        `  same values as scipy, largest relative difference: ${names.map((n, i) => `${n} ${diffs[i]!.toExponential(1)}`).join(', ')}`,
      )
    }

    const nn = await nearestNeighbourBench(dir)
    if (nn) {
      const mps = (seconds: number) => nn.pairs / seconds / 1e6
      const ours = mps(nn.pooledSeconds)
      const theirs = nn.peer.pairs / nn.peer.seconds / 1e6
      summary.push([
        `Nearest-neighbour Tanimoto, ${NN_ROWS.toLocaleString('en')} current vs ${NN_ROWS.toLocaleString('en')} training (${nn.workers} workers vs RDKit on 1 core)`,
        `${ours.toFixed(1)} M pairs/s`,
        `${theirs.toFixed(1)} M pairs/s`,
        `${(ours / theirs).toFixed(2)}x speed`,
        '>= 1x speed',
        ours >= theirs ? 'met' : 'NOT met',
      ])
      console.log(
        `\nNearest-neighbour Tanimoto: ${nn.workers} workers ${nn.pooledSeconds.toFixed(2)} s (${ours.toFixed(1)} M pairs/s); one thread ${nn.singleSeconds.toFixed(2)} s (${mps(nn.singleSeconds).toFixed(1)} M pairs/s); RDKit BulkTanimotoSimilarity ${nn.peer.seconds.toFixed(2)} s (${theirs.toFixed(1)} M pairs/s).`,
      )
      console.log(
        `  same neighbours: sum of nearest similarities ours ${nn.sums.pooled.toFixed(6)} (one thread ${nn.sums.single.toFixed(6)}), RDKit ${nn.peer.sum.toFixed(6)}`,
      )
    }
    table(
      `Drift benchmark, each row against its peer measured in this run (load average now ${loadavg()
        .map((x) => x.toFixed(2))
        .join(', ')})`,
      ['scenario', 'ours', 'peer', 'ours vs peer', 'goal', 'goal'],
      summary,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
