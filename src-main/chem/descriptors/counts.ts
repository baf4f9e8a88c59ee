import type { MolGraph } from '../mol-graph'
import type { RDKit } from '../rdkit'
import { type Target, countMatches } from './smarts'

/**
 * Outer-shell electron counts by atomic number (index 0 = dummy atom), RDKit's periodic table
 * (`GetNOuterElecs`, Code/GraphMol/atomic_data.cpp), as NumValenceElectrons uses them.
 */
const OUTER_ELECTRONS = [
  0, 1, 2, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 2, 3,
  4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 3, 4, 5, 6, 7,
  8, 9, 10, 11, 12, 13, 14, 15, 4, 5, 6, 7, 8, 9, 10, 11, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 3, 4, 5,
  6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
]

/** RDKit's average atomic weight of hydrogen and the masses of its isotopes. */
const H_WEIGHT = 1.008
const H_ISOTOPE_MASS: Record<number, number> = { 1: 1.007825032, 2: 2.014101778, 3: 3.016049278 }

/**
 * Hydrogen-bond acceptors as RDKit 2022.09 counts them (Code/GraphMol/Descriptors/Lipinski.cpp,
 * NumHBA 2.0.1). Later releases changed the definition (the bundled module's `NumHBA` no longer
 * counts an N-substituted aromatic nitrogen such as imidazole's), so the 2022.09 SMARTS is matched.
 */
const HBA_2022 =
  '[$([O,S;H1;v2]-[!$(*=[O,N,P,S])]),$([O,S;H0;v2]),$([O,S;-]),$([N;v3;!$(N-*=!@[O,N,P,S])]),$([nH0,o,s;+0])]'

export interface CountDescriptors {
  NumValenceElectrons: number
  NumRadicalElectrons: number
  HeavyAtomMolWt: number
  NumHAcceptors: number
}

/**
 * Counts of rdkit/Chem/Descriptors.py and Lipinski.py (2022.09) that the bundled module does not
 * give as 2022.09 defines them. `averageWeight` is the molecule's MolWt (hydrogens included).
 */
export function countDescriptors(
  rdkit: RDKit,
  t: Target,
  g: MolGraph,
  averageWeight: number,
): CountDescriptors {
  let valence = 0
  let radicals = 0
  let hydrogenWeight = 0
  for (const atom of g.atoms) {
    valence += (OUTER_ELECTRONS[atom.z] ?? 0) - atom.charge + atom.hs
    radicals += atom.radicals
    hydrogenWeight += atom.hs * H_WEIGHT
    if (atom.z === 1)
      hydrogenWeight += atom.isotope > 0 ? (H_ISOTOPE_MASS[atom.isotope] ?? atom.isotope) : H_WEIGHT
  }
  return {
    NumValenceElectrons: valence,
    NumRadicalElectrons: radicals,
    // MolWt(mol, onlyHeavy=True): hydrogen atoms and every atom's hydrogens left out
    HeavyAtomMolWt: averageWeight - hydrogenWeight,
    NumHAcceptors: countMatches(rdkit, t, HBA_2022),
  }
}
