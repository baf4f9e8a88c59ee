import type { Learner } from '../../contract'
import type { LearnerParams } from '../../ml/fit'

export interface Candidate {
  learner: Learner
  params: LearnerParams
}

/** The default settings of each learner when the user picks one. */
export function singleCandidate(learner: Learner, seed: number): Candidate {
  return { learner, params: learner === 'ridge' ? {} : { seed } }
}

/**
 * Auto's search space, best bets first: the time budget may stop it after any candidate but the
 * first (cheap, and a model needs one). Small on purpose; each candidate costs a full k-fold.
 * Around the tuned defaults (5-fold CV on aromatase and AChE IC50, core4): boosting with fewer,
 * smaller trees at a higher rate; boosting with half the features per tree for descriptor sets
 * (0.845 vs 0.854 on aromatase physchem); a forest with leaves down to one compound.
 */
export function autoCandidates(seed: number): Candidate[] {
  return [
    { learner: 'ridge', params: { lambda: 10 } },
    { learner: 'gbdt', params: { seed } },
    { learner: 'rf', params: { seed, trees: 200 } },
    {
      learner: 'gbdt',
      params: { seed, maxLeaves: 31, maxDepth: 8, trees: 200, learningRate: 0.05 },
    },
    { learner: 'gbdt', params: { seed, colSubsample: 0.5 } },
    { learner: 'ridge', params: { lambda: 100 } },
    { learner: 'ridge', params: { lambda: 1 } },
    { learner: 'rf', params: { seed, trees: 200, minSamplesLeaf: 1 } },
  ]
}
