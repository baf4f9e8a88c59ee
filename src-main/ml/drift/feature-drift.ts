/**
 * Drift of one feature and of a dataset, with Evidently's default choice of test
 * (legacy/calculations/stattests/registry.py `_get_default_stattest` for a numerical column) and
 * its thresholds, and PSI reported beside every test.
 */

import { z } from 'zod'
import { WorkbenchError } from '../../contract/errors'
import { type PreparedSample, type SampleInput, prepareSample } from './sample'
import {
  type PsiResult,
  chiSquareTest,
  distinctValues,
  jensenShannonDistance,
  ksTwoSample,
  populationStabilityIndex,
  wassersteinNormed,
  zTest,
} from './statistics'

export const DRIFT_METHODS = [
  'ks',
  'chi-square',
  'z',
  'wasserstein',
  'jensen-shannon',
  'psi',
] as const
export type DriftMethod = (typeof DRIFT_METHODS)[number]

/** Tests whose score is a p-value (drift when small); the others score a distance (drift when large). */
const P_VALUE_METHODS: ReadonlySet<DriftMethod> = new Set(['ks', 'chi-square', 'z'])

/** Evidently's default thresholds (StatTest.default_threshold of each stattest). */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05,
  'chi-square': 0.05,
  z: 0.05,
  wasserstein: 0.1,
  'jensen-shannon': 0.1,
  psi: 0.1,
}

const METHOD_NAMES: Readonly<Record<DriftMethod, string>> = {
  ks: 'Kolmogorov-Smirnov test',
  'chi-square': 'chi-square test',
  z: 'Z-test',
  wasserstein: 'Wasserstein distance',
  'jensen-shannon': 'Jensen-Shannon distance',
  psi: 'population stability index',
}

/** A user's choice of test and threshold for one feature; either may be left to the default. */
export const featureDriftOptionsSchema = z
  .object({
    method: z.enum(DRIFT_METHODS).optional(),
    threshold: z.number().finite().optional(),
  })
  .strict()
export type FeatureDriftOptions = z.infer<typeof featureDriftOptionsSchema>

/** How many features must drift before the dataset counts as drifted (Evidently: half). */
export const datasetDriftOptionsSchema = z
  .object({ share: z.number().gt(0).lte(1).optional() })
  .strict()
export type DatasetDriftOptions = z.infer<typeof datasetDriftOptionsSchema>

/** What one side held: every row is a used value, a missing one or an infinite one. */
export interface SideSummary {
  rows: number
  /** finite values the tests ran on */
  used: number
  /** NaN / null: left out, never imputed */
  missing: number
  /** +-Infinity: left out, as Evidently drops them with the missing values */
  infinite: number
}

export interface DriftTest {
  method: DriftMethod
  /** 'default' when Evidently's rule picked the method, 'user' when the options did */
  chosenBy: 'default' | 'user'
  /** 'p-value' scores drift when small, 'distance' scores when large */
  scoreKind: 'p-value' | 'distance'
  /** the p-value, or the distance / index */
  score: number
  /** the test statistic: KS D, chi-square, z; for the distances the score itself */
  statistic: number
  threshold: number
  /**
   * p-values (ks, chi-square, z): score <= threshold; distances: score >= threshold. A NaN
   * score never counts as drift.
   */
  drifted: boolean
  /** KS only */
  pValueMethod?: 'exact' | 'asymptotic'
  /** chi-square only */
  degreesOfFreedom?: number
}

export interface FeatureDrift {
  reference: SideSummary
  current: SideSummary
  /** distinct finite values in reference + current: Evidently's k */
  distinctValues: number
  /** the test chosen by Evidently's rule or the user; null when it could not run */
  test: DriftTest | null
  /** PSI with its 0.1 / 0.25 bands, for every feature that could be tested */
  psi: PsiResult | null
  /** why there is no test: a side without a single finite value */
  notTested: string | null
  drifted: boolean
}

/**
 * Evidently's default test for a numerical feature. n_ref counts finite reference values, k the
 * distinct finite values of both sides together.
 */
export function defaultDriftMethod(referenceValues: number, distinct: number): DriftMethod {
  if (referenceValues <= 1000) return distinct > 5 ? 'ks' : distinct > 2 ? 'chi-square' : 'z'
  return distinct > 5 ? 'wasserstein' : 'jensen-shannon'
}

function summary(s: PreparedSample): SideSummary {
  return { rows: s.rows, used: s.sorted.length, missing: s.missing, infinite: s.infinite }
}

function checkOptions(options: unknown, feature: string): FeatureDriftOptions {
  const parsed = featureDriftOptionsSchema.safeParse(options ?? {})
  if (!parsed.success)
    throw new WorkbenchError(
      'invalid-input',
      `Drift settings for ${feature}: the test must be one of ${DRIFT_METHODS.join(', ')}, and ` +
        `the threshold a number (${parsed.error.issues.map((i) => i.message).join('; ')}).`,
    )
  const { method, threshold } = parsed.data
  if (threshold !== undefined && method !== undefined) {
    if (P_VALUE_METHODS.has(method) && !(threshold > 0 && threshold < 1))
      throw new WorkbenchError(
        'invalid-input',
        `Drift settings for ${feature}: the ${METHOD_NAMES[method]} compares a p-value, so its ` +
          `threshold must be between 0 and 1 (0.05 is usual); got ${threshold}.`,
      )
    if (!P_VALUE_METHODS.has(method) && !(threshold > 0))
      throw new WorkbenchError(
        'invalid-input',
        `Drift settings for ${feature}: the ${METHOD_NAMES[method]} threshold must be above 0 ` +
          `(0.1 is usual); got ${threshold}.`,
      )
  }
  if (threshold !== undefined && method === undefined && !(threshold > 0 && threshold < 1))
    throw new WorkbenchError(
      'invalid-input',
      `Drift settings for ${feature}: a threshold without a test applies to whichever test the ` +
        `data picks, p-value or distance, so it must be between 0 and 1; got ${threshold}. ` +
        'Choose the test as well to use another threshold.',
    )
  return parsed.data
}

function runTest(
  method: DriftMethod,
  ref: PreparedSample,
  cur: PreparedSample,
): Pick<DriftTest, 'score' | 'statistic' | 'pValueMethod' | 'degreesOfFreedom'> {
  switch (method) {
    case 'ks': {
      const r = ksTwoSample(ref, cur)
      return { score: r.pValue, statistic: r.statistic, pValueMethod: r.pValueMethod }
    }
    case 'chi-square': {
      const r = chiSquareTest(ref, cur)
      return { score: r.pValue, statistic: r.statistic, degreesOfFreedom: r.degreesOfFreedom }
    }
    case 'z': {
      const r = zTest(ref, cur)
      return { score: r.pValue, statistic: r.statistic }
    }
    case 'wasserstein': {
      const value = wassersteinNormed(ref, cur).value
      return { score: value, statistic: value }
    }
    case 'jensen-shannon': {
      const value = jensenShannonDistance(ref, cur)
      return { score: value, statistic: value }
    }
    case 'psi': {
      const value = populationStabilityIndex(ref, cur).value
      return { score: value, statistic: value }
    }
  }
}

/**
 * p-values drift at or below the threshold, distances at or above it (the rule: "drift if
 * p <= 0.05", ">= 0.1"). Evidently compares chi-square and Z p-values with a strict "<"; the two
 * differ only when a p-value equals the threshold exactly.
 */
function isDrift(method: DriftMethod, score: number, threshold: number): boolean {
  if (P_VALUE_METHODS.has(method)) return score <= threshold
  return score >= threshold
}

/**
 * Drift of one feature between reference and current values. Missing (NaN, null) and infinite
 * values are counted per side and left out. A side with no finite value at all cannot be tested:
 * the result then says why in `notTested`, has no test and no PSI, and does not count as drift.
 *
 * @param feature names the feature in error messages
 * @throws WorkbenchError 'invalid-input' for an unknown method or an out-of-range threshold
 */
export function featureDrift(
  reference: SampleInput,
  current: SampleInput,
  options?: FeatureDriftOptions,
  feature = 'this feature',
): FeatureDrift {
  const { method: userMethod, threshold: userThreshold } = checkOptions(options, feature)
  const ref = prepareSample(reference)
  const cur = prepareSample(current)
  const base = { reference: summary(ref), current: summary(cur) }
  const empty = [
    ref.sorted.length === 0 ? `the reference has no finite value (${describe(ref)})` : '',
    cur.sorted.length === 0 ? `the current data has no finite value (${describe(cur)})` : '',
  ].filter(Boolean)
  if (empty.length > 0)
    return {
      ...base,
      distinctValues: ref.distinct + cur.distinct,
      test: null,
      psi: null,
      notTested: `Not tested: ${empty.join(' and ')}.`,
      drifted: false,
    }
  const distinct = distinctValues(ref, cur)
  const method = userMethod ?? defaultDriftMethod(ref.sorted.length, distinct)
  const threshold = userThreshold ?? DEFAULT_THRESHOLDS[method]
  const result = runTest(method, ref, cur)
  const drifted = isDrift(method, result.score, threshold)
  const test: DriftTest = {
    method,
    chosenBy: userMethod ? 'user' : 'default',
    scoreKind: P_VALUE_METHODS.has(method) ? 'p-value' : 'distance',
    ...result,
    threshold,
    drifted,
  }
  return {
    ...base,
    distinctValues: distinct,
    test,
    psi: populationStabilityIndex(ref, cur),
    notTested: null,
    drifted,
  }
}

function describe(s: PreparedSample): string {
  if (s.rows === 0) return 'no rows'
  const parts = [
    s.missing ? `${s.missing} missing` : '',
    s.infinite ? `${s.infinite} infinite` : '',
  ]
  return `${parts.filter(Boolean).join(', ')} of ${s.rows} rows`
}

export interface DatasetFeature {
  name: string
  reference: SampleInput
  current: SampleInput
  options?: FeatureDriftOptions
}

export interface DatasetDrift {
  features: (FeatureDrift & { name: string })[]
  /** features with a test result (those in `notTested` are left out of the share) */
  tested: number
  drifted: number
  /** drifted / tested; 0 when nothing could be tested */
  driftedShare: number
  /** the share at or above which the dataset counts as drifted */
  share: number
  datasetDrifted: boolean
}

/**
 * Drift of every feature, and of the dataset: drifted when at least `share` (default 0.5, as
 * Evidently's drift_share) of the tested features drifted.
 */
export function datasetDrift(
  features: readonly DatasetFeature[],
  options?: DatasetDriftOptions,
): DatasetDrift {
  const parsed = datasetDriftOptionsSchema.safeParse(options ?? {})
  if (!parsed.success)
    throw new WorkbenchError(
      'invalid-input',
      'Dataset drift: the share of drifted features that marks the whole dataset as drifted ' +
        `must be above 0 and at most 1 (0.5 is usual); got ${JSON.stringify(options)}.`,
    )
  const share = parsed.data.share ?? 0.5
  const results = features.map((f) => ({
    name: f.name,
    ...featureDrift(f.reference, f.current, f.options, `"${f.name}"`),
  }))
  const tested = results.filter((r) => r.test !== null).length
  const drifted = results.filter((r) => r.drifted).length
  const driftedShare = tested === 0 ? 0 : drifted / tested
  return {
    features: results,
    tested,
    drifted,
    driftedShare,
    share,
    datasetDrifted: tested > 0 && driftedShare >= share,
  }
}
