import type { MolGraph } from '../mol-graph'

/**
 * FpDensityMorgan1-3 of RDKit 2022.09's Descriptors.py: the number of distinct identifiers of the
 * unfolded Morgan count fingerprint (`GetMorganFingerprint(mol, radius)`, connectivity invariants,
 * bond types, no chirality) divided by the number of heavy atoms. The bundled module only folds
 * Morgan fingerprints into bit vectors, where identifiers collide, so the identifiers are computed
 * here as Code/GraphMol/Fingerprints/MorganFingerprints.cpp (2022.09) computes them: the same
 * 32-bit hashes (RDKit's copy of boost::hash_combine), the same rounds, and the same rule that an
 * environment covering the same bonds as an earlier one is not counted again.
 */

export interface MorganDensities {
  FpDensityMorgan1: number
  FpDensityMorgan2: number
  FpDensityMorgan3: number
}

/** RDKit's Bond::BondType numbers, which enter the hash. */
const BOND_TYPE = { 1: 1, 2: 2, 3: 3 } as Record<number, number>
const AROMATIC_BOND = 12

/**
 * Isotope masses and average weights from RDKit's periodic table, for the "delta mass" invariant
 * of isotope-labelled atoms (int(mass - average weight)); other isotopes use their mass number.
 */
const ISOTOPE_MASS: Record<string, number> = {
  '1:1': 1.007825032,
  '1:2': 2.014101778,
  '1:3': 3.016049278,
  '6:13': 13.00335484,
  '7:15': 15.0001089,
  '8:18': 17.999161,
  '16:34': 33.9678669,
}
const AVERAGE_WEIGHT: Record<number, number> = {
  1: 1.008,
  6: 12.011,
  7: 14.007,
  8: 15.999,
  16: 32.067,
}

/** gboost::hash_combine on 32-bit unsigned seeds. */
function combine(seed: number, value: number): number {
  return (seed ^ ((value >>> 0) + 0x9e3779b9 + ((seed << 6) >>> 0) + (seed >>> 2))) >>> 0
}

function hashVector(values: number[]): number {
  let seed = 0
  for (const v of values) seed = combine(seed, v >>> 0)
  return seed
}

/** Connectivity invariants (FingerprintUtil.cpp getConnectivityInvariants, ring membership on). */
function connectivityInvariants(g: MolGraph): number[] {
  const inRing = new Uint8Array(g.atoms.length)
  for (const ring of g.rings) for (const a of ring) inRing[a] = 1
  return g.atoms.map((atom, i) => {
    const nbrs = g.neighbours[i] ?? []
    let explicitH = 0
    for (const nb of nbrs) if (g.atoms[nb]?.z === 1) explicitH++
    let deltaMass = 0
    if (atom.isotope > 0) {
      const mass = ISOTOPE_MASS[`${atom.z}:${atom.isotope}`] ?? atom.isotope
      const avg = AVERAGE_WEIGHT[atom.z] ?? mass
      deltaMass = Math.trunc(mass - avg)
    }
    const components = [atom.z, nbrs.length + atom.hs, atom.hs + explicitH, atom.charge, deltaMass]
    if (inRing[i]) components.push(1)
    return hashVector(components)
  })
}

/** A set of bond indices as 32-bit blocks, compared as boost::dynamic_bitset compares (highest block first). */
type BondSet = Uint32Array

function compareSets(x: BondSet, y: BondSet): number {
  for (let i = x.length - 1; i >= 0; i--) {
    const a = x[i] as number
    const b = y[i] as number
    if (a !== b) return a < b ? -1 : 1
  }
  return 0
}

function setKey(x: BondSet): string {
  return x.join(',')
}

/** Distinct Morgan identifiers for radius 1, 2 and 3, from one pass of three rounds. */
function morganIdentifierCounts(g: MolGraph): [number, number, number] {
  const n = g.atoms.length
  const blocks = Math.max(1, Math.ceil(g.bonds.length / 32))
  let invariants = connectivityInvariants(g)
  const ids = new Set<number>(invariants)
  const counts: number[] = []
  const seen = new Set<string>()
  const dead = new Uint8Array(n)
  let neighbourhoods: BondSet[] = Array.from({ length: n }, () => new Uint32Array(blocks))
  for (let layer = 0; layer < 3; layer++) {
    const roundInvariants = new Array<number>(n).fill(0)
    const roundNeighbourhoods = neighbourhoods.map((s) => s.slice())
    const thisRound: { set: BondSet; invariant: number; atom: number }[] = []
    for (let atom = 0; atom < n; atom++) {
      if (dead[atom]) continue
      const nbrs = g.neighbours[atom] ?? []
      if (nbrs.length === 0) {
        dead[atom] = 1
        continue
      }
      const set = roundNeighbourhoods[atom] as BondSet
      const pairs: [number, number][] = []
      for (const [k, other] of nbrs.entries()) {
        const bondIndex = g.atomBonds[atom]?.[k] as number
        const bond = g.bonds[bondIndex]
        set[bondIndex >>> 5] = ((set[bondIndex >>> 5] as number) | (1 << (bondIndex & 31))) >>> 0
        const prev = neighbourhoods[other] as BondSet
        for (let b = 0; b < blocks; b++) set[b] = ((set[b] as number) | (prev[b] as number)) >>> 0
        const type = bond?.aromatic ? AROMATIC_BOND : (BOND_TYPE[bond?.kekule ?? 1] ?? 1)
        pairs.push([type, invariants[other] as number])
      }
      pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1])
      let invariant = combine(layer, invariants[atom] as number)
      for (const [type, inv] of pairs)
        invariant = combine(invariant, combine(combine(0, type), inv))
      roundInvariants[atom] = invariant
      thisRound.push({ set, invariant, atom })
      if (seen.has(setKey(set))) dead[atom] = 1
    }
    thisRound.sort(
      (p, q) => compareSets(p.set, q.set) || p.invariant - q.invariant || p.atom - q.atom,
    )
    for (const { set, invariant, atom } of thisRound) {
      const key = setKey(set)
      if (!seen.has(key)) {
        ids.add(invariant)
        seen.add(key)
      } else dead[atom] = 1
    }
    invariants = roundInvariants
    neighbourhoods = roundNeighbourhoods
    counts.push(ids.size)
  }
  return counts as [number, number, number]
}

export function morganDensities(g: MolGraph): MorganDensities {
  let heavy = 0
  for (const a of g.atoms) if (a.z > 1) heavy++
  const [r1, r2, r3] = morganIdentifierCounts(g)
  return {
    FpDensityMorgan1: heavy === 0 ? 0 : r1 / heavy,
    FpDensityMorgan2: heavy === 0 ? 0 : r2 / heavy,
    FpDensityMorgan3: heavy === 0 ? 0 : r3 / heavy,
  }
}
