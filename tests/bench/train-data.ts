// The bench's datasets: the aromatase export and the AChE dump imported into one engine, each
// target's IC50 rows (one row per compound) as a feature matrix, and one 5-fold assignment per
// target that every learner (ours and Python's) uses.
import type { FeatureSet } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { buildTrainingSet } from '../../src-main/engine/models/training-set'
import { kFolds } from '../../src-main/ml/cv'
import type { Dataset } from '../../src-main/ml/dataset'
import { fileRef, runJob } from '../helpers'
import { ACHE, AROMATASE } from '../reference-csv'

export const TARGETS = [
  { key: 'aromatase', target: 'CHEMBL1978', file: AROMATASE },
  { key: 'ache', target: 'CHEMBL220', file: ACHE },
] as const

export type TargetKey = (typeof TARGETS)[number]['key']

export const FOLD_SEED = 1

export async function importTargets(engine: Engine): Promise<void> {
  for (const t of TARGETS) {
    const done = await runJob(engine, 'imports.start', { file: await fileRef(engine, t.file) })
    if (done.state !== 'succeeded') throw new Error(done.error?.message)
  }
}

export interface BenchSet {
  key: TargetKey
  target: string
  featureSet: FeatureSet
  data: Dataset
  names: string[]
  compoundIds: Int32Array
  /** fold of each row, 0..4 */
  folds: Int32Array
}

export function benchSet(engine: Engine, key: TargetKey, featureSet: FeatureSet): BenchSet {
  const t = TARGETS.find((x) => x.key === key)!
  const set = buildTrainingSet(engine.context.db, { featureSet, target: t.target, types: ['IC50'] })
  const data: Dataset = { ...set.data, x: new Float32Array(set.data.x) }
  return {
    key,
    target: t.target,
    featureSet,
    data,
    names: set.summary.featureNames,
    compoundIds: set.compoundIds,
    folds: kFolds(data.n, 5, FOLD_SEED),
  }
}
