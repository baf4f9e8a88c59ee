/**
 * The adaptive interval of one prediction, worked out from a model card's JSON alone: the
 * difficulty trees walked in float32 as the card stores them, the floor on sigma, and q of the
 * bin the prediction falls in (bin b holds predictions in (edges[b-1], edges[b]]).
 */
interface CardTree {
  feature: number[]
  threshold: number[]
  left: number[]
  right: number[]
  missingLeft: number[]
  value: number[]
}
export interface CardCalibration {
  method: string
  edges: number[]
  q: number[]
  sigmaFloor: number
  difficulty: { base: number; trees: CardTree[] }
}

export function cardHalfWidth(c: CardCalibration, features: number[], prediction: number): number {
  const x = Float32Array.from(features)
  let sigma = 0
  for (const t of c.difficulty.trees) {
    let node = 0
    while (t.left[node] !== -1) {
      const v = x[t.feature[node]!]!
      const left = Number.isNaN(v) ? t.missingLeft[node] === 1 : v <= t.threshold[node]!
      node = left ? t.left[node]! : t.right[node]!
    }
    sigma += Math.fround(t.value[node]!)
  }
  sigma = Math.fround(sigma + c.difficulty.base)
  const bin = c.edges.filter((e) => prediction > e).length
  return c.q[bin]! * Math.max(sigma, c.sigmaFloor)
}
