import type { RetrainOutcome } from '../../../src-main/contract'
import { useModels } from '../../store/models-store'
import { comparisonSentence } from '../activity/labels'
import { fmtDate } from '../format'

const DECISION_LABELS: Record<RetrainOutcome['decision'], string> = {
  'not-triggered': 'Not triggered',
  'dry-run': 'Dry run',
  promoted: 'Promoted',
  'kept-candidate': 'Kept as a candidate',
  'no-production-model': 'No production model',
  failed: 'Failed',
}

/** The last run's decision: its sentence, the comparison's numbers and the versions compared. */
export function PolicyOutcome({ outcome }: { outcome: RetrainOutcome }) {
  const select = useModels((s) => s.select)
  const models = useModels((s) => s.models)
  const link = (version: string | null, role: string) =>
    version === null ? null : models.some((m) => m.version === version) ? (
      <button type="button" className="link-button" onClick={() => void select(version)}>
        {role} {version}
      </button>
    ) : (
      <span className="muted">
        {role} {version}
      </span>
    )
  return (
    <div className="policy-outcome" data-testid="policy-outcome">
      <p>
        <span className={`tag decision-${outcome.decision}`}>
          {DECISION_LABELS[outcome.decision]}
        </span>{' '}
        {outcome.explanation}
      </p>
      {outcome.comparison && (
        <p className="muted small" data-testid="policy-comparison">
          {comparisonSentence(outcome.comparison)} (
          {outcome.comparison.resamples.toLocaleString('en')} paired bootstrap resamples, seed{' '}
          {outcome.comparison.seed}).
        </p>
      )}
      {outcome.plan && (
        <p className="muted small">
          {outcome.dryRun ? 'Would train' : 'Trained'}: {outcome.plan.learner} on{' '}
          {outcome.plan.featureSet}, {outcome.plan.rows.toLocaleString('en')} compounds (
          {outcome.plan.types.join(', ')}).
        </p>
      )}
      <div className="row">
        {link(outcome.challenger, 'Challenger')}
        {link(outcome.champion, 'Production')}
        <span className="muted small">{fmtDate(outcome.at)}</span>
      </div>
    </div>
  )
}
