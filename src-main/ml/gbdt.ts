import { applyBins, autoBins, type Binned, binAt, fitBins } from './binning'
import type { Dataset } from './dataset'
import type { TreeEnsemble } from './model'
import { createRng, sampleWithoutReplacement, shuffledIndices } from './rng'
import { growTree, type Tree, type TreeParams } from './tree'

export interface GbdtParams extends TreeParams {
  /** bins per feature (at most 255); 0 = about 20 training rows per bin (autoBins) */
  maxBins: number
  trees: number
  learningRate: number
  /** fraction of rows each tree learns from */
  rowSubsample: number
  /** fraction of features each tree may use */
  colSubsample: number
  /** stop when the validation loss has not improved for this many trees; 0 = never */
  earlyStoppingRounds: number
  /** rows held out for early stopping */
  validationFraction: number
  seed: number
}

export const GBDT_DEFAULTS: GbdtParams = {
  maxBins: 0,
  trees: 500,
  learningRate: 0.05,
  maxLeaves: 31,
  maxDepth: 8,
  minSamplesLeaf: 10,
  lambda: 1,
  minGain: 1e-9,
  featuresPerSplit: 0,
  rowSubsample: 0.8,
  colSubsample: 0.8,
  earlyStoppingRounds: 40,
  validationFraction: 0.1,
  seed: 1,
}

export interface FitProgress {
  trees: number
  of: number
}

export interface GbdtResult {
  model: TreeEnsemble
  /** trees kept (the best validation iteration when stopping early) */
  treesKept: number
}

/** Where a binned row lands in a tree (training-side twin of leafOf). */
function leafOfBinned(tree: Tree, binned: Binned, row: number, missingBin: Int32Array): number {
  let node = 0
  while (tree.left[node]! !== -1) {
    const j = tree.feature[node]!
    const b = binAt(binned, row, j)
    const goLeft = b === missingBin[j]! ? tree.missingLeft[node] === 1 : b <= tree.bin[node]!
    node = goLeft ? tree.left[node]! : tree.right[node]!
  }
  return node
}

/** Histogram gradient boosting for squared error (DESIGN.md section 6). */
export function fitGbdt(
  data: Dataset,
  params: GbdtParams,
  onProgress?: (p: FitProgress) => void,
): GbdtResult {
  const rng = createRng(params.seed)
  const f = data.f
  const early = params.earlyStoppingRounds > 0 && params.validationFraction > 0 && data.n >= 20
  const order = shuffledIndices(data.n, rng)
  const nVal = early ? Math.max(1, Math.round(data.n * params.validationFraction)) : 0
  const valRows = order.subarray(0, nVal).slice().sort()
  const trainRows = order.subarray(nVal).slice().sort()
  const n = trainRows.length

  const mapper = fitBins(data, params.seed, params.maxBins || autoBins(n))
  const binned = applyBins(mapper, data)
  const missingBin = mapper.bins
  // every array below is indexed by row of `data`; only training rows learn
  let base = 0
  for (let i = 0; i < n; i++) base += data.y[trainRows[i]!]!
  base = Math.fround(n > 0 ? base / n : 0)
  const pred = new Float64Array(data.n).fill(base)
  const grad = new Float64Array(data.n)
  const inSample = new Uint8Array(data.n)
  const spareHistograms: Float64Array[] = []
  const trees: Tree[] = []
  const rowsPerTree = Math.max(1, Math.round(n * Math.min(1, params.rowSubsample)))
  const featuresPerTree = Math.max(1, Math.round(f * Math.min(1, params.colSubsample)))
  let bestLoss = Infinity
  let bestTrees = 0

  for (let t = 0; t < params.trees; t++) {
    for (let i = 0; i < n; i++) {
      const r = trainRows[i]!
      grad[r] = pred[r]! - data.y[r]!
    }
    const picked = sampleWithoutReplacement(n, rowsPerTree, rng)
    const rows = rowsPerTree === n ? trainRows : picked.map((i) => trainRows[i]!)
    const features = sampleWithoutReplacement(f, featuresPerTree, rng)
    const grown = growTree({
      mapper,
      binned,
      grad,
      rows,
      features,
      params,
      scale: params.learningRate,
      rng,
      spareHistograms,
    })
    const tree = grown.tree
    for (let node = 0; node < tree.value.length; node++)
      tree.value[node] = Math.fround(tree.value[node]!)
    trees.push(tree)
    // rows the tree learnt from: their leaves already know them; the rest are routed
    inSample.fill(0)
    for (const leaf of grown.leaves) {
      const v = tree.value[leaf.node]!
      for (let i = leaf.start; i < leaf.end; i++) {
        const r = grown.rows[i]!
        pred[r]! += v
        inSample[r] = 1
      }
    }
    if (rows.length < n) {
      for (let i = 0; i < n; i++) {
        const r = trainRows[i]!
        if (!inSample[r]) pred[r]! += tree.value[leafOfBinned(tree, binned, r, missingBin)]!
      }
    }
    if (early) {
      let loss = 0
      for (let i = 0; i < nVal; i++) {
        const r = valRows[i]!
        pred[r]! += tree.value[leafOfBinned(tree, binned, r, missingBin)]!
        const e = pred[r]! - data.y[r]!
        loss += e * e
      }
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss
        bestTrees = t + 1
      } else if (t + 1 - bestTrees >= params.earlyStoppingRounds) break
    } else bestTrees = t + 1
    onProgress?.({ trees: t + 1, of: params.trees })
  }
  const kept = trees.slice(0, Math.max(1, bestTrees))
  return { model: { kind: 'trees', f, base, trees: kept }, treesKept: kept.length }
}
