import type { MolGraph } from '../mol-graph'

/**
 * Topological indices of RDKit 2022.09's rdkit/Chem/GraphDescriptors.py (Chi0, Chi1, BalabanJ,
 * BertzCT, Ipc), written over the molecule's graph with the same arithmetic, so values agree to
 * rounding. Atoms are the graph's atoms (hydrogens implicit, as RDKit parses SMILES).
 */

/** RDKit's "no path" distance (Code/GraphMol/Matrices.cpp, LOCAL_INF): fragments of a salt. */
const LOCAL_INF = 1e8

export interface TopologyDescriptors {
  Chi0: number
  Chi1: number
  BalabanJ: number
  BertzCT: number
  Ipc: number
}

export function topologyDescriptors(g: MolGraph): TopologyDescriptors {
  const weighted = bondOrderDistances(g)
  return {
    Chi0: chi0(g),
    Chi1: chi1(g),
    BalabanJ: balabanJ(g, weighted),
    BertzCT: bertzCT(g, weighted),
    Ipc: ipc(g),
  }
}

/** Chi0: sum of 1/sqrt(degree) over atoms with neighbours (Hall & Kier, Rev. Comp. Chem. 2, 1991). */
function chi0(g: MolGraph): number {
  let sum = 0
  for (const nbrs of g.neighbours) if (nbrs.length > 0) sum += Math.sqrt(1 / nbrs.length)
  return sum
}

/** Chi1: sum over bonds of 1/sqrt(degree(a) * degree(b)). */
function chi1(g: MolGraph): number {
  let sum = 0
  for (const b of g.bonds) {
    const d = (g.neighbours[b.a]?.length ?? 0) * (g.neighbours[b.b]?.length ?? 0)
    if (d !== 0) sum += Math.sqrt(1 / d)
  }
  return sum
}

/**
 * Distances weighted by bond order (1/order, 2/3 for aromatic bonds), by Floyd-Warshall in the
 * order RDKit's getDistanceMat runs it, so the sums round the same way.
 */
export function bondOrderDistances(g: MolGraph): Float64Array {
  const n = g.atoms.length
  const d = new Float64Array(n * n).fill(LOCAL_INF)
  for (let i = 0; i < n; i++) d[i * n + i] = 0
  for (const b of g.bonds) {
    const w = b.aromatic ? 2 / 3 : 1 / b.kekule
    d[b.a * n + b.b] = w
    d[b.b * n + b.a] = w
  }
  for (let k = 0; k < n; k++) {
    const kr = k * n
    for (let i = 0; i < n; i++) {
      const ir = i * n
      const dik = d[ir + k] as number
      for (let j = 0; j < n; j++) {
        const v2 = dik + (d[kr + j] as number)
        if (v2 < (d[ir + j] as number)) d[ir + j] = v2
      }
    }
  }
  return d
}

/**
 * Balaban's J (Chem. Phys. Lett. 89, 399, 1982) as GraphDescriptors.BalabanJ computes it: distance
 * sums from the bond-order-weighted distance matrix, summed over bonded pairs, times
 * q / (mu + 1) with mu = bonds - atoms + 1 (for the whole molecule, salts included).
 */
export function balabanJ(g: MolGraph, d: Float64Array): number {
  const n = g.atoms.length
  // numpy's sum(mat) adds the rows in order: column sums, accumulated row by row
  const s = new Float64Array(n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) s[j] = (s[j] as number) + (d[i * n + j] as number)
  const q = g.bonds.length
  const mu = q - n + 1
  // the adjacency is visited as the matrix's upper triangle, row by row
  const adjacent = new Uint8Array(n * n)
  for (const b of g.bonds) {
    adjacent[b.a * n + b.b] = 1
    adjacent[b.b * n + b.a] = 1
  }
  let sum = 0
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++)
      if (adjacent[i * n + j] === 1) sum += 1 / Math.sqrt((s[i] as number) * (s[j] as number))
  return mu + 1 !== 0 ? (q / (mu + 1)) * sum : 0
}

/** Shannon entropy in bits of counts, as rdkit.ML.InfoTheory's C InfoEntropy computes it. */
function infoEntropy(counts: number[]): number {
  let total = 0
  for (const c of counts) total += c
  let accum = 0
  if (total !== 0) {
    for (const c of counts) {
      const p = c / total
      if (p !== 0) accum += -p * Math.log(p)
    }
  }
  return accum / Math.log(2)
}

/**
 * Bertz's complexity index (J. Am. Chem. Soc. 103, 3599, 1981) as GraphDescriptors.BertzCT
 * computes it: symmetry classes from each atom's sorted bond-order-weighted distances (its
 * _AssignSymmetryClasses recomputes the "Balaban" matrix; first 100, to 4 decimals),
 * "connections" of bonded pairs and of two bonds sharing an atom weighted by bond order (aromatic
 * 1.5), and the information content of connections and of element types.
 */
export function bertzCT(g: MolGraph, dist: Float64Array): number {
  const n = g.atoms.length
  if (n < 2) return 0
  const classes = symmetryClasses(dist, n, 100)
  const order = new Map<number, number>()
  for (const b of g.bonds) {
    const key = Math.min(b.a, b.b) * n + Math.max(b.a, b.b)
    order.set(key, b.aromatic ? 1.5 : b.kekule)
  }
  const bondOrder = (x: number, y: number) => order.get(Math.min(x, y) * n + Math.max(x, y)) ?? 0
  const neighbours = g.neighbours.map((nb) => [...new Set(nb)].sort((x, y) => x - y))
  const atomTypes = new Map<number, number>()
  const connections = new Map<string, number>()
  const add = (key: string, v: number) => connections.set(key, (connections.get(key) ?? 0) + v)
  for (let atom = 0; atom < n; atom++) {
    const z = g.atoms[atom]?.z ?? 0
    atomTypes.set(z, (atomTypes.get(z) ?? 0) + 1)
    const hinge = classes[atom] as number
    const nbrs = neighbours[atom] ?? []
    for (let i = 0; i < nbrs.length; i++) {
      const ni = nbrs[i] as number
      const ci = classes[ni] as number
      const bi = bondOrder(atom, ni)
      if (bi > 1 && ni > atom)
        add(`${Math.min(hinge, ci)},${Math.max(hinge, ci)}`, (bi * (bi - 1)) / 2)
      for (let j = i + 1; j < nbrs.length; j++) {
        const nj = nbrs[j] as number
        const cj = classes[nj] as number
        add(`${Math.min(ci, cj)},${hinge},${Math.max(ci, cj)}`, bi * bondOrder(atom, nj))
      }
    }
  }
  const connectionList = connections.size > 0 ? [...connections.values()] : [1]
  let total = 0
  for (const c of connectionList) total += c
  const connectionIE = total * (infoEntropy(connectionList) + Math.log(total) / Math.log(2))
  const atomTypeIE = n * infoEntropy([...atomTypes.values()])
  return atomTypeIE + connectionIE
}

/**
 * Atoms with the same sorted distance vector (its first `cutoff` entries written "%.4f") share a
 * class, numbered from 1 in order of first appearance. Bond weights 1, 1/2, 1/3, 1/4 and 2/3 make
 * every distance a multiple of 1/12, so twelve times the distance, rounded, tells the same values
 * apart as "%.4f" does, without formatting n^2 numbers; any other distance falls back to "%.4f".
 */
function symmetryClasses(dist: Float64Array, n: number, cutoff: number): number[] {
  const seen = new Map<string, number>()
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const row = dist.slice(i * n, i * n + n).sort()
    const head = row.subarray(0, Math.min(cutoff, n))
    let twelfths = true
    for (const x of head) {
      const t = x * 12
      if (Math.abs(t - Math.round(t)) > 1e-6) twelfths = false
    }
    const key = twelfths
      ? Array.from(head, (x) => Math.round(x * 12)).join(',')
      : Array.from(head, (x) => x.toFixed(4)).join(',')
    let idx = seen.get(key)
    if (idx === undefined) {
      idx = seen.size
      seen.set(key, idx)
    }
    out.push(idx + 1)
  }
  return out
}

/**
 * Bonchev and Trinajstic's information content of the characteristic polynomial's coefficients
 * (J. Chem. Phys. 67, 4517, 1977), as GraphDescriptors.Ipc computes it: the coefficients by the
 * Le Verrier-Faddeev-Frame recurrence over the adjacency matrix (rdkit/Chem/Graphs.py), then
 * sum(|c|) * entropy(|c|). A times B is taken over each row's neighbours, which equals the dense
 * product exactly while the entries are integers below 2^53.
 */
export function ipc(g: MolGraph): number {
  const n = g.atoms.length
  const res = new Float64Array(n + 1)
  res[0] = 1
  let an = new Float64Array(n * n)
  for (const b of g.bonds) {
    an[b.a * n + b.b] = 1
    an[b.b * n + b.a] = 1
  }
  const bn = new Float64Array(n * n)
  let next = new Float64Array(n * n)
  for (let k = 1; k <= n; k++) {
    let trace = 0
    for (let i = 0; i < n; i++) trace += an[i * n + i] as number
    const c = (1 / k) * trace
    res[k] = c
    if (k === n) break
    bn.set(an)
    for (let i = 0; i < n; i++) bn[i * n + i] = (bn[i * n + i] as number) - c
    next.fill(0)
    for (let i = 0; i < n; i++) {
      const row = i * n
      for (const m of g.neighbours[i] ?? []) {
        const mr = m * n
        for (let j = 0; j < n; j++)
          next[row + j] = (next[row + j] as number) + (bn[mr + j] as number)
      }
    }
    ;[an, next] = [next, an]
  }
  const coefficients: number[] = [1]
  for (let k = 1; k <= n; k++) coefficients.push(Math.abs(-(res[k] as number)))
  let sum = 0
  for (const c of coefficients) sum += c
  return sum * infoEntropy(coefficients)
}
