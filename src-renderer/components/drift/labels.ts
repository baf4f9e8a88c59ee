import {
  type DriftMethodName,
  type DriftSource,
  type DriftTrigger,
  type PsiBand,
  SEED_FEATURE_LABELS,
} from '../../../src-main/contract'
import { DESCRIPTOR_LABELS } from '../../../src-main/chem/descriptor-labels'

/** A feature's name as a chemist reads it, with the stored name beside it when they differ. */
export function featureLabel(name: string): string {
  const seed = (SEED_FEATURE_LABELS as Record<string, string>)[name]
  if (seed) return seed
  const descriptor = DESCRIPTOR_LABELS[name]
  if (descriptor) return descriptor
  const bit = /^morgan_(\d+)$/.exec(name)
  if (bit) return `Morgan fingerprint bit ${bit[1]}`
  return name
}

/** Each test by name, and what its statistic means, for the column's hint. */
export const METHOD_LABELS: Record<DriftMethodName, { name: string; short: string; hint: string }> =
  {
    ks: {
      name: 'Kolmogorov–Smirnov',
      short: 'KS test',
      hint: 'Largest gap between the two cumulative distributions (0 to 1); drifted when its p-value is at most the threshold.',
    },
    'chi-square': {
      name: 'Chi-square',
      short: 'Chi-square',
      hint: 'Compares how often each value occurs on each side; drifted when its p-value is at most the threshold.',
    },
    z: {
      name: 'Two-proportion Z',
      short: 'Z-test',
      hint: 'Compares the share of one of two values on each side; drifted when its p-value is at most the threshold.',
    },
    wasserstein: {
      name: 'Wasserstein (÷ sd)',
      short: 'Wasserstein',
      hint: 'How far values moved on average, in training standard deviations; drifted at or above the threshold.',
    },
    'jensen-shannon': {
      name: 'Jensen–Shannon',
      short: 'Jensen–Shannon',
      hint: 'Distance between the two value frequencies (0 = same, 1 = nothing in common); drifted at or above the threshold.',
    },
    psi: {
      name: 'PSI',
      short: 'PSI',
      hint: 'Population stability index over shared bins; drifted at or above the threshold.',
    },
  }

/** Whether a method's threshold is a p-value limit (drift at or below) or a distance (at or above). */
export const isPValueMethod = (m: DriftMethodName) => m === 'ks' || m === 'chi-square' || m === 'z'

export const PSI_BANDS: Record<PsiBand, string> = {
  stable: 'stable (< 0.1)',
  moderate: 'moderate (0.1–0.25)',
  significant: 'large (≥ 0.25)',
}

export const TRIGGER_LABELS: Record<DriftTrigger, string> = {
  manual: 'run by hand',
  import: 'automatic, after an import',
  batch: 'automatic, after a prediction batch',
  simulation: 'simulated data',
  cli: 'from the command line',
  watch: 'watched folder',
}

/** What a check compared, in words (the engine's label, else one made from the source). */
export function sourceLabel(source: DriftSource): string {
  if (source.label) return source.label
  switch (source.kind) {
    case 'import':
      return `import #${source.importId}`
    case 'batch':
      return `prediction batch #${source.batchId}`
    case 'window':
      return `predictions ${source.from} – ${source.to}`
    case 'since-training':
      return `compounds imported since ${source.since}`
    case 'file':
      return `file ${source.fileName}`
    case 'simulated':
      return `${source.rows} simulated rows`
  }
}

/** A p-value as read in papers: small ones in scientific notation. */
export function fmtP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—'
  if (p === 0) return '< 1e-300'
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3)
}

/** A statistic with enough digits to compare with its threshold. */
export function fmtStat(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—'
  const a = Math.abs(v)
  if (a !== 0 && (a < 0.001 || a >= 1e5)) return v.toExponential(2)
  return v.toFixed(a < 10 ? 3 : 1)
}

export const fmtShare = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`
