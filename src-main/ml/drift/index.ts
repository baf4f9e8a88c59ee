/**
 * Data drift statistics: pure functions over feature values, no database.
 *
 * The numbers follow Evidently's defaults (DESIGN.md section 7) so users who know Evidently
 * recognise them, and each statistic equals the scipy / numpy call Evidently makes (scipy 1.10):
 *
 * | method           | function                     | Evidently stattest          | drift when        |
 * |------------------|------------------------------|-----------------------------|-------------------|
 * | `ks`             | {@link ksTwoSample}          | ks_stat_test (ks_2samp)     | p <= 0.05         |
 * | `chi-square`     | {@link chiSquareTest}        | chi_stat_test (chisquare)   | p <= 0.05         |
 * | `z`              | {@link zTest}                | z_stat_test                 | p <= 0.05         |
 * | `wasserstein`    | {@link wassersteinNormed}    | wasserstein_stat_test       | W / std >= 0.1    |
 * | `jensen-shannon` | {@link jensenShannonDistance}| jensenshannon_stat_test     | distance >= 0.1   |
 * | `psi`            | {@link populationStabilityIndex} | psi_stat_test           | PSI >= 0.1        |
 *
 * Default choice per feature ({@link defaultDriftMethod}), with n_ref the finite reference values
 * and k the distinct finite values of reference + current: n_ref <= 1000: k > 5 KS, 3-5
 * chi-square, <= 2 Z-test; n_ref > 1000: k > 5 Wasserstein, else Jensen-Shannon. PSI comes with
 * every feature. A user may pick any method and threshold per feature ({@link FeatureDriftOptions}).
 *
 * Typical use:
 * ```ts
 * const ref = prepareSample(trainingColumn) // sort once, reuse for every check
 * const result = featureDrift(ref, newColumn) // or with { method: 'psi', threshold: 0.2 }
 * const all = datasetDrift(columns.map((c) => ({ name: c.name, reference: c.ref, current: c.cur })))
 * ```
 *
 * Edge cases, all defined:
 * - Missing values (NaN or null) and +-Infinity are counted per side (`missing`, `infinite`) and
 *   left out of every statistic. A side with no finite value gives `test: null` with the reason in
 *   `notTested`; such a feature does not count towards the dataset's share.
 * - One value on both sides (k = 1): the Z-test gives p = 1 (Evidently's special case), the
 *   Jensen-Shannon distance 0, PSI 0, KS D = 0 with p = 1; a forced chi-square has 0 degrees of
 *   freedom and a NaN p-value, as scipy gives, which never counts as drift.
 * - A constant reference: the Wasserstein distance is divided by 0.001 instead of a zero std.
 * - A value only in the current data: chi-square statistic Infinity and p = 0, as scipy.
 * - Samples of 1, 2 or 3 values: KS uses the exact distribution, as scipy does.
 */

export {
  DEFAULT_THRESHOLDS,
  DRIFT_METHODS,
  type DatasetDrift,
  type DatasetDriftOptions,
  type DatasetFeature,
  type DriftMethod,
  type DriftTest,
  type FeatureDrift,
  type FeatureDriftOptions,
  type SideSummary,
  datasetDrift,
  datasetDriftOptionsSchema,
  defaultDriftMethod,
  featureDrift,
  featureDriftOptionsSchema,
} from './feature-drift'
export { kolmogorovSf } from './kolmogorov'
export { type PreparedSample, type SampleInput, prepareSample } from './sample'
export { chiSquareSf, normalSf } from './special'
export {
  type ChiSquareTest,
  type KsTest,
  type PsiBand,
  type PsiResult,
  type WassersteinResult,
  type ZTest,
  chiSquareTest,
  jensenShannonDistance,
  ksTwoSample,
  populationStabilityIndex,
  psiBand,
  wassersteinNormed,
  zTest,
} from './statistics'
