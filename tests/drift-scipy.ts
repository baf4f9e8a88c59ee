import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRng } from '../src-main/ml/rng'
import { REPO_ROOT, tempDir } from './helpers'

/** Debian's python3 with scipy 1.10 and numpy 1.24: the reference for the drift statistics. */
export const SCIPY_PYTHON = process.env.DRIFT_REFERENCE_PYTHON ?? '/usr/bin/python3'
const SCRIPT = join(REPO_ROOT, 'tests/fixtures/drift-reference.py')

/** A value as the reference script reads it: null is missing, "inf" / "-inf" infinite. */
export type JsonValue = number | null | 'inf' | '-inf'

export interface DriftCase {
  id: string
  reference: JsonValue[]
  current: JsonValue[]
}

export interface CaseExpected {
  id: string
  nRef: number
  nCur: number
  distinct: number
  ksStatistic: number
  ksPValue: number
  chiStatistic: number
  chiPValue: number
  zStatistic: number
  zPValue: number
  zPValueEvidently: number
  wasserstein: number
  wassersteinNormed: number
  js: number
  psi: number
  psiBins: number
  /** the smallest reference and current share after empty bins were filled */
  psiSmallestShares: [number, number]
  binning: string
}

export interface ReferenceSpec {
  cases?: DriftCase[]
  kstwo?: [n: number, d: number][]
  smirnov?: [n: number, x: number][]
  chi2?: [x: number, df: number][]
  norm?: number[]
}

export interface ReferenceValues {
  versions: { scipy: string; numpy: string }
  cases: CaseExpected[]
  kstwo: number[]
  smirnov: number[]
  chi2: number[]
  norm: number[]
}

function decode(x: unknown): unknown {
  if (typeof x === 'string') {
    if (x === 'nan') return NaN
    if (x === 'inf') return Infinity
    if (x === '-inf') return -Infinity
    const n = Number(x)
    return Number.isNaN(n) ? x : n
  }
  if (Array.isArray(x)) return x.map(decode)
  if (x !== null && typeof x === 'object')
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decode(v)]))
  return x
}

/** Runs the reference script on the spec; every number comes back exactly as Python had it. */
export function scipyReference(spec: ReferenceSpec): ReferenceValues {
  const dir = tempDir('assay-drift-')
  try {
    const file = join(dir.path, 'cases.json')
    writeFileSync(file, JSON.stringify(spec))
    const run = spawnSync(SCIPY_PYTHON, [SCRIPT, file], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    })
    if (run.status !== 0)
      throw new Error(
        `${SCIPY_PYTHON} could not compute the reference values (Debian: apt-get install ` +
          `python3-scipy): ${run.stderr || run.error?.message}`,
      )
    return decode(JSON.parse(run.stdout)) as ReferenceValues
  } finally {
    dir.remove()
  }
}

/** Seeded normal values (Box-Muller over the project's PRNG). */
export function normals(n: number, mean: number, sd: number, seed: number): number[] {
  const rng = createRng(seed)
  const out: number[] = []
  while (out.length < n) {
    const u = 1 - rng.next()
    const v = rng.next()
    const r = Math.sqrt(-2 * Math.log(u))
    out.push(mean + sd * r * Math.cos(2 * Math.PI * v))
    if (out.length < n) out.push(mean + sd * r * Math.sin(2 * Math.PI * v))
  }
  return out
}

/** Seeded integers in [lo, hi], each value equally likely unless weights are given. */
export function integers(n: number, lo: number, hi: number, seed: number, weights?: number[]) {
  const rng = createRng(seed)
  const w = weights ?? Array.from({ length: hi - lo + 1 }, () => 1)
  const total = w.reduce((a, b) => a + b, 0)
  return Array.from({ length: n }, () => {
    let u = rng.next() * total
    for (let k = 0; k < w.length; k++) {
      u -= w[k]!
      if (u < 0) return lo + k
    }
    return hi
  })
}

/** |a - b| relative to the larger magnitude; 0 when both are equal (both NaN included). */
export function relativeDifference(a: number, b: number): number {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))
}
