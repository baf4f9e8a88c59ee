import type { MolGraph } from '../mol-graph'
import { DEFAULT_VALENCE, ELEMENT_SYMBOL, N_OUTER_ELECS } from './element-data'

/** RDKit's hybridisation types that matter here; anything else is 'other'. */
export type Hybridisation = 'S' | 'SP' | 'SP2' | 'SP3' | 'SP3D' | 'SP3D2' | 'other'

/** A bond's contribution to an atom's valence: 1.5 for aromatic bonds, else its order. */
function valenceContrib(g: MolGraph, bond: number): number {
  const b = g.bonds[bond]
  if (!b) return 0
  return b.aromatic ? 1.5 : b.kekule
}

function totalDegree(g: MolGraph, atom: number): number {
  return (g.neighbours[atom]?.length ?? 0) + (g.atoms[atom]?.hs ?? 0)
}

/** Bond order sum plus hydrogens: RDKit's explicit + implicit valence. */
function totalValence(g: MolGraph, atom: number): number {
  let v = g.atoms[atom]?.hs ?? 0
  for (const b of g.atomBonds[atom] ?? []) v += g.bonds[b]?.kekule ?? 0
  return v
}

/** Electrons an atom can give to a pi system (RDKit Aromaticity.cpp, countAtomElec). */
function countAtomElec(g: MolGraph, atom: number): number {
  const a = g.atoms[atom]
  if (!a) return -1
  const dv = DEFAULT_VALENCE[a.z] ?? -1
  if (dv <= 1) return -1
  let degree = totalDegree(g, atom)
  for (const b of g.atomBonds[atom] ?? []) if (Math.round(valenceContrib(g, b)) === 0) degree--
  if (degree > 3) return -1
  const nlp = Math.max((N_OUTER_ELECS[a.z] ?? 0) - dv - a.charge, 0)
  let res = dv - degree + nlp - a.radicals
  if (res > 1) {
    let bondSum = 0
    for (const b of g.atomBonds[atom] ?? []) bondSum += g.bonds[b]?.kekule ?? 0
    if (bondSum - (g.neighbours[atom]?.length ?? 0) > 1) res = 1
  }
  return res
}

/** RDKit ConjugHybrid.cpp isAtomConjugCand. */
function isConjugationCandidate(g: MolGraph, atom: number): boolean {
  const a = g.atoms[atom]
  if (!a) return false
  const nouter = N_OUTER_ELECS[a.z] ?? 0
  return (
    (a.z <= 10 || (nouter !== 5 && nouter !== 6) || (nouter === 6 && totalDegree(g, atom) < 2)) &&
    countAtomElec(g, atom) > 0
  )
}

/**
 * RDKit's conjugated bonds (Code/GraphMol/ConjugHybrid.cpp, setConjugation): aromatic bonds, and the
 * multiple bonds of an atom with two or three substituents next to a single bond to another atom
 * that can take part.
 */
export function conjugatedBonds(g: MolGraph): boolean[] {
  const conj = g.bonds.map((b) => b.aromatic)
  for (let at = 0; at < g.atoms.length; at++) {
    if (!isConjugationCandidate(g, at)) continue
    const sbo = totalDegree(g, at)
    if (sbo < 2 || sbo > 3) continue
    const bonds = g.atomBonds[at] ?? []
    const nbrs = g.neighbours[at] ?? []
    for (const b1 of bonds) {
      if (valenceContrib(g, b1) < 1.5) continue
      for (let k = 0; k < bonds.length; k++) {
        const b2 = bonds[k] ?? -1
        if (b2 === b1) continue
        const at2 = nbrs[k] ?? -1
        if (totalDegree(g, at2) > 3) continue
        if (isConjugationCandidate(g, at2)) {
          conj[b1] = true
          conj[b2] = true
        }
      }
    }
  }
  return conj
}

/** RDKit ConjugHybrid.cpp numBondsPlusLonePairs. */
function bondsPlusLonePairs(g: MolGraph, atom: number): number {
  const a = g.atoms[atom]
  if (!a) return 0
  let deg = totalDegree(g, atom)
  for (const b of g.atomBonds[atom] ?? []) if ((g.bonds[b]?.kekule ?? 1) === 0) deg--
  if (a.z <= 1) return deg
  const nouter = N_OUTER_ELECS[a.z] ?? 0
  const valence = totalValence(g, atom)
  const free = nouter - (valence + a.charge)
  if (valence + nouter - a.charge < 8) {
    return deg + Math.trunc((free - a.radicals) / 2) + a.radicals
  }
  return deg + Math.trunc(free / 2)
}

/** Every atom's hybridisation as RDKit 2022.09 assigns it (ConjugHybrid.cpp, setHybridization). */
export function hybridisations(
  g: MolGraph,
  conjugated: boolean[] = conjugatedBonds(g),
): Hybridisation[] {
  return g.atoms.map((a, i) => {
    if (a.z === 0) return 'other'
    const norbs = a.z < 89 ? bondsPlusLonePairs(g, i) : totalDegree(g, i)
    switch (norbs) {
      case 0:
      case 1:
        return 'S'
      case 2:
        return 'SP'
      case 3:
        return 'SP2'
      case 4: {
        const hasConj = (g.atomBonds[i] ?? []).some((b) => conjugated[b])
        return totalDegree(g, i) > 3 || !hasConj ? 'SP3' : 'SP2'
      }
      case 5:
        return 'SP3D'
      case 6:
        return 'SP3D2'
      default:
        return 'other'
    }
  })
}

/**
 * Gasteiger-Marsili parameters (a, b, c of χ = a + bq + cq²) by element and hybridisation, RDKit
 * 2022.09 Code/GraphMol/PartialCharges/GasteigerParams.cpp (default and additional tables).
 */
const PARAMS: Readonly<Record<string, readonly [number, number, number]>> = {
  'H *': [7.17, 6.24, -0.56],
  'C sp3': [7.98, 9.18, 1.88],
  'C sp2': [8.79, 9.32, 1.51],
  'C sp': [10.39, 9.45, 0.73],
  'N sp3': [11.54, 10.82, 1.36],
  'N sp2': [12.87, 11.15, 0.85],
  'N sp': [15.68, 11.7, -0.27],
  'O sp3': [14.18, 12.92, 1.39],
  'O sp2': [17.07, 13.79, 0.47],
  'F sp3': [14.66, 13.85, 2.31],
  'Cl sp3': [11.0, 9.69, 1.35],
  'Br sp3': [10.08, 8.47, 1.16],
  'I sp3': [9.9, 7.96, 0.96],
  'S sp3': [10.14, 9.13, 1.38],
  'S so': [10.14, 9.13, 1.38],
  'S so2': [12.0, 10.81, 1.2],
  'S sp2': [10.88, 9.49, 1.33],
  'P sp3': [8.9, 8.24, 0.96],
  'X *': [0.0, 0.0, 0.0],
  'P sp2': [9.665, 8.53, 0.735],
  'Si sp3': [7.3, 6.567, 0.657],
  'Si sp2': [7.905, 6.748, 0.443],
  'Si sp': [9.065, 7.027, -0.002],
  'B sp3': [5.98, 6.82, 1.605],
  'B sp2': [6.42, 6.807, 1.322],
  'Be sp3': [3.845, 6.755, 3.165],
  'Be sp2': [4.005, 6.725, 3.035],
  'Mg sp2': [3.565, 5.572, 2.197],
  'Mg sp3': [3.3, 5.587, 2.447],
  'Mg sp': [4.04, 5.472, 1.823],
  'Al sp3': [5.375, 4.953, 0.867],
  'Al sp2': [5.795, 5.02, 0.695],
}
const IONXH = 20.02
const DAMP = 0.5
const DAMP_SCALE = 0.5
const EPS = Number.EPSILON

/** Gasteiger charges of the heavy atoms and the total charge of each atom's implicit hydrogens. */
export interface GasteigerCharges {
  charges: number[]
  hCharges: number[]
  /** false when some atom had no parameters (RDKit then uses zeros, or throws when asked to) */
  allParametrised: boolean
}

/**
 * RDKit's formal-charge spreading over a conjugated system before the iteration
 * (GasteigerCharges.cpp, splitChargeConjugated).
 */
function splitChargeConjugated(g: MolGraph, conj: boolean[], charges: number[]): void {
  for (let aix = 0; aix < g.atoms.length; aix++) {
    const at = g.atoms[aix]
    if (!at) continue
    let formal = at.charge
    if (!(Math.abs(formal) > EPS && Math.abs(charges[aix] ?? 0) < EPS)) continue
    const marker = [aix]
    const bonds1 = g.atomBonds[aix] ?? []
    const nbrs1 = g.neighbours[aix] ?? []
    for (let k = 0; k < bonds1.length; k++) {
      const b1 = bonds1[k] ?? -1
      if (!conj[b1]) continue
      const aax = nbrs1[k] ?? -1
      const bonds2 = g.atomBonds[aax] ?? []
      const nbrs2 = g.neighbours[aax] ?? []
      for (let m = 0; m < bonds2.length; m++) {
        const b2 = bonds2[m] ?? -1
        if (b2 === b1 || !conj[b2]) continue
        const yax = nbrs2[m] ?? -1
        const yat = g.atoms[yax]
        if (yat && yat.z === at.z) {
          formal += yat.charge
          marker.push(yax)
        }
      }
    }
    for (const i of marker) charges[i] = formal / marker.length
  }
}

/**
 * Gasteiger-Marsili partial charges (Tetrahedron 36, 3219 (1980)) exactly as RDKit 2022.09's
 * computeGasteigerCharges (Code/GraphMol/PartialCharges/GasteigerCharges.cpp): parameters by element
 * and RDKit's hybridisation (sulfur without one by its oxygens), implicit hydrogens iterated with
 * their heavy atom, `nIter` damped iterations (damping halves each time).
 */
export function gasteigerCharges(g: MolGraph, nIter = 12): GasteigerCharges {
  const n = g.atoms.length
  const conj = conjugatedBonds(g)
  const hyb = hybridisations(g, conj)
  const charges = new Array<number>(n).fill(0)
  const hChrg = new Array<number>(n).fill(0)
  splitChargeConjugated(g, conj, charges)
  let allParametrised = true
  const params = g.atoms.map((a, i) => {
    const elem = ELEMENT_SYMBOL[a.z] ?? '*'
    let mode = ''
    const h = hyb[i]
    if (h === 'SP3') mode = 'sp3'
    else if (h === 'SP2') mode = 'sp2'
    else if (h === 'SP') mode = 'sp'
    else if (a.z === 1) mode = '*'
    else if (a.z === 16) {
      const no = (g.neighbours[i] ?? []).filter((nb) => g.atoms[nb]?.z === 8).length
      mode = no === 2 ? 'so2' : no === 1 ? 'so' : 'sp3'
    }
    const p = PARAMS[`${elem} ${mode}`]
    if (p) return p
    allParametrised = false
    return PARAMS['X *'] ?? [0, 0, 0]
  })
  const ionX = g.atoms.map((a, i) => {
    const p = params[i] ?? [0, 0, 0]
    return a.z === 1 ? IONXH : p[0] + p[1] + p[2]
  })
  const hp = PARAMS['H *'] ?? [0, 0, 0]
  const energ = new Array<number>(n).fill(0)
  let damp = DAMP
  for (let itx = 0; itx < nIter; itx++) {
    for (let aix = 0; aix < n; aix++) {
      const p = params[aix] ?? [0, 0, 0]
      const q = charges[aix] ?? 0
      energ[aix] = p[0] + q * (p[1] + p[2] * q)
    }
    for (let aix = 0; aix < n; aix++) {
      let dq = 0
      const ea = energ[aix] ?? 0
      const xa = ionX[aix] ?? 0
      for (const nb of g.neighbours[aix] ?? []) {
        const dx = (energ[nb] ?? 0) - ea
        const sgn = dx < 0 ? 0 : 1
        const xn = ionX[nb] ?? 0
        dq += dx / (sgn * (xa - xn) + xn)
      }
      const niHs = g.atoms[aix]?.hs ?? 0
      if (niHs > 0) {
        const qHs = (hChrg[aix] ?? 0) / niHs
        const enr = hp[0] + qHs * (hp[1] + hp[2] * qHs)
        const dx = enr - ea
        const sgn = dx < 0 ? 0 : 1
        const dqH = dx / (sgn * (xa - IONXH) + IONXH)
        dq += niHs * dqH
        hChrg[aix] = (hChrg[aix] ?? 0) - niHs * dqH * damp
      }
      charges[aix] = (charges[aix] ?? 0) + damp * dq
    }
    damp *= DAMP_SCALE
  }
  return { charges, hCharges: hChrg, allParametrised }
}

/** Python's min/max of two floats (the first argument wins unless the second is strictly better). */
const pyMin = (a: number, b: number): number => (b < a ? b : a)
const pyMax = (a: number, b: number): number => (b > a ? b : a)

/**
 * MaxPartialCharge, MinPartialCharge, MaxAbsPartialCharge, MinAbsPartialCharge as RDKit 2022.09's
 * Descriptors._ChargeDescriptors takes them from the heavy atoms' Gasteiger charges (its Python
 * min/max, so a NaN charge behaves as it does there).
 */
export function chargeExtremes(charges: number[]): {
  MaxPartialCharge: number
  MinPartialCharge: number
  MaxAbsPartialCharge: number
  MinAbsPartialCharge: number
} {
  let minChg = 500
  let maxChg = -500
  for (const c of charges) {
    minChg = pyMin(c, minChg)
    maxChg = pyMax(c, maxChg)
  }
  return {
    MaxPartialCharge: maxChg,
    MinPartialCharge: minChg,
    MaxAbsPartialCharge: pyMax(Math.abs(minChg), Math.abs(maxChg)),
    MinAbsPartialCharge: pyMin(Math.abs(minChg), Math.abs(maxChg)),
  }
}
