import { applyBins, autoBins, fitBins } from './binning'
import type { Dataset } from './dataset'
import { leafOf, type TreeEnsemble } from './model'
import { createRng } from './rng'
import { growTree, type Tree, type TreeParams } from './tree'
import type { FitProgress } from './gbdt'

export interface ForestParams extends TreeParams {
  /** bins per feature (at most 255); 0 = about 20 training rows per bin (autoBins) */
  maxBins: number
  trees: number
  /** draw each tree's rows with replacement (a bootstrap) */
  bootstrap: boolean
  seed: number
}

export const FOREST_DEFAULTS: ForestParams = {
  maxBins: 0,
  trees: 300,
  bootstrap: true,
  maxLeaves: 4096,
  maxDepth: 30,
  minSamplesLeaf: 2,
  lambda: 0,
  minGain: 1e-12,
  featuresPerSplit: 0,
  seed: 1,
}

/** Up to this many features, every split tries all of them (scikit-learn's regression default). */
export const ALL_FEATURES_UP_TO = 16

/**
 * Features tried per split when the caller leaves it at 0: all of them for a few features (with
 * core4's four, a third is one feature drawn at random per split, and the forest trailed
 * scikit-learn's by 0.03-0.04 RMSE on aromatase and AChE), a third of them (the usual choice for
 * regression) for descriptor sets, the square root (ranger's default) for wide sets such as a
 * fingerprint, where a third of 2,000 bits per node would cost a lot and add little.
 */
export function defaultFeaturesPerSplit(f: number): number {
  if (f <= ALL_FEATURES_UP_TO) return f
  return f <= 100 ? Math.max(1, Math.round(f / 3)) : Math.round(Math.sqrt(f))
}

export interface ForestResult {
  model: TreeEnsemble
  /** out-of-bag prediction per row; NaN for a row that was in every tree's bag */
  oob: Float64Array
}

/**
 * A random forest on the same histogram tree code: each tree fits y - mean on a bootstrap sample,
 * trying a random subset of features at each split; the forest is the mean plus the average of its
 * trees, so each leaf value is divided by the tree count and the ONNX ensemble simply sums.
 */
export function fitForest(
  data: Dataset,
  params: ForestParams,
  onProgress?: (p: FitProgress) => void,
): ForestResult {
  const rng = createRng(params.seed)
  const { n, f } = data
  const mapper = fitBins(data, params.seed, params.maxBins || autoBins(n))
  const binned = applyBins(mapper, data)
  let mean = 0
  for (let i = 0; i < n; i++) mean += data.y[i]!
  const base = Math.fround(n > 0 ? mean / n : 0)
  const grad = Float64Array.from(data.y, (y) => base - y)
  const all = Int32Array.from({ length: f }, (_, j) => j)
  const treeParams = {
    ...params,
    featuresPerSplit: params.featuresPerSplit || defaultFeaturesPerSplit(f),
  }
  const oobSum = new Float64Array(n)
  const oobCount = new Int32Array(n)
  const inBag = new Uint8Array(n)
  const trees: Tree[] = []
  for (let t = 0; t < params.trees; t++) {
    const rows = new Int32Array(n)
    inBag.fill(0)
    for (let i = 0; i < n; i++) {
      const r = params.bootstrap ? rng.int(n) : i
      rows[i] = r
      inBag[r] = 1
    }
    if (params.bootstrap) rows.sort()
    const { tree } = growTree({
      mapper,
      binned,
      grad,
      rows,
      features: all,
      params: treeParams,
      scale: 1 / params.trees,
      rng,
    })
    for (let node = 0; node < tree.value.length; node++)
      tree.value[node] = Math.fround(tree.value[node]!)
    trees.push(tree)
    for (let i = 0; i < n; i++) {
      if (inBag[i]) continue
      oobSum[i]! += tree.value[leafOf(tree, data.x, i * f)]! * params.trees
      oobCount[i]!++
    }
    onProgress?.({ trees: t + 1, of: params.trees })
  }
  const oob = Float64Array.from(oobSum, (s, i) =>
    oobCount[i]! > 0 ? base + s / oobCount[i]! : NaN,
  )
  return { model: { kind: 'trees', f, base, trees }, oob }
}
