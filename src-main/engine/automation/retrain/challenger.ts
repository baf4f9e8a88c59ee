import type {
  Learner,
  RetrainPolicy,
  TrainingSetSummary,
  modelsTrainInput,
} from '../../../contract'
import type { LearnerParams } from '../../../ml/fit'
import type { z } from 'zod'
import type { ModelRow, StoredEvaluation } from '../../models/registry'
import type { TrainingSetDefinition } from '../../models/training-set'

type TrainInput = z.output<typeof modelsTrainInput>

/** What a challenger is trained as: the production model's definition on all current data. */
export interface ChallengerPlan {
  definition: TrainingSetDefinition & { target: string; types: string[] }
  input: TrainInput
  /** the production model's stored parameters (learner 'same'); undefined for Auto */
  params: LearnerParams | undefined
}

/**
 * The production model's training-set definition (target, types, feature set, flagged values),
 * its learner with its stored parameters (or Auto within the policy's budget), its folds and seed.
 */
export function challengerPlan(
  production: ModelRow,
  policy: RetrainPolicy,
  reason: string,
): ChallengerPlan {
  const summary = JSON.parse(production.training_set_json) as TrainingSetSummary
  const evaluation = JSON.parse(production.cv_metrics_json) as Partial<StoredEvaluation>
  const includeFlagged = summary.includeFlagged === true
  const definition = {
    target: summary.target,
    types: summary.types,
    featureSet: summary.featureSet,
    ...(includeFlagged ? { includeFlagged } : {}),
  }
  const auto = policy.learner === 'auto'
  const folds = Math.min(20, Math.max(2, evaluation.folds ?? 5))
  const input: TrainInput = {
    ...definition,
    learner: auto ? 'auto' : (production.learner as Learner),
    folds,
    seed: production.seed ?? 1,
    budgetSeconds: policy.budgetSeconds,
    promote: false,
    reason,
  }
  const params = auto ? undefined : (JSON.parse(production.params_json) as LearnerParams)
  return { definition, input, params }
}
