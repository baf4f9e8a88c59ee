import { beforeAll, describe, expect, it } from 'vitest'
import { WorkbenchError } from '../../src-main/contract/errors'
import {
  type DriftMethod,
  chiSquareSf,
  chiSquareTest,
  datasetDrift,
  featureDrift,
  jensenShannonDistance,
  kolmogorovSf,
  ksTwoSample,
  normalSf,
  populationStabilityIndex,
  prepareSample,
  psiBand,
  wassersteinNormed,
  zTest,
} from '../../src-main/ml/drift'
import { smirnovSf } from '../../src-main/ml/drift/smirnov'
import { createRng, shuffledIndices } from '../../src-main/ml/rng'
import {
  type CaseExpected,
  type DriftCase,
  type JsonValue,
  type ReferenceValues,
  integers,
  normals,
  relativeDifference,
  scipyReference,
} from '../drift-scipy'
import { ACHE, AROMATASE, readTable } from '../reference-csv'

const STAT_TOL = 1e-9
const P_TOL = 1e-6

interface Case extends DriftCase {
  /** Evidently's default for this size and distinct count, from the rule table by hand */
  method: DriftMethod
  pValueMethod: 'exact' | 'asymptotic'
}

const shifted = (xs: number[], by: number) => xs.map((x) => x + by)

/** Every value of `xs`, with a few missing (null) and infinite ones put in between. */
function withGaps(xs: number[], missingEvery: number, infiniteEvery: number): JsonValue[] {
  const out: JsonValue[] = []
  xs.forEach((x, i) => {
    out.push(x)
    if (i % missingEvery === 0) out.push(null)
    if (i % infiniteEvery === 0) out.push(i % 2 ? 'inf' : '-inf')
  })
  return out
}

const toNumbers = (xs: JsonValue[]) =>
  Float64Array.from(xs, (x) =>
    x === null ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : x,
  )

const CASES: Case[] = [
  {
    id: 'exact, n1 == n2',
    reference: normals(200, 0, 1, 1),
    current: normals(200, 0.2, 1, 2),
    method: 'ks',
    pValueMethod: 'exact',
  },
  {
    id: 'exact, n1 != n2',
    reference: normals(300, 0, 1, 3),
    current: normals(470, 0.1, 1, 4),
    method: 'ks',
    pValueMethod: 'exact',
  },
  {
    id: 'exact, n1 == n2, very small p',
    reference: normals(500, 0, 1, 5),
    current: normals(500, 1, 1, 6),
    method: 'ks',
    pValueMethod: 'exact',
  },
  {
    id: 'exact, n1 != n2, very small p',
    reference: normals(400, 0, 1, 7),
    current: normals(650, 1.2, 1, 8),
    method: 'ks',
    pValueMethod: 'exact',
  },
  {
    id: 'exact at the limit, 1000 vs 10000',
    reference: normals(1000, 0, 1, 9),
    current: normals(10000, 0.08, 1, 10),
    method: 'ks',
    pValueMethod: 'exact',
  },
  {
    id: 'asymptotic, 600 vs 12000',
    reference: normals(600, 0, 1, 11),
    current: normals(12000, 0.1, 1, 12),
    method: 'ks',
    pValueMethod: 'asymptotic',
  },
  {
    id: 'asymptotic, very small p (2 smirnov branch)',
    reference: normals(900, 0, 1, 13),
    current: normals(20000, 0.5, 1.2, 14),
    method: 'ks',
    pValueMethod: 'asymptotic',
  },
  {
    // n1 n2 / (n1 + n2) = 5000.5, which numpy rounds to the even 5000
    id: 'asymptotic, 10001 vs 10001',
    reference: normals(10001, 0, 1, 15),
    current: normals(10001, 0.03, 1, 16),
    method: 'wasserstein',
    pValueMethod: 'asymptotic',
  },
  {
    id: 'asymptotic, 20000 vs 200000',
    reference: normals(20000, 0, 1, 17),
    current: normals(200000, 0.01, 1.01, 18),
    method: 'wasserstein',
    pValueMethod: 'asymptotic',
  },
  {
    id: 'ties, 13 integer values',
    reference: integers(300, 0, 12, 19),
    current: integers(400, 0, 12, 20, [3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]),
    method: 'ks',
    pValueMethod: 'exact',
  },
  {
    // more than 20 reference values: Sturges bins, with values exactly on bin edges
    id: 'ties, 41 integer values',
    reference: integers(800, 0, 40, 21),
    current: shifted(integers(900, 0, 40, 22), 2),
    method: 'ks',
    pValueMethod: 'exact',
  },
  {
    id: 'three categories',
    reference: integers(500, 1, 3, 23, [5, 3, 2]),
    current: integers(600, 1, 3, 24, [4, 3, 3]),
    method: 'chi-square',
    pValueMethod: 'exact',
  },
  {
    id: 'five categories, one new in current',
    reference: integers(400, 1, 4, 25),
    current: integers(450, 1, 5, 26),
    method: 'chi-square',
    pValueMethod: 'exact',
  },
  {
    id: 'binary',
    reference: integers(700, 0, 1, 27, [6, 4]),
    current: integers(800, 0, 1, 28, [5, 5]),
    method: 'z',
    pValueMethod: 'exact',
  },
  {
    id: 'binary, very small p',
    reference: integers(900, 0, 1, 29, [9, 1]),
    current: integers(1000, 0, 1, 30, [4, 6]),
    method: 'z',
    pValueMethod: 'exact',
  },
  {
    id: 'one value, the same on both sides',
    reference: Array.from({ length: 50 }, () => 2.5),
    current: Array.from({ length: 60 }, () => 2.5),
    method: 'z',
    pValueMethod: 'exact',
  },
  {
    id: 'one value on each side, different',
    reference: Array.from({ length: 30 }, () => 2.5),
    current: Array.from({ length: 40 }, () => 3.5),
    method: 'z',
    pValueMethod: 'exact',
  },
  {
    id: 'missing and infinite values',
    reference: withGaps(normals(120, 5, 2, 31), 9, 31),
    current: withGaps(normals(150, 5.5, 2, 32), 7, 1000),
    method: 'ks',
    pValueMethod: 'exact',
  },
  { id: 'tiny, 1 vs 1', reference: [1], current: [2], method: 'z', pValueMethod: 'exact' },
  { id: 'tiny, 1 vs 1 equal', reference: [1], current: [1], method: 'z', pValueMethod: 'exact' },
  {
    id: 'tiny, 2 vs 3',
    reference: [0.5, 1.5],
    current: [0.2, 0.9, 3.1],
    method: 'chi-square',
    pValueMethod: 'exact',
  },
  {
    id: 'tiny, 3 vs 3 with a tie',
    reference: [1, 2, 2],
    current: [2, 3, 4.5],
    method: 'chi-square',
    pValueMethod: 'exact',
  },
  {
    id: 'large reference, continuous',
    reference: normals(2000, 10, 3, 33),
    current: normals(3000, 10.6, 3, 34),
    method: 'wasserstein',
    pValueMethod: 'exact',
  },
  {
    id: 'large reference, four categories',
    reference: integers(3000, 0, 3, 35),
    current: integers(2500, 0, 3, 36, [2, 1, 1, 1]),
    method: 'jensen-shannon',
    pValueMethod: 'exact',
  },
  {
    // one far outlier: Sturges bins between the bulk and it are empty, and the reference's
    // smallest share (1/20000) is below 0.0001, so its empty bins get that share / 10^6
    id: 'PSI with empty bins and a rare outlier',
    reference: [...normals(20000, 0, 1, 37), 30],
    current: normals(15000, 0.1, 1, 38),
    method: 'wasserstein',
    pValueMethod: 'asymptotic',
  },
]

// kstwo.sf over every branch of scipy's _kolmogn: Ruben-Gambino ends, Durbin, Pomeranz,
// Pelz-Good, 2 * smirnov; p-values down to ~1e-250 (below that scipy returns subnormals).
const KSTWO: [number, number][] = []
for (const n of [1, 2, 3, 5, 10, 37, 100, 140, 141, 500, 1000, 5000, 20000, 90909, 100001]) {
  for (const s of [0.3, 0.6, 0.8, 0.9, 1, 1.2, 1.5, 1.9, 2.1, 3, 5, 8, 12, 16.5])
    KSTWO.push([n, Math.min(s / Math.sqrt(n), 0.999)])
}
for (const n of [5, 50, 200]) for (const d of [0.5, 0.55, 0.7, 0.95]) KSTWO.push([n, d])
for (const n of [3, 10, 150, 1000])
  KSTWO.push([n, 0.9 / n], [n, 1 / n], [n, 0.6 / n], [n, 1 - 1.2 / n])
const CHI2: [number, number][] = []
for (const df of [1, 2, 3, 4, 7, 30, 100, 1000, 100000])
  for (const f of [0.01, 0.5, 0.9, 1, 1.1, 2, 5, 20])
    CHI2.push([df * f + (f > 1 ? 10 * f * f : 0), df])
CHI2.push([200, 4], [1000, 4], [1400, 3], [1500, 3], [1e4, 2], [0, 2])
const NORM = [0, 0.1, 0.5, 0.7, 1, 1.5, 2, 3, 5, 8, 8.5, 10, 20, 30, 37, 38, -1, -5, -10]

let ref: ReferenceValues

beforeAll(() => {
  ref = scipyReference({ cases: CASES, kstwo: KSTWO, smirnov: KSTWO, chi2: CHI2, norm: NORM })
}, 120_000)

function expectClose(ours: number, theirs: number, tol: number, label: string) {
  expect(
    relativeDifference(ours, theirs),
    `${label}: ours ${ours}, scipy ${theirs}`,
  ).toBeLessThanOrEqual(tol)
}

const expected = (id: string): CaseExpected => {
  const e = ref.cases.find((c) => c.id === id)
  if (!e) throw new Error(`no reference values for ${id}`)
  return e
}

describe('drift statistics equal scipy 1.10 / numpy 1.24 (Evidently stattests)', () => {
  it('runs against the scipy and numpy versions the expected values assume', () => {
    expect(ref.versions.scipy).toBe('1.10.1')
    expect(ref.versions.numpy.startsWith('1.24')).toBe(true)
  })

  it.each(CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const e = expected(c.id)
    const r = toNumbers(c.reference)
    const q = toNumbers(c.current)

    const ks = ksTwoSample(r, q)
    expectClose(ks.statistic, e.ksStatistic, STAT_TOL, 'KS statistic')
    expectClose(ks.pValue, e.ksPValue, P_TOL, 'KS p-value')
    expect(ks.pValueMethod).toBe(c.pValueMethod)

    const chi = chiSquareTest(r, q)
    expectClose(chi.statistic, e.chiStatistic, STAT_TOL, 'chi-square statistic')
    expectClose(chi.pValue, e.chiPValue, P_TOL, 'chi-square p-value')

    const z = zTest(r, q)
    expectClose(z.statistic, e.zStatistic, STAT_TOL, 'z')
    expectClose(z.pValue, e.zPValue, P_TOL, 'Z-test p-value')
    // Evidently's 2 * (1 - cdf) agrees until it runs out of digits near 1e-16
    if (e.zPValueEvidently > 1e-9)
      expectClose(z.pValue, e.zPValueEvidently, P_TOL, 'Z-test p, 1 - cdf form')

    const w = wassersteinNormed(r, q)
    expectClose(w.distance, e.wasserstein, STAT_TOL, 'Wasserstein distance')
    expectClose(w.value, e.wassersteinNormed, STAT_TOL, 'Wasserstein / std')

    expectClose(jensenShannonDistance(r, q), e.js, STAT_TOL, 'Jensen-Shannon distance')

    const psi = populationStabilityIndex(r, q)
    expectClose(psi.value, e.psi, STAT_TOL, 'PSI')
    expect(psi.bins).toBe(e.psiBins)
    expect(psi.binning).toBe(e.binning)

    // the per-feature result picks Evidently's method for this size and distinct count
    const f = featureDrift(r, q)
    expect(f.reference.used).toBe(e.nRef)
    expect(f.current.used).toBe(e.nCur)
    expect(f.distinctValues).toBe(e.distinct)
    expect(f.test?.method).toBe(c.method)
    const score: Record<DriftMethod, number> = {
      ks: e.ksPValue,
      'chi-square': e.chiPValue,
      z: e.zPValue,
      wasserstein: e.wassersteinNormed,
      'jensen-shannon': e.js,
      psi: e.psi,
    }
    expectClose(f.test!.score, score[c.method], P_TOL, `${c.method} score`)
    expectClose(f.psi!.value, e.psi, STAT_TOL, 'PSI beside the test')
  })

  it('the cases cover what they claim to: tiny p-values, ties, new values, empty bins', () => {
    const p = (id: string) => expected(id)
    expect(p('exact, n1 == n2, very small p').ksPValue).toBeLessThan(1e-39)
    expect(p('exact, n1 != n2, very small p').ksPValue).toBeLessThan(1e-50)
    expect(p('asymptotic, very small p (2 smirnov branch)').ksPValue).toBeLessThan(1e-20)
    expect(p('binary, very small p').zPValue).toBeLessThan(1e-100)
    expect(p('binary, very small p').zPValueEvidently).toBe(0)
    expect(p('five categories, one new in current').chiStatistic).toBe(Infinity)
    expect(p('five categories, one new in current').chiPValue).toBe(0)
    expect(p('one value, the same on both sides').chiPValue).toBeNaN()
    expect(p('ties, 41 integer values').binning).toBe('sturges')
    // 1/20001 is the reference's smallest share, so its empty bins hold 1/20001 / 10^6
    expect(p('PSI with empty bins and a rare outlier').psiSmallestShares[0]).toBeCloseTo(
      1 / 20001 / 1e6,
      20,
    )
    expect(p('asymptotic, 10001 vs 10001').ksPValue).toBeGreaterThan(0)
  })

  it('kstwo.sf over every branch of scipy _kolmogn', () => {
    KSTWO.forEach(([n, d], i) =>
      expectClose(kolmogorovSf(n, d), ref.kstwo[i]!, P_TOL, `kstwo.sf(${d}, ${n})`),
    )
  })

  it('smirnov (one-sided) as scipy.special.smirnov', () => {
    KSTWO.forEach(([n, x], i) =>
      expectClose(smirnovSf(n, x), ref.smirnov[i]!, P_TOL, `smirnov(${n}, ${x})`),
    )
  })

  it('chi2.sf and norm.sf, including the far tails', () => {
    CHI2.forEach(([x, df], i) =>
      expectClose(chiSquareSf(x, df), ref.chi2[i]!, P_TOL, `chi2.sf(${x}, ${df})`),
    )
    NORM.forEach((z, i) => expectClose(normalSf(z), ref.norm[i]!, P_TOL, `norm.sf(${z})`))
    expect(Math.min(...ref.chi2.filter((p) => p > 0))).toBeLessThan(1e-300)
  })
})

describe('drift per feature and per dataset', () => {
  /** `n` values with exactly `k` distinct ones. */
  const withDistinct = (n: number, k: number) => Array.from({ length: n }, (_, i) => (i % k) * 1.5)

  it.each([
    [1000, 6, 'ks'],
    [1000, 5, 'chi-square'],
    [1000, 3, 'chi-square'],
    [1000, 2, 'z'],
    [1000, 1, 'z'],
    [1001, 6, 'wasserstein'],
    [1001, 5, 'jensen-shannon'],
    [1001, 1, 'jensen-shannon'],
    [20, 40, 'ks'],
  ] as const)('n_ref %i with %i distinct values: %s', (nRef, k, method) => {
    const f = featureDrift(withDistinct(nRef, k), withDistinct(300, k))
    expect(f.distinctValues).toBe(k)
    expect(f.test?.method).toBe(method)
    expect(f.test?.chosenBy).toBe('default')
  })

  it('counts distinct values over both sides and n_ref without missing values', () => {
    // 3 values in the reference and 3 other ones in the current data: k = 6
    const f = featureDrift([1, 2, 3, 1, 2, 3], [4, 5, 6])
    expect(f.distinctValues).toBe(6)
    expect(f.test?.method).toBe('ks')
    // 1,005 rows of which 10 are missing: 995 values, so Evidently's small-reference rule applies
    const values = [...normals(995, 0, 1, 40), ...Array.from({ length: 10 }, () => NaN)]
    const g = featureDrift(values, normals(200, 0, 1, 41))
    expect(g.reference).toEqual({ rows: 1005, used: 995, missing: 10, infinite: 0 })
    expect(g.test?.method).toBe('ks')
  })

  it('reports missing and infinite values per side and tests the rest', () => {
    const c = CASES.find((x) => x.id === 'missing and infinite values')!
    const f = featureDrift(toNumbers(c.reference), toNumbers(c.current))
    const count = (xs: JsonValue[], what: (x: JsonValue) => boolean) => xs.filter(what).length
    const inf = (x: JsonValue) => x === 'inf' || x === '-inf'
    expect(f.reference.missing).toBe(count(c.reference, (x) => x === null))
    expect(f.reference.infinite).toBe(count(c.reference, inf))
    expect(f.current.missing).toBe(count(c.current, (x) => x === null))
    expect(f.reference.missing).toBeGreaterThan(0)
    expect(f.reference.infinite).toBeGreaterThan(0)
    expect(f.reference.rows).toBe(c.reference.length)
    expect(f.reference.used + f.reference.missing + f.reference.infinite).toBe(f.reference.rows)
    // null is missing too (JSON has no NaN)
    expect(prepareSample([1, null, 2]).missing).toBe(1)
  })

  it('a side with no finite value is not tested, says why and is left out of the share', () => {
    const f = featureDrift([1, 2, 3], [NaN, NaN, Infinity])
    expect(f.test).toBeNull()
    expect(f.psi).toBeNull()
    expect(f.drifted).toBe(false)
    expect(f.notTested).toMatch(
      /current data has no finite value \(2 missing, 1 infinite of 3 rows\)/,
    )
    const d = datasetDrift([
      { name: 'empty', reference: [1, 2, 3], current: [NaN] },
      { name: 'shifted', reference: normals(300, 0, 1, 42), current: normals(300, 2, 1, 43) },
    ])
    expect(d.tested).toBe(1)
    expect(d.drifted).toBe(1)
    expect(d.driftedShare).toBe(1)
    expect(d.datasetDrifted).toBe(true)
  })

  it('takes the user method and threshold, and applies Evidently comparisons', () => {
    const c = CASES.find((x) => x.id === 'large reference, continuous')!
    const e = expected(c.id)
    const r = toNumbers(c.reference)
    const q = toNumbers(c.current)
    const f = featureDrift(r, q, { method: 'psi', threshold: 0.2 })
    expect(f.test).toMatchObject({
      method: 'psi',
      chosenBy: 'user',
      threshold: 0.2,
      scoreKind: 'distance',
    })
    expectClose(f.test!.score, e.psi, STAT_TOL, 'PSI as the test')
    expect(f.test!.drifted).toBe(e.psi >= 0.2)
    // a threshold just above and just below the scipy score flips the decision
    const ks = featureDrift(r, q, { method: 'ks', threshold: e.ksPValue * 1.01 })
    expect(ks.test!.drifted).toBe(true)
    expect(featureDrift(r, q, { method: 'ks', threshold: e.ksPValue * 0.99 }).test!.drifted).toBe(
      false,
    )
    const w = featureDrift(r, q, { threshold: e.wassersteinNormed * 0.99 })
    expect(w.test).toMatchObject({ method: 'wasserstein', chosenBy: 'default', drifted: true })
    expect(featureDrift(r, q, { threshold: e.wassersteinNormed * 1.01 }).test!.drifted).toBe(false)
    // default thresholds
    expect(featureDrift(r, q).test!.threshold).toBe(0.1)
    expect(featureDrift(r, q, { method: 'chi-square' }).test!.threshold).toBe(0.05)
  })

  it('bands PSI below 0.1 stable, from 0.1 moderate, from 0.25 major', () => {
    expect([0, 0.0999, 0.1, 0.2499, 0.25, 3].map(psiBand)).toEqual([
      'stable',
      'stable',
      'moderate',
      'moderate',
      'major',
      'major',
    ])
  })

  it('counts a p-value equal to the threshold as drift, for every p-value test (p <= threshold)', () => {
    for (const [id, method, p] of [
      [
        'three categories',
        'chi-square',
        (r: Float64Array, q: Float64Array) => chiSquareTest(r, q).pValue,
      ],
      ['binary', 'z', (r: Float64Array, q: Float64Array) => zTest(r, q).pValue],
      ['exact, n1 != n2', 'ks', (r: Float64Array, q: Float64Array) => ksTwoSample(r, q).pValue],
    ] as const) {
      const c = CASES.find((x) => x.id === id)!
      const r = toNumbers(c.reference)
      const q = toNumbers(c.current)
      const pValue = p(r, q)
      expect(pValue, id).toBeGreaterThan(0)
      expect(featureDrift(r, q, { method, threshold: pValue }).drifted, id).toBe(true)
      expect(featureDrift(r, q, { method, threshold: pValue * (1 - 1e-12) }).drifted, id).toBe(
        false,
      )
    }
    // distances drift at the threshold too (>=)
    const c = CASES.find((x) => x.id === 'large reference, continuous')!
    const r = toNumbers(c.reference)
    const q = toNumbers(c.current)
    const w = wassersteinNormed(r, q).value
    expect(featureDrift(r, q, { method: 'wasserstein', threshold: w }).drifted).toBe(true)
  })

  it('refuses an unknown method or an impossible threshold with a message naming the feature', () => {
    const bad = (options: unknown) => () =>
      datasetDrift([
        { name: 'AlogP', reference: [1, 2], current: [1, 2], options: options as never },
      ])
    expect(bad({ method: 'anova' })).toThrow(
      /Drift settings for "AlogP": the test must be one of ks/,
    )
    expect(bad({ method: 'ks', threshold: 5 })).toThrow(
      /p-value, so its threshold must be between 0 and 1/,
    )
    expect(bad({ method: 'psi', threshold: -1 })).toThrow(
      /population stability index threshold must be above 0/,
    )
    expect(bad({ threshold: Number.NaN })).toThrow(WorkbenchError)
    expect(() => datasetDrift([], { share: 0 })).toThrow(/must be above 0 and at most 1/)
    try {
      bad({ method: 'anova' })()
    } catch (error) {
      expect((error as WorkbenchError).code).toBe('invalid-input')
    }
  })

  it('marks the dataset drifted when at least the share of features drifted', () => {
    const same = (seed: number) => ({
      reference: normals(400, 0, 1, seed),
      current: normals(400, 0, 1, seed + 1),
    })
    const moved = (seed: number) => ({
      reference: normals(400, 0, 1, seed),
      current: normals(400, 1, 1, seed + 1),
    })
    const features = [
      { name: 'a', ...moved(50) },
      { name: 'b', ...moved(52) },
      { name: 'c', ...same(54) },
      { name: 'd', ...same(56) },
    ]
    const half = datasetDrift(features)
    expect(half.features.map((f) => f.drifted)).toEqual([true, true, false, false])
    expect(half.driftedShare).toBe(0.5)
    expect(half.datasetDrifted).toBe(true)
    expect(datasetDrift(features, { share: 0.6 }).datasetDrifted).toBe(false)
    expect(datasetDrift(features.slice(1)).datasetDrifted).toBe(false)
  })

  it('a prepared reference gives the same result as the raw values', () => {
    const r = normals(800, 0, 1, 60)
    const q = normals(900, 0.1, 1, 61)
    expect(featureDrift(prepareSample(r), q)).toEqual(featureDrift(r, q))
  })
})

describe('drift on real ChEMBL data', () => {
  const aromatase = readTable(AROMATASE, ';').rows
  const column = (name: string) =>
    Float64Array.from(aromatase, (row) => (row[name] === '' ? NaN : Number(row[name])))

  it.each(['AlogP', 'Molecular Weight'])(
    'random half-splits of the aromatase %s rarely flag KS drift',
    (name) => {
      const values = column(name)
      expect(values.filter(Number.isFinite).length).toBeGreaterThan(6000)
      const rng = createRng(name.length)
      let flagged = 0
      const splits = 200
      for (let s = 0; s < splits; s++) {
        const order = shuffledIndices(values.length, rng)
        const half = values.length >> 1
        const a = Float64Array.from(order.subarray(0, half), (i) => values[i]!)
        const b = Float64Array.from(order.subarray(half), (i) => values[i]!)
        if (featureDrift(a, b, { method: 'ks' }).drifted) flagged++
      }
      // 5% is the nominal rate; the many tied values make KS conservative
      expect(flagged / splits).toBeLessThanOrEqual(0.1)
    },
  )

  it('flags AlogP shifted by one standard deviation, with KS and with the default test', () => {
    const values = column('AlogP')
    const finite = values.filter(Number.isFinite)
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length
    const sd = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / finite.length)
    const moved = values.map((x) => x + sd)
    const ks = featureDrift(values, moved, { method: 'ks' })
    expect(ks.test!.score).toBeLessThan(1e-100)
    const f = featureDrift(values, moved)
    expect(f.test?.method).toBe('wasserstein')
    expect(f.test!.score).toBeGreaterThan(0.9)
    expect(f.drifted).toBe(true)
    expect(f.psi!.band).toBe('major')
  })

  it('flags log IC50 of acetylcholinesterase against aromatase', () => {
    const log10Ic50 = (
      rows: Record<string, string>[],
      k: { type: string; units: string; relation: string; value: string },
      eq: string,
    ) =>
      rows
        .filter(
          (r) =>
            r[k.type] === 'IC50' &&
            r[k.units] === 'nM' &&
            r[k.relation] === eq &&
            Number(r[k.value]) > 0,
        )
        .map((r) => Math.log10(Number(r[k.value])))
    const aro = log10Ic50(
      aromatase,
      {
        type: 'Standard Type',
        units: 'Standard Units',
        relation: 'Standard Relation',
        value: 'Standard Value',
      },
      "'='",
    )
    const ache = log10Ic50(
      readTable(ACHE, ',').rows,
      {
        type: 'standard_type',
        units: 'standard_units',
        relation: 'standard_relation',
        value: 'standard_value',
      },
      '=',
    )
    // the data files' own facts (shared/data/README.md)
    expect(aro).toHaveLength(3173)
    expect(ache.length).toBeGreaterThan(5200)
    const ks = featureDrift(aro, ache, { method: 'ks' })
    expect(ks.drifted).toBe(true)
    expect(ks.test!.pValueMethod).toBe('exact')
    const f = featureDrift(aro, ache)
    expect(f.test?.method).toBe('wasserstein')
    expect(f.drifted).toBe(true)
  })
})
