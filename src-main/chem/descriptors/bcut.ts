import type { MolGraph } from '../mol-graph'
import { ATOMIC_WEIGHT, ISOTOPE_MASS } from './element-data'

/**
 * Eigenvalues of a real symmetric matrix (row-major, n×n; overwritten), in ascending order:
 * Householder reduction to tridiagonal form, then the QL algorithm with implicit Wilkinson shifts.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n)
  const e = new Float64Array(n)
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1
    const ri = i * n
    let h = 0
    if (l > 0) {
      let scale = 0
      for (let k = 0; k <= l; k++) scale += Math.abs(a[ri + k] as number)
      if (scale === 0) {
        e[i] = a[ri + l] as number
      } else {
        for (let k = 0; k <= l; k++) {
          const v = (a[ri + k] as number) / scale
          a[ri + k] = v
          h += v * v
        }
        let f = a[ri + l] as number
        let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h)
        e[i] = scale * g
        h -= f * g
        a[ri + l] = f - g
        f = 0
        for (let j = 0; j <= l; j++) {
          const rj = j * n
          g = 0
          for (let k = 0; k <= j; k++) g += (a[rj + k] as number) * (a[ri + k] as number)
          for (let k = j + 1; k <= l; k++) g += (a[k * n + j] as number) * (a[ri + k] as number)
          const ej = g / h
          e[j] = ej
          f += ej * (a[ri + j] as number)
        }
        const hh = f / (h + h)
        for (let j = 0; j <= l; j++) {
          const rj = j * n
          f = a[ri + j] as number
          g = (e[j] as number) - hh * f
          e[j] = g
          for (let k = 0; k <= j; k++)
            a[rj + k] = (a[rj + k] as number) - (f * (e[k] as number) + g * (a[ri + k] as number))
        }
      }
    } else {
      e[i] = a[ri + l] as number
    }
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i] as number
  for (let i = 1; i < n; i++) e[i - 1] = e[i] ?? 0
  if (n > 0) e[n - 1] = 0
  for (let l = 0; l < n; l++) {
    let iter = 0
    let m: number
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m] ?? 0) + Math.abs(d[m + 1] ?? 0)
        if (Math.abs(e[m] ?? 0) <= Number.EPSILON * dd) break
      }
      if (m !== l) {
        if (iter++ === 100) throw new Error('eigenvalues did not converge')
        let g = ((d[l + 1] ?? 0) - (d[l] ?? 0)) / (2 * (e[l] ?? 0))
        let r = Math.hypot(g, 1)
        g = (d[m] ?? 0) - (d[l] ?? 0) + (e[l] ?? 0) / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)))
        let s = 1
        let c = 1
        let p = 0
        let i: number
        let underflow = false
        for (i = m - 1; i >= l; i--) {
          const f = s * (e[i] ?? 0)
          const b = c * (e[i] ?? 0)
          r = Math.hypot(f, g)
          e[i + 1] = r
          if (r === 0) {
            d[i + 1] = (d[i + 1] ?? 0) - p
            e[m] = 0
            underflow = true
            break
          }
          s = f / r
          c = g / r
          g = (d[i + 1] ?? 0) - p
          r = ((d[i] ?? 0) - g) * s + 2 * c * b
          p = s * r
          d[i + 1] = g + p
          g = c * r - b
        }
        if (underflow) continue
        d[l] = (d[l] ?? 0) - p
        e[l] = g
        e[m] = 0
      }
    } while (m !== l)
  }
  return d.sort()
}

/** 1/sqrt(bond order) of each bond, RDKit BCUT.cpp make_burden; null for other bond types. */
function burdenBondTerm(kekule: number, aromatic: boolean): number | null {
  if (aromatic) return 0.8164965809277261
  if (kekule === 1) return 1.0
  if (kekule === 2) return 0.7071067811865475
  if (kekule === 3) return 0.5773502691896258
  return null
}

/** An atom's mass as RDKit's Atom::getMass gives it: its isotope's mass when labelled. */
export function atomMass(z: number, isotope: number): number {
  if (isotope > 0) {
    const m = ISOTOPE_MASS[`${z}:${isotope}`]
    if (m !== undefined) return m
  }
  return ATOMIC_WEIGHT[z] ?? 0
}

export type Bcut2d = Record<
  | 'BCUT2D_MWHI'
  | 'BCUT2D_MWLOW'
  | 'BCUT2D_CHGHI'
  | 'BCUT2D_CHGLO'
  | 'BCUT2D_LOGPHI'
  | 'BCUT2D_LOGPLOW'
  | 'BCUT2D_MRHI'
  | 'BCUT2D_MRLOW',
  number
>

const NAN_BCUT: Bcut2d = {
  BCUT2D_MWHI: NaN,
  BCUT2D_MWLOW: NaN,
  BCUT2D_CHGHI: NaN,
  BCUT2D_CHGLO: NaN,
  BCUT2D_LOGPHI: NaN,
  BCUT2D_LOGPLOW: NaN,
  BCUT2D_MRHI: NaN,
  BCUT2D_MRLOW: NaN,
}

/**
 * RDKit 2022.09's BCUT2D (Code/GraphMol/Descriptors/BCUT.cpp, after Burden, JCICS 29, 225 (1989) and
 * Pearlman & Smith): the highest and lowest eigenvalue of the Burden matrix (1/sqrt(bond order)
 * between bonded atoms, 0.001 between all others) with atomic mass, Gasteiger charge, Crippen logP
 * and Crippen MR on the diagonal. RDKit throws when an atom has no Gasteiger parameters or a bond is
 * not single/double/triple/aromatic, and descList then gives NaN: so do we (`charges` null).
 */
export function bcut2d(
  g: MolGraph,
  charges: number[] | null,
  logp: number[],
  mr: number[],
): Bcut2d {
  const n = g.atoms.length
  if (n === 0) {
    return {
      BCUT2D_MWHI: 0,
      BCUT2D_MWLOW: 0,
      BCUT2D_CHGHI: 0,
      BCUT2D_CHGLO: 0,
      BCUT2D_LOGPHI: 0,
      BCUT2D_LOGPLOW: 0,
      BCUT2D_MRHI: 0,
      BCUT2D_MRLOW: 0,
    }
  }
  if (!charges) return { ...NAN_BCUT }
  const burden = new Float64Array(n * n).fill(0.001)
  for (const b of g.bonds) {
    const term = burdenBondTerm(b.kekule, b.aromatic)
    if (term === null) return { ...NAN_BCUT }
    burden[b.a * n + b.b] = term
    burden[b.b * n + b.a] = term
  }
  const extremes = (diagonal: readonly number[]): [number, number] => {
    if (diagonal.some((x) => !Number.isFinite(x))) return [NaN, NaN]
    const m = burden.slice()
    for (let i = 0; i < n; i++) m[i * n + i] = diagonal[i] ?? 0
    const ev = symmetricEigenvalues(m, n)
    return [ev[n - 1] ?? 0, ev[0] ?? 0]
  }
  const [mwHi, mwLo] = extremes(g.atoms.map((a) => atomMass(a.z, a.isotope)))
  const [chgHi, chgLo] = extremes(charges)
  const [logpHi, logpLo] = extremes(logp)
  const [mrHi, mrLo] = extremes(mr)
  return {
    BCUT2D_MWHI: mwHi,
    BCUT2D_MWLOW: mwLo,
    BCUT2D_CHGHI: chgHi,
    BCUT2D_CHGLO: chgLo,
    BCUT2D_LOGPHI: logpHi,
    BCUT2D_LOGPLOW: logpLo,
    BCUT2D_MRHI: mrHi,
    BCUT2D_MRLOW: mrLo,
  }
}
