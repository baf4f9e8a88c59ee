import type { Mol } from '@rdkit/rdkit'

/** One atom of a molecule as RDKit perceives it (hydrogens implicit, aromaticity RDKit's). */
export interface GraphAtom {
  /** atomic number */
  z: number
  /** formal charge */
  charge: number
  /** hydrogens on the atom, implicit and explicit together */
  hs: number
  isotope: number
  radicals: number
  aromatic: boolean
}

/** One bond; `order` is 1, 2 or 3 in the Kekulé form, 1.5 when RDKit calls it aromatic. */
export interface GraphBond {
  a: number
  b: number
  order: number
  /** the Kekulé bond order (1, 2 or 3), also for aromatic bonds */
  kekule: number
  aromatic: boolean
}

/** A molecule's graph as RDKit parsed it, for the descriptor families MinimalLib does not expose. */
export interface MolGraph {
  atoms: GraphAtom[]
  bonds: GraphBond[]
  /** for each atom, its neighbours' atom indices */
  neighbours: number[][]
  /** for each atom, the indices (into `bonds`) of its bonds, in the order of `neighbours` */
  atomBonds: number[][]
  /** RDKit's ring perception: each ring as its atom indices */
  rings: number[][]
}

interface CommonChemAtom {
  z?: number
  impHs?: number
  chg?: number
  nRad?: number
  isotope?: number
}
interface CommonChemBond {
  bo?: number
  atoms: [number, number]
}
interface CommonChemJson {
  defaults: { atom: Required<CommonChemAtom>; bond: { bo: number } }
  molecules: {
    atoms: CommonChemAtom[]
    bonds?: CommonChemBond[]
    extensions?: {
      name: string
      aromaticAtoms?: number[]
      aromaticBonds?: number[]
      atomRings?: number[][]
    }[]
  }[]
}

/**
 * The graph of an RDKit molecule, read from its CommonChem JSON (`get_json`: Kekulé bond orders,
 * implicit hydrogen counts, and RDKit's aromaticity and rings in its extension). Hydrogens stay
 * implicit: an explicit [H] atom in the input is counted on its neighbour only when RDKit removed
 * it, as it does by default.
 */
export function molGraph(mol: Mol): MolGraph {
  const json = JSON.parse(mol.get_json()) as CommonChemJson
  const m = json.molecules[0]
  if (!m) throw new Error('RDKit returned no molecule')
  const d = json.defaults.atom
  const ext = m.extensions?.find((e) => e.name === 'rdkitRepresentation')
  const aromaticAtoms = new Set(ext?.aromaticAtoms ?? [])
  const aromaticBonds = new Set(ext?.aromaticBonds ?? [])
  const atoms: GraphAtom[] = m.atoms.map((a, i) => ({
    z: a.z ?? d.z,
    charge: a.chg ?? d.chg,
    hs: a.impHs ?? d.impHs,
    isotope: a.isotope ?? d.isotope,
    radicals: a.nRad ?? d.nRad,
    aromatic: aromaticAtoms.has(i),
  }))
  const neighbours: number[][] = atoms.map(() => [])
  const atomBonds: number[][] = atoms.map(() => [])
  const bonds: GraphBond[] = (m.bonds ?? []).map((b, i) => {
    const kekule = b.bo ?? json.defaults.bond.bo
    const aromatic = aromaticBonds.has(i)
    const [x, y] = b.atoms
    const nx = neighbours[x]
    const ny = neighbours[y]
    const bx = atomBonds[x]
    const by = atomBonds[y]
    if (!nx || !ny || !bx || !by)
      throw new Error(`RDKit bond ${i} names an atom that does not exist`)
    nx.push(y)
    ny.push(x)
    bx.push(i)
    by.push(i)
    return { a: x, b: y, kekule, aromatic, order: aromatic ? 1.5 : kekule }
  })
  return { atoms, bonds, neighbours, atomBonds, rings: ext?.atomRings ?? [] }
}

/** The atom's degree counting heavy neighbours only (RDKit's GetDegree with implicit hydrogens). */
export function degree(g: MolGraph, atom: number): number {
  return g.neighbours[atom]?.length ?? 0
}
