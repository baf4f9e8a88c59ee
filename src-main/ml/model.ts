import type { Matrix } from './dataset'
import type { Tree } from './tree'

/** Trees whose leaf values add up, starting from `base` (boosting, or a forest's weighted mean). */
export interface TreeEnsemble {
  kind: 'trees'
  f: number
  base: number
  trees: Tree[]
}

/**
 * A linear model on standardised features: y = intercept + sum(coef * (x - mean) / scale), with a
 * missing value replaced by its feature's training mean (so it contributes nothing).
 */
export interface LinearModel {
  kind: 'linear'
  f: number
  mean: Float64Array
  scale: Float64Array
  coef: Float64Array
  intercept: number
}

export type Model = TreeEnsemble | LinearModel

/** The leaf a float32 feature row reaches, compared in float32 exactly as ONNX Runtime does. */
export function leafOf(tree: Tree, x: Float32Array, base: number): number {
  let node = 0
  while (tree.left[node]! !== -1) {
    const v = x[base + tree.feature[node]!]!
    const goLeft = Number.isNaN(v) ? tree.missingLeft[node] === 1 : v <= tree.threshold[node]!
    node = goLeft ? tree.left[node]! : tree.right[node]!
  }
  return node
}

/**
 * Predictions for every row. Leaf values and the base are rounded to float32 first, the precision
 * the ONNX file stores them in, so these are the numbers ONNX Runtime gives to within its float32
 * summation.
 */
export function predict(model: Model, m: Matrix): Float64Array {
  const out = new Float64Array(m.n)
  if (model.kind === 'trees') {
    for (let i = 0; i < m.n; i++) {
      let s = 0
      for (const tree of model.trees) s += Math.fround(tree.value[leafOf(tree, m.x, i * m.f)]!)
      out[i] = Math.fround(s + Math.fround(model.base))
    }
    return out
  }
  for (let i = 0; i < m.n; i++) {
    let s = model.intercept
    for (let j = 0; j < m.f; j++) {
      const v = m.x[i * m.f + j]!
      if (!Number.isNaN(v)) s += (model.coef[j]! * (v - model.mean[j]!)) / model.scale[j]!
    }
    out[i] = s
  }
  return out
}

/** Total split gain per feature (trees) or absolute standardised coefficient (linear). */
export function featureImportance(model: Model): Float64Array {
  if (model.kind === 'linear') return model.coef.map(Math.abs)
  const out = new Float64Array(model.f)
  for (const tree of model.trees) {
    for (let node = 0; node < tree.left.length; node++) {
      if (tree.left[node]! !== -1) out[tree.feature[node]!]! += tree.gain[node]!
    }
  }
  return out
}
