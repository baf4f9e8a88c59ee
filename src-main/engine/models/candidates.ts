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
 */
export function autoCandidates(seed: number): Candidate[] {
  return [
    { learner: 'ridge', params: { lambda: 10 } },
    { learner: 'gbdt', params: { seed } },
    { learner: 'rf', params: { seed, trees: 200 } },
    { learner: 'gbdt', params: { seed, maxLeaves: 15, minSamplesLeaf: 20, colSubsample: 0.6 } },
    {
      learner: 'gbdt',
      params: {
        seed,
        maxLeaves: 63,
        maxDepth: 10,
        minSamplesLeaf: 5,
        learningRate: 0.03,
        trees: 1000,
        colSubsample: 0.5,
      },
    },
    { learner: 'ridge', params: { lambda: 100 } },
    { learner: 'ridge', params: { lambda: 1 } },
    { learner: 'rf', params: { seed, trees: 200, minSamplesLeaf: 5 } },
  ]
}
