import type { ActivityEntry, ActivityKind, RetrainComparison } from '../../../src-main/contract'
import { fmtInt, fmtNum } from '../format'

/** What each kind of entry is, in a word or two (the entry's own sentence says the rest). */
export const KIND_LABELS: Record<ActivityKind, string> = {
  'file-imported': 'File imported',
  'file-duplicate': 'Already imported',
  'file-rejected': 'File rejected',
  'drift-checked': 'Drift check',
  'retrain-started': 'Retraining',
  'retrain-decided': 'Retrain decision',
  'retrain-failed': 'Retrain failed',
  'retrain-interrupted': 'Retrain interrupted',
  'policy-saved': 'Policy saved',
  'watch-started': 'Watching',
  'watch-stopped': 'Stopped watching',
  'watch-error': 'Watch problem',
}

export const LEVEL_LABELS: Record<ActivityEntry['level'], string> = {
  info: 'Information',
  notice: 'Notable',
  warning: 'Warning',
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** A comparison kept in an entry's details (its own field, or the details themselves). */
export function comparisonOf(details: Record<string, unknown>): RetrainComparison | null {
  const c = (
    typeof details.comparison === 'object' && details.comparison !== null
      ? details.comparison
      : details
  ) as Partial<Record<keyof RetrainComparison, unknown>>
  const ci = c.diffCi
  if (
    !isNumber(c.rows) ||
    !isNumber(c.rmseChallenger) ||
    !isNumber(c.rmseChampion) ||
    !Array.isArray(ci) ||
    !isNumber(ci[0]) ||
    !isNumber(ci[1])
  )
    return null
  return {
    rows: c.rows,
    rmseChallenger: c.rmseChallenger,
    rmseChampion: c.rmseChampion,
    diff: isNumber(c.diff) ? c.diff : c.rmseChallenger - c.rmseChampion,
    diffCi: [ci[0], ci[1]],
    resamples: isNumber(c.resamples) ? c.resamples : 0,
    seed: isNumber(c.seed) ? c.seed : 0,
  }
}

/** "RMSE 0.84 (challenger) vs 0.86 (production) on 312 compounds; difference −0.02, 95% interval −0.05 to 0.01" */
export function comparisonSentence(c: RetrainComparison): string {
  return `RMSE ${fmtNum(c.rmseChallenger, 3)} (challenger) vs ${fmtNum(c.rmseChampion, 3)} (production) on ${fmtInt(c.rows)} compounds; difference ${fmtNum(c.diff, 3)}, 95% interval ${fmtNum(c.diffCi[0], 3)} to ${fmtNum(c.diffCi[1], 3)}`
}
