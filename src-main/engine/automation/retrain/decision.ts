import {
  MIN_COMPARISON_ROWS,
  type RetrainComparison,
  type RetrainDecision,
} from '../../../contract'

/** What the decision is made from: the policy's permission and the comparison (null: none made). */
export interface DecisionInput {
  challenger: string
  champion: string
  autoPromote: boolean
  /** compounds measured since the champion was trained (the comparison's rows, when made) */
  newCompounds: number
  comparison: RetrainComparison | null
  /** why no comparison was made, when none was and it was not for too few compounds */
  noComparisonReason?: string
}

export interface Decision {
  decision: Extract<RetrainDecision, 'promoted' | 'kept-candidate'>
  explanation: string
  /** the challenger is better with the interval wholly below zero */
  significantlyBetter: boolean
}

const f2 = (v: number) => v.toFixed(2)
const f3 = (v: number) => v.toFixed(3)

/**
 * Promote only when the policy allows it, the challenger's RMSE is lower, and the upper end of
 * the bootstrap's 95% interval of RMSE(challenger) - RMSE(champion) is below zero. Otherwise the
 * challenger stays a candidate, and the sentence says why.
 */
export function decide(input: DecisionInput): Decision {
  const { challenger, champion, comparison: c } = input
  if (!c || c.rows < MIN_COMPARISON_ROWS) {
    const why =
      input.noComparisonReason ??
      `only ${input.newCompounds.toLocaleString('en')} compound${input.newCompounds === 1 ? ' was' : 's were'} measured since ${champion}; ${MIN_COMPARISON_ROWS} are needed for a fair comparison`
    return {
      decision: 'kept-candidate',
      explanation: `challenger ${challenger} stays a candidate: ${why}`,
      significantlyBetter: false,
    }
  }
  const head = `challenger ${challenger}: RMSE ${f2(c.rmseChallenger)} vs ${f2(c.rmseChampion)} (${champion}) on ${c.rows.toLocaleString('en')} new compounds`
  const ci = `(95% interval ${f3(c.diffCi[0])} to ${f3(c.diffCi[1])})`
  const better = c.rmseChallenger < c.rmseChampion
  const significantlyBetter = better && c.diffCi[1] < 0
  if (significantlyBetter && input.autoPromote)
    return {
      decision: 'promoted',
      explanation: `${head}, better ${ci}; promoted`,
      significantlyBetter,
    }
  if (significantlyBetter)
    return {
      decision: 'kept-candidate',
      explanation: `${head}, better ${ci}; automatic promotion is off in the policy, so it stays a candidate`,
      significantlyBetter,
    }
  const worseSignificantly = !better && c.diffCi[0] > 0
  const verdict = worseSignificantly
    ? 'worse'
    : better
      ? 'difference not significant'
      : 'worse, difference not significant'
  return {
    decision: 'kept-candidate',
    explanation: `${head}, ${verdict} ${ci}; it stays a candidate`,
    significantlyBetter,
  }
}
