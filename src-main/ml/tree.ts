import { type BinMapper, type Binned, binAt } from './binning'
import type { Rng } from './rng'

export interface TreeParams {
  /** most leaves in a tree (leaf-wise growth stops there) */
  maxLeaves: number
  /** most splits from the root to a leaf */
  maxDepth: number
  /** fewest rows on either side of a split */
  minSamplesLeaf: number
  /** L2 penalty on leaf values */
  lambda: number
  /** a split must improve the objective by more than this */
  minGain: number
  /** features considered at each split; 0 = every feature of the tree (random forests use fewer) */
  featuresPerSplit: number
}

/**
 * One regression tree as flat arrays indexed by node id; the root is node 0 and children are
 * numbered in the order they were made. `left[i] === -1` marks a leaf. A row goes left when
 * `x[feature] <= threshold` (float32), or when its value is missing and `missingLeft` is 1.
 */
export interface Tree {
  feature: Int32Array
  threshold: Float32Array
  /** the bin split after (training-side routing of binned rows) */
  bin: Int32Array
  left: Int32Array
  right: Int32Array
  missingLeft: Uint8Array
  /** leaf output, already multiplied by the learning rate or tree weight; 0 for branches */
  value: Float64Array
  /** split gain, for feature importance; 0 for leaves */
  gain: Float64Array
  /** training rows that reached the node */
  count: Int32Array
}

/** What growing a tree needs: binned rows and their gradients. */
export interface GrowInput {
  mapper: BinMapper
  binned: Binned
  /** gradient per row (prediction - y for squared error; hessian is 1) */
  grad: Float64Array
  /** the rows this tree learns from; a row may appear more than once (bootstrap) */
  rows: Int32Array
  /** features this tree may split on, increasing */
  features: Int32Array
  /** the allowed dense features as columns of binned.denseBins (set by growTree) */
  denseAllowed?: Int32Array
  /** where each of denseAllowed's histograms starts, in bins (set by growTree) */
  denseSlots?: Int32Array
  /** the allowed features in the order the last per-split draw left them (set by growTree) */
  featurePool?: Int32Array
  /** the histogram ranges [from, to) of the allowed features, merged (set by growTree) */
  slotRanges?: Int32Array
  /** the allowed sparse features (set by growTree) */
  sparseAllowed?: Int32Array
  /** histograms no longer needed, reused instead of allocated (pass the same array for every tree) */
  spareHistograms?: Float64Array[]
  params: TreeParams
  /** leaf values are multiplied by this (learning rate, or 1 / trees for a forest) */
  scale: number
  rng: Rng
}

interface Candidate {
  node: number
  start: number
  end: number
  depth: number
  hist: Float64Array | null
  sumG: number
  sumH: number
  gain: number
  feature: number
  bin: number
  missingLeft: boolean
  /** the best split's left-side gradient sum (from the histogram), so the children need no pass over their rows */
  leftG: number
}

export interface Grown {
  tree: Tree
  /** the tree's rows, partitioned so each leaf owns the slice rows[start, end) */
  rows: Int32Array
  leaves: { node: number; start: number; end: number }[]
}

/** Grows one tree leaf-wise on histograms of [sum of gradients, count] per bin. */
export function growTree(input: GrowInput): Grown {
  const { mapper, grad, params } = input
  const denseAllowed = Int32Array.from(
    Array.from(input.features, (j) => input.binned.denseIndex[j]!).filter((k) => k >= 0),
  )
  // Only the allowed features' slots are ever read, so only they are zeroed and subtracted: with
  // a few thousand rows, clearing and subtracting whole histograms cost more than filling them.
  const ranges: number[] = []
  for (const j of input.features) {
    const from = mapper.offsets[j]! << 1
    const to = (mapper.offsets[j]! + mapper.bins[j]! + 1) << 1
    if (ranges.length > 0 && ranges[ranges.length - 1] === from) ranges[ranges.length - 1] = to
    else ranges.push(from, to)
  }
  const sparseAllowed = input.features.filter((j) => input.binned.defaultBin[j]! >= 0)
  input = {
    ...input,
    denseAllowed,
    denseSlots: denseSlots(input, denseAllowed),
    featurePool: input.features.slice(),
    slotRanges: Int32Array.from(ranges),
    sparseAllowed,
  }
  // With few features tried per split (random forests), each node counts just those features
  // over its own rows into one scratch histogram, zeroed again afterwards where it was touched:
  // deep trees have thousands of small nodes, and a full histogram per node (allocated, zeroed,
  // subtracted) would cost far more. Boosting subtracts (the larger child = parent - smaller),
  // which was measured faster even on a few thousand rows: counting costs 2-4 ns per row and
  // feature, subtracting ~1 ns per histogram slot.
  const direct = params.featuresPerSplit > 0 && params.featuresPerSplit < input.features.length
  const scratchHist = direct ? new Float64Array(mapper.slots * 2) : null
  const picked = direct ? new Uint8Array(input.binned.f) : null
  const rows = input.rows.slice()
  const split = (c: Candidate) => {
    if (!scratchHist) return findSplit(input, c, null)
    const counted = directHistogram(input, rows, c, scratchHist, picked!)
    findSplit(input, c, counted)
    if (counted) clearCounted(input, rows, c, counted)
  }
  const scratch = new Int32Array(rows.length)
  const nodes = new NodeList()

  let sumG = 0
  for (let i = 0; i < rows.length; i++) sumG += grad[rows[i]!]!
  const root: Candidate = {
    node: nodes.add(rows.length),
    start: 0,
    end: rows.length,
    depth: 0,
    hist: direct ? null : buildHistogram(input, rows, 0, rows.length, sumG),
    sumG,
    sumH: rows.length,
    gain: -Infinity,
    feature: -1,
    bin: -1,
    missingLeft: false,
    leftG: 0,
  }
  split(root)
  const all: Candidate[] = [root]
  const open: Candidate[] = [root]
  let leaves = 1

  while (leaves < params.maxLeaves) {
    let bestIndex = -1
    for (let k = 0; k < open.length; k++) {
      const c = open[k]!
      if (c.gain > params.minGain && (bestIndex < 0 || c.gain > open[bestIndex]!.gain))
        bestIndex = k
    }
    if (bestIndex < 0) break
    const parent = open.splice(bestIndex, 1)[0]!
    const mid = partition(input, rows, scratch, parent)
    const left = child(nodes, parent, parent.start, mid)
    const right = child(nodes, parent, mid, parent.end)
    nodes.split(parent, left.node, right.node, mapper.thresholds[parent.feature]![parent.bin]!)

    const [small, large] = left.sumH <= right.sumH ? [left, right] : [right, left]
    left.sumG = parent.leftG
    right.sumG = parent.sumG - parent.leftG
    if (!direct) {
      // A child that cannot split (at the depth limit, or too few rows) needs no histogram: in a
      // depth-limited tree that is the whole last level, about half of all splits.
      const splittable = (c: Candidate) =>
        c.depth < params.maxDepth && c.sumH >= 2 * params.minSamplesLeaf
      const parentHist = parent.hist!
      parent.hist = null
      if (splittable(small) || splittable(large))
        small.hist = buildHistogram(input, rows, small.start, small.end, small.sumG)
      if (splittable(large)) {
        // the larger child's histogram by subtraction: parent - smaller
        const ranges = input.slotRanges!
        const smallHist = small.hist!
        for (let k = 0; k < ranges.length; k += 2)
          for (let s = ranges[k]!; s < ranges[k + 1]!; s++)
            parentHist[s] = parentHist[s]! - smallHist[s]!
        large.hist = parentHist
      } else if (input.spareHistograms && input.spareHistograms.length < 64)
        input.spareHistograms.push(parentHist)
      if (small.hist && !splittable(small)) release(input, small)
    }

    for (const c of [left, right]) {
      all.push(c)
      split(c)
      if (c.gain > params.minGain) open.push(c)
      else release(input, c)
    }
    leaves++
  }

  for (const c of open) release(input, c)
  const tree = nodes.finish(input, all, grad, rows)
  const leafRanges = all
    .filter((c) => tree.left[c.node] === -1)
    .map((c) => ({ node: c.node, start: c.start, end: c.end }))
  return { tree, rows, leaves: leafRanges }
}

function release(input: GrowInput, c: Candidate): void {
  if (c.hist && input.spareHistograms && input.spareHistograms.length < 64)
    input.spareHistograms.push(c.hist)
  c.hist = null
}

function child(nodes: NodeList, parent: Candidate, start: number, end: number): Candidate {
  return {
    node: nodes.add(end - start),
    start,
    end,
    depth: parent.depth + 1,
    hist: null,
    sumG: 0,
    sumH: end - start,
    gain: -Infinity,
    feature: -1,
    bin: -1,
    missingLeft: false,
    leftG: 0,
  }
}

function sumRange(grad: Float64Array, rows: Int32Array, start: number, end: number): number {
  let s = 0
  for (let i = start; i < end; i++) s += grad[rows[i]!]!
  return s
}

/** Each dense column's first histogram slot, in bins. */
function denseSlots(input: GrowInput, cols: Int32Array): Int32Array {
  return cols.map((c) => input.mapper.offsets[input.binned.dense[c]!]!)
}

const BLOCK = 1024
const blockGrad = new Float64Array(BLOCK)
const blockBase = new Int32Array(BLOCK)

/**
 * Adds rows[start, end) to the histograms of the dense columns `cols` (whose histograms start at
 * `slots`). A block of rows at a time, one column after another: the inner loop then has one
 * lookup and two additions, and runs 2-3 times faster than going column by column inside each
 * row. Each bin still receives its rows in row order, so the sums are the same to the last bit.
 */
function countDense(
  hist: Float64Array,
  input: GrowInput,
  rows: Int32Array,
  start: number,
  end: number,
  cols: Int32Array,
  slots: Int32Array,
): void {
  const grad = input.grad
  const bins = input.binned.denseBins
  const nd = input.binned.dense.length
  const nf = cols.length
  // Module-level arrays read through local names: V8 checks a module binding on every access
  // in the loop, which made it almost twice as slow.
  const g = blockGrad
  const base = blockBase
  for (let at = start; at < end; at += BLOCK) {
    const len = Math.min(BLOCK, end - at)
    for (let i = 0; i < len; i++) {
      const r = rows[at + i]!
      g[i] = grad[r]!
      base[i] = r * nd
    }
    for (let k = 0; k < nf; k++) {
      const c = cols[k]!
      const off = slots[k]!
      for (let i = 0; i < len; i++) {
        const s = (off + bins[base[i]! + c]!) << 1
        hist[s]! += g[i]!
        hist[s + 1]! += 1
      }
    }
  }
}

/**
 * Histogram of [sum of gradients, count] per bin for a leaf's rows. Dense features are counted
 * directly (only the tree's allowed ones); sparse features only where a row differs from the
 * default bin, whose slot is then the leaf's total minus everything else.
 */
function buildHistogram(
  input: GrowInput,
  rows: Int32Array,
  start: number,
  end: number,
  sumG: number,
) {
  const { binned, grad } = input
  const offsets = input.mapper.offsets
  const spare = input.spareHistograms?.pop()
  let hist: Float64Array
  if (spare) {
    hist = spare
    const ranges = input.slotRanges!
    for (let k = 0; k < ranges.length; k += 2) hist.fill(0, ranges[k]!, ranges[k + 1]!)
  } else hist = new Float64Array(input.mapper.slots * 2)
  countDense(hist, input, rows, start, end, input.denseAllowed!, input.denseSlots!)
  const hasSparse = binned.sparse.length > 0
  if (hasSparse) {
    const { sparseStart, sparseFeature, sparseBin } = binned
    for (let i = start; i < end; i++) {
      const r = rows[i]!
      const g = grad[r]!
      for (let e = sparseStart[r]!; e < sparseStart[r + 1]!; e++) {
        const s = (offsets[sparseFeature[e]!]! + sparseBin[e]!) << 1
        hist[s]! += g
        hist[s + 1]! += 1
      }
    }
    const count = end - start
    for (const j of input.sparseAllowed!) {
      const off = offsets[j]!
      const slots = input.mapper.bins[j]! + 1
      let g = 0
      let h = 0
      for (let b = 0; b < slots; b++) {
        g += hist[(off + b) << 1]!
        h += hist[((off + b) << 1) + 1]!
      }
      const d = (off + binned.defaultBin[j]!) << 1
      hist[d] = sumG - g
      hist[d + 1] = count - h
    }
  }
  return hist
}

interface Direct {
  hist: Float64Array
  features: Int32Array
  /** dense columns counted, to zero again after the split is chosen */
  denseCols: number[]
}

/** Puts the scratch histogram back to all zeros, touching only what counting touched. */
function clearCounted(input: GrowInput, rows: Int32Array, c: Candidate, d: Direct): void {
  const { mapper, binned } = input
  const { offsets } = mapper
  const nd = binned.dense.length
  const hist = d.hist
  for (let i = c.start; i < c.end; i++) {
    const base = rows[i]! * nd
    for (const col of d.denseCols) {
      const s = (offsets[binned.dense[col]!]! + binned.denseBins[base + col]!) << 1
      hist[s] = 0
      hist[s + 1] = 0
    }
  }
  for (const j of d.features) {
    if (binned.defaultBin[j]! >= 0)
      hist.fill(0, offsets[j]! << 1, (offsets[j]! + mapper.bins[j]! + 1) << 1)
  }
}

/** A node's histogram over a fresh sample of features only, in the reused scratch array. */
function directHistogram(
  input: GrowInput,
  rows: Int32Array,
  c: Candidate,
  hist: Float64Array,
  picked: Uint8Array,
): Direct | null {
  const { params, mapper, binned, grad } = input
  if (c.depth >= params.maxDepth || c.sumH < 2 * params.minSamplesLeaf) return null
  const features = splitFeatures(input)
  const offsets = mapper.offsets
  // the scratch histogram is all zeros here (clearCounted restores that after every node)
  const denseCols: number[] = []
  for (const j of features) {
    picked[j] = 1
    if (binned.denseIndex[j]! >= 0) denseCols.push(binned.denseIndex[j]!)
  }
  const cols = Int32Array.from(denseCols)
  countDense(hist, input, rows, c.start, c.end, cols, denseSlots(input, cols))
  const { sparseStart, sparseFeature, sparseBin } = binned
  for (let i = c.start; i < c.end; i++) {
    const r = rows[i]!
    const g = grad[r]!
    for (let e = sparseStart[r]!; e < sparseStart[r + 1]!; e++) {
      const j = sparseFeature[e]!
      if (!picked[j]) continue
      const s = (offsets[j]! + sparseBin[e]!) << 1
      hist[s]! += g
      hist[s + 1]! += 1
    }
  }
  for (const j of features) {
    picked[j] = 0
    const d = binned.defaultBin[j]!
    if (d < 0) continue
    let g = 0
    let h = 0
    for (let b = 0; b <= mapper.bins[j]!; b++) {
      g += hist[(offsets[j]! + b) << 1]!
      h += hist[((offsets[j]! + b) << 1) + 1]!
    }
    hist[(offsets[j]! + d) << 1] = c.sumG - g
    hist[((offsets[j]! + d) << 1) + 1] = c.sumH - h
  }
  return { hist, features, denseCols }
}

/** The best split of a leaf over its allowed features, stored on the candidate. */
function findSplit(input: GrowInput, c: Candidate, direct: Direct | null): void {
  const { params, mapper } = input
  c.gain = -Infinity
  const hist = direct ? direct.hist : c.hist
  if (c.depth >= params.maxDepth || c.sumH < 2 * params.minSamplesLeaf || !hist) return
  const lambda = params.lambda
  const minLeaf = params.minSamplesLeaf
  const G = c.sumG
  const H = c.sumH
  const parentScore = (G * G) / (H + lambda)
  const features = direct ? direct.features : splitFeatures(input)
  for (let k = 0; k < features.length; k++) {
    const j = features[k]!
    const off = mapper.offsets[j]!
    const nb = mapper.bins[j]!
    const gm = hist[(off + nb) << 1]!
    const hm = hist[((off + nb) << 1) + 1]!
    let gl = 0
    let hl = 0
    for (let b = 0; b < nb - 1; b++) {
      gl += hist[(off + b) << 1]!
      hl += hist[((off + b) << 1) + 1]!
      if (hl === 0) continue
      if (H - hl - hm <= 0) break
      // missing values to the right
      let hr = H - hl
      if (hl >= minLeaf && hr >= minLeaf) {
        const gr = G - gl
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore
        if (gain > c.gain) setSplit(c, gain, j, b, false, gl)
      }
      if (hm > 0) {
        // missing values to the left
        const hl2 = hl + hm
        hr = H - hl2
        if (hl2 >= minLeaf && hr >= minLeaf) {
          const gl2 = gl + gm
          const gr = G - gl2
          const gain = (gl2 * gl2) / (hl2 + lambda) + (gr * gr) / (hr + lambda) - parentScore
          if (gain > c.gain) setSplit(c, gain, j, b, true, gl2)
        }
      }
    }
  }
}

function setSplit(
  c: Candidate,
  gain: number,
  feature: number,
  bin: number,
  missingLeft: boolean,
  leftG: number,
) {
  c.gain = gain
  c.leftG = leftG
  c.feature = feature
  c.bin = bin
  c.missingLeft = missingLeft
}

function splitFeatures(input: GrowInput): Int32Array {
  const k = input.params.featuresPerSplit
  const pool = input.featurePool
  if (k <= 0 || !pool || k >= pool.length) return input.features
  // A partial Fisher-Yates draw on a pool kept between nodes: whatever order the pool was left
  // in, the first k after the draw are a uniform random k-subset, and no array is allocated.
  for (let i = 0; i < k; i++) {
    const r = i + input.rng.int(pool.length - i)
    const t = pool[i]!
    pool[i] = pool[r]!
    pool[r] = t
  }
  return pool.subarray(0, k)
}

/** bins are bytes: at most 256 of them, the missing bin included */
const partitionTable = new Uint8Array(256)

/** Stable partition of a leaf's rows: left rows first, in their previous order. Returns the split. */
function partition(input: GrowInput, rows: Int32Array, scratch: Int32Array, c: Candidate): number {
  const { binned } = input
  const missing = input.mapper.bins[c.feature]!
  const col = binned.denseIndex[c.feature]!
  const nd = binned.dense.length
  const splitBin = c.bin
  const missingLeft = c.missingLeft
  let l = c.start
  let r = 0
  if (col >= 0) {
    // Which way each bin goes, looked up rather than tested: the rows of a leaf go either way
    // about as often, so a branch per row is mispredicted half the time. Every row is written to
    // both sides and only the side it belongs to moves on (twice as fast on a million rows).
    const right = partitionTable
    for (let b = 0; b < missing; b++) right[b] = b <= splitBin ? 0 : 1
    right[missing] = missingLeft ? 0 : 1
    const bins = binned.denseBins
    for (let i = c.start; i < c.end; i++) {
      const row = rows[i]!
      const d = right[bins[row * nd + col]!]!
      rows[l] = row
      scratch[r] = row
      l += 1 - d
      r += d
    }
  } else {
    for (let i = c.start; i < c.end; i++) {
      const row = rows[i]!
      const b = binAt(binned, row, c.feature)
      if (b === missing ? missingLeft : b <= splitBin) rows[l++] = row
      else scratch[r++] = row
    }
  }
  // small nodes copy back in a loop: a subarray view and set() cost more than a few hundred moves
  if (r < 256) for (let k = 0; k < r; k++) rows[l + k] = scratch[k]!
  else rows.set(scratch.subarray(0, r), l)
  return l
}

/** Growable node arrays. */
class NodeList {
  private feature: number[] = []
  private threshold: number[] = []
  private bin: number[] = []
  private left: number[] = []
  private right: number[] = []
  private missingLeft: number[] = []
  private gain: number[] = []
  private count: number[] = []

  add(count: number): number {
    this.feature.push(-1)
    this.threshold.push(0)
    this.bin.push(-1)
    this.left.push(-1)
    this.right.push(-1)
    this.missingLeft.push(0)
    this.gain.push(0)
    this.count.push(count)
    return this.feature.length - 1
  }

  split(c: Candidate, left: number, right: number, threshold: number): void {
    this.feature[c.node] = c.feature
    this.threshold[c.node] = threshold
    this.bin[c.node] = c.bin
    this.left[c.node] = left
    this.right[c.node] = right
    this.missingLeft[c.node] = c.missingLeft ? 1 : 0
    this.gain[c.node] = c.gain
  }

  /** Leaf values -G / (H + lambda), scaled, for every node still a leaf. */
  finish(input: GrowInput, candidates: Candidate[], grad: Float64Array, rows: Int32Array): Tree {
    const value = new Float64Array(this.feature.length)
    for (const c of candidates) {
      if (this.left[c.node] !== -1) continue
      const g = sumRange(grad, rows, c.start, c.end)
      value[c.node] = (-g / (c.end - c.start + input.params.lambda)) * input.scale
    }
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float32Array.from(this.threshold),
      bin: Int32Array.from(this.bin),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      missingLeft: Uint8Array.from(this.missingLeft),
      value,
      gain: Float64Array.from(this.gain),
      count: Int32Array.from(this.count),
    }
  }
}
