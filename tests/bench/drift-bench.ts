// npm run bench:drift — the drift statistics (KS + Wasserstein + PSI per feature) on 4 features of
// 100,000 reference vs 1,000,000 current rows and on 43 features of 2,000 vs 50,000 rows, next to
// scipy / numpy doing the same on the same arrays (tests/bench/drift_peers.py, Debian's
// /usr/bin/python3). Prints tables; asserts nothing.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  type PreparedSample,
  ksTwoSample,
  populationStabilityIndex,
  prepareSample,
  wassersteinNormed,
} from '../../src-main/ml/drift'
import { type Rng, createRng } from '../../src-main/ml/rng'
import { REPO_ROOT } from '../helpers'
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

function main() {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-drift-'))
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

    for (const [k, s] of SCENARIOS.entries()) {
      const o = ours[k]!
      const p = peers.get(s.name)
      const peerTime = p ? median(p.seconds) : NaN
      const ratio = (x: number) => (p ? `${(x / peerTime).toFixed(2)}x` : '-')
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
      table(
        `${s.title}: KS + Wasserstein + PSI per feature, median of ${REPEATS} runs (goal: ours <= ${s.goal}x scipy)`,
        ['who', 'seconds', 'vs scipy'],
        [
          ['ours (sorting both sides)', median(o.full).toFixed(3), ratio(median(o.full))],
          [
            'ours, reference sorted beforehand',
            median(o.preparedRef).toFixed(3),
            ratio(median(o.preparedRef)),
          ],
          [
            'scipy 1.10 / numpy (ks_2samp, wasserstein_distance, PSI)',
            peerTime.toFixed(3),
            '1.00x',
          ],
        ],
      )
      console.log(
        `  same values as scipy, largest relative difference: ${names.map((n, i) => `${n} ${diffs[i]!.toExponential(1)}`).join(', ')}`,
      )
      if (p)
        console.log(
          `  goal ${median(o.full) / peerTime <= s.goal ? 'met' : 'NOT met'}: ${(median(o.full) / peerTime).toFixed(2)}x (goal <= ${s.goal}x)`,
        )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main()
