import type { Mol } from '@rdkit/rdkit'
import type { RDKit } from './rdkit'

/**
 * Standardised structures: the parent a descriptor should describe. A ChEMBL record of a sodium
 * salt or a hydrochloride describes the same drug as its free acid or base, but RDKit's Crippen
 * logP of "[Na+].[O-]C(=O)R" is that of a charged ion pair (one aromatase compound: file AlogP
 * 1.40, RDKit -8.61). So before any descriptor we keep the parent fragment and neutralise it,
 * following RDKit's MolStandardize (release 2022.09, the reference the app is checked against):
 * `LargestFragmentChooser` (Fragment.cpp) and then `Uncharger` (Charge.cpp). Tautomers are left
 * alone. The bundled WebAssembly RDKit has no standardiser of its own, so the rules are written
 * here over the molecule it parses, using its own SMARTS matcher for RDKit's own patterns.
 */

/** Which standardisation a structure needed, in words a chemist reads on the compound page. */
export interface StandardisationChange {
  rule: 'fragment-removed' | 'negative-neutralised' | 'positive-neutralised'
  /** e.g. "salt or solvent removed: [Na+]", "carboxylate neutralised" */
  text: string
}

export interface StandardisedStructure {
  /** RDKit's canonical SMILES of the standardised parent */
  smiles: string
  /** what changed; empty when the structure was already its own neutral parent */
  changes: StandardisationChange[]
}

/** The rules applied, as the model metadata records them. */
export const STANDARDISATION_RULES =
  'RDKit MolStandardize 2022.09 rules: LargestFragmentChooser (organic fragments preferred, then most atoms counting hydrogens, then exact weight, then SMILES), then Uncharger (canonical ordering not applied); tautomers unchanged'

// Uncharger's patterns (Charge.cpp, release 2022.09), matched by RDKit itself.
const POS_H = '[+,+2,+3,+4;!h0;!$(*~[-]),$(*(~[-])~[-])]'
const POS_NOH = '[+,+2,+3,+4;h0;!$(*~[-]),$(*(~[-])~[-])]'
const NEG = '[-!$(*~[+,+2,+3,+4])]'
const NEG_ACID =
  '[$([O,S;-][C,S;+0]=[O,S]),$([O,S;-][N,P;+](=[O,S])[O,S;-]),$([O-][Cl,Br,I;+,+2,+3][O-]),$([n-]1nnnc1),$([n-]1ncnn1)]'

/** RDKit's isEarlyAtom (Atom.cpp, 2022.09): elements left of carbon, where H is removed, not added. */
const EARLY_ATOMS = new Set([
  3, 4, 5, 11, 12, 13, 19, 20, 21, 22, 30, 31, 32, 37, 38, 39, 40, 41, 48, 49, 50, 51, 55, 56, 57,
  58, 59, 60, 61, 72, 73, 80, 81, 82, 83, 87, 88, 89, 90, 91, 92, 93, 104, 105, 106, 107, 108, 109,
  110, 111, 112, 113, 114, 115, 116, 117, 118,
])

const SYMBOLS: Record<number, string> = {
  1: 'H',
  3: 'Li',
  5: 'B',
  6: 'C',
  7: 'N',
  8: 'O',
  9: 'F',
  11: 'Na',
  12: 'Mg',
  15: 'P',
  16: 'S',
  17: 'Cl',
  19: 'K',
  20: 'Ca',
  34: 'Se',
  35: 'Br',
  53: 'I',
}

interface JsonAtom {
  z?: number
  impHs?: number
  chg?: number
}
interface JsonBond {
  bo?: number
  atoms: [number, number]
}
interface RdkitJson {
  defaults: { atom: { z: number; impHs: number; chg: number }; bond: { bo: number } }
  molecules: { atoms: JsonAtom[]; bonds?: JsonBond[]; extensions?: unknown[] }[]
}

/** The query molecules, parsed once per thread (WebAssembly memory: kept, never freed). */
let queries: { posH: Mol; posNoH: Mol; neg: Mol; negAcid: Mol } | null = null
function patterns(rdkit: RDKit): NonNullable<typeof queries> {
  if (queries) return queries
  const parse = (smarts: string): Mol => {
    const q = rdkit.get_qmol(smarts)
    if (!q) throw new Error(`RDKit cannot read the standardiser pattern ${smarts}`)
    return q
  }
  queries = {
    posH: parse(POS_H),
    posNoH: parse(POS_NOH),
    neg: parse(NEG),
    negAcid: parse(NEG_ACID),
  }
  return queries
}

function matchedAtoms(mol: Mol, query: Mol): number[] {
  const raw = mol.get_substruct_matches(query)
  // MinimalLib answers "{}" for no match, a list of {atoms, bonds} otherwise.
  const matches = JSON.parse(raw === '' ? '[]' : raw) as
    { atoms?: number[] }[] | { atoms?: number[] }
  const list = Array.isArray(matches) ? matches : [matches]
  return list.map((m) => m.atoms?.[0]).filter((a): a is number => typeof a === 'number')
}

/**
 * The standardised parent of a structure, or null when RDKit cannot read it. Every path that
 * computes features (import, training, every prediction, drift) goes through here, so a compound
 * gets the same descriptors wherever it comes from.
 */
export function standardiseSmiles(rdkit: RDKit, smiles: string): StandardisedStructure | null {
  const mol = rdkit.get_mol(smiles)
  if (!mol) return null
  try {
    if (!mol.is_valid()) return null
    return standardiseMol(rdkit, mol)
  } finally {
    mol.delete()
  }
}

/** As standardiseSmiles, for a molecule already parsed (the caller keeps ownership of `mol`). */
export function standardiseMol(rdkit: RDKit, mol: Mol): StandardisedStructure {
  const changes: StandardisationChange[] = []
  const parent = largestFragment(rdkit, mol, changes)
  try {
    const smiles = uncharge(rdkit, parent ?? mol, changes)
    return { smiles, changes }
  } finally {
    parent?.delete()
  }
}

interface Fragment {
  mol: Mol
  smiles: string
  organic: boolean
  atoms: number
  weight: number | null
}

/**
 * LargestFragmentChooser with preferOrganic: a fragment with a carbon beats one without; then the
 * most atoms counting hydrogens; then the higher exact weight; then the SMILES that sorts first.
 * Returns null when the molecule is a single fragment (the caller's `mol` is then the parent).
 */
function largestFragment(rdkit: RDKit, mol: Mol, changes: StandardisationChange[]): Mol | null {
  if (!mol.get_smiles().includes('.')) return null
  const frags = mol.get_frags() as { molList: { size(): number; at(i: number): Mol | null } }
  const all: Fragment[] = []
  for (let i = 0; i < frags.molList.size(); i++) {
    const f = frags.molList.at(i)
    if (!f) continue
    const json = JSON.parse(f.get_json()) as RdkitJson
    const atoms = json.molecules[0]?.atoms ?? []
    const d = json.defaults.atom
    let count = 0
    let organic = false
    for (const a of atoms) {
      count += 1 + (a.impHs ?? d.impHs)
      if ((a.z ?? d.z) === 6) organic = true
    }
    all.push({ mol: f, smiles: f.get_smiles(), organic, atoms: count, weight: null })
  }
  const weight = (f: Fragment): number => {
    f.weight ??= (JSON.parse(f.mol.get_descriptors()) as Record<string, number>).exactmw ?? 0
    return f.weight
  }
  let best: Fragment | null = null
  for (const f of all) {
    if (best) {
      if (best.organic && !f.organic) continue
      if (!(f.organic && !best.organic)) {
        if (f.atoms < best.atoms) continue
        if (f.atoms === best.atoms) {
          const wf = weight(f)
          const wb = weight(best)
          if (wf < wb) continue
          if (wf === wb && f.smiles > best.smiles) continue
        }
      }
    }
    best = f
  }
  for (const f of all) {
    if (f === best) continue
    changes.push({ rule: 'fragment-removed', text: `salt or solvent removed: ${f.smiles}` })
    f.mol.delete()
  }
  return best?.mol ?? null
}

/** Uncharger (Charge.cpp, 2022.09) over the molecule's RDKit JSON; returns canonical SMILES. */
function uncharge(rdkit: RDKit, mol: Mol, changes: StandardisationChange[]): string {
  const original = mol.get_smiles()
  if (!/[+-]/.test(original)) return original
  const q = patterns(rdkit)
  const pMatches = matchedAtoms(mol, q.posH)
  const qMatches = matchedAtoms(mol, q.posNoH)
  const nAtoms = matchedAtoms(mol, q.neg)
  const aAtoms = matchedAtoms(mol, q.negAcid)

  const json = JSON.parse(mol.get_json()) as RdkitJson
  const m = json.molecules[0]
  if (!m) return original
  const d = json.defaults.atom
  const z = m.atoms.map((a) => a.z ?? d.z)
  const chg = m.atoms.map((a) => a.chg ?? d.chg)
  const hs = m.atoms.map((a) => a.impHs ?? d.impHs)
  const neighbours: number[][] = m.atoms.map(() => [])
  for (const b of m.bonds ?? []) {
    neighbours[b.atoms[0]]?.push(b.atoms[1])
    neighbours[b.atoms[1]]?.push(b.atoms[0])
  }
  const charge0 = [...chg]

  let qMatched = 0
  for (const i of qMatches) qMatched += chg[i] ?? 0
  const nNeg = chg.filter((c) => c < 0).length
  const needsNeutralisation = qMatched > 0 && (nAtoms.length > 0 || aAtoms.length > 0)
  const early = (i: number) => EARLY_ATOMS.has(z[i] ?? 0)

  const neutraliseNeg = (i: number, hDelta: number) => {
    hs[i] = (hs[i] ?? 0) + hDelta
    chg[i] = (chg[i] ?? 0) + 1
  }
  const neutraliseNegIfPossible = (i: number): boolean => {
    if (early(i) && !hs[i]) return false
    neutraliseNeg(i, early(i) ? -1 : 1)
    return true
  }

  if (needsNeutralisation) {
    let negSurplus = nNeg - qMatched
    if (negSurplus > 0 && nAtoms.length > 0) {
      const acids = new Set(aAtoms)
      for (const i of nAtoms) {
        if (acids.has(i)) continue
        if (neutraliseNegIfPossible(i) && !--negSurplus) break
      }
    }
    negSurplus = aAtoms.length - qMatched
    if (negSurplus > 0) {
      const skipChargeSep = new Set<number>()
      for (const i of nAtoms) {
        for (const nb of neighbours[i] ?? []) {
          if ((chg[nb] ?? 0) > 0) {
            if (!skipChargeSep.has(nb)) skipChargeSep.add(nb)
            else skipChargeSep.add(i)
            break
          }
        }
      }
      for (const i of aAtoms) {
        if ((chg[i] ?? 0) >= 0 || skipChargeSep.has(i)) continue
        neutraliseNeg(i, 1)
        if (!--negSurplus) break
      }
    }
  } else {
    for (const i of nAtoms) neutraliseNegIfPossible(i)
  }

  let netCharge = chg.reduce((s, c) => s + c, 0)
  if (netCharge > 0) {
    for (const i of pMatches) {
      while ((chg[i] ?? 0) > 0 && netCharge > 0) {
        chg[i] = (chg[i] ?? 0) - 1
        netCharge--
        if (z[i] !== 6 && !early(i)) {
          const n = hs[i] ?? 0
          if (n >= 1) hs[i] = n - 1
          if (n === 1) break
        } else hs[i] = (hs[i] ?? 0) + 1
      }
      if (!netCharge) break
    }
  }

  const changed: number[] = []
  for (const [i, c] of chg.entries()) if (c !== charge0[i]) changed.push(i)
  if (changed.length === 0) return original
  // The neutral form is written as a molblock and parsed again: RDKit's JSON reader drops
  // double-bond geometry, a molblock keeps it (2D coordinates) along with tetrahedral wedges. The
  // hydrogens come from the element's default valence, which is what Uncharger's +-1 H gives.
  const edited = rdkit.get_mol(withCharges(mol.get_molblock(), chg))
  if (!edited) return original
  try {
    if (!edited.is_valid()) return original
    for (const i of changed)
      changes.push(describeNeutralisation(i, charge0[i] ?? 0, z, neighbours, m.bonds ?? []))
    return edited.get_smiles()
  } finally {
    edited.delete()
  }
}

/** A V2000 molblock with its charge block replaced by `charges` (one per atom, in atom order). */
function withCharges(molblock: string, charges: number[]): string {
  const lines = molblock.split('\n').filter((l) => !l.startsWith('M  CHG'))
  const charged = charges.flatMap((c, i) => (c === 0 ? [] : [[i + 1, c] as const]))
  const block: string[] = []
  for (let k = 0; k < charged.length; k += 8) {
    const part = charged.slice(k, k + 8)
    const pad = (n: number) => String(n).padStart(3, ' ')
    block.push(`M  CHG${pad(part.length)}${part.map(([a, c]) => ` ${pad(a)} ${pad(c)}`).join('')}`)
  }
  const end = lines.findIndex((l) => l.startsWith('M  END'))
  lines.splice(end < 0 ? lines.length : end, 0, ...block)
  return lines.join('\n')
}

/** Names the group whose charge was removed, as a chemist would ("carboxylate neutralised"). */
function describeNeutralisation(
  i: number,
  before: number,
  z: number[],
  neighbours: number[][],
  bonds: JsonBond[],
): StandardisationChange {
  const symbol = SYMBOLS[z[i] ?? 0] ?? `element ${z[i]}`
  if (before > 0) {
    const text = z[i] === 7 ? 'ammonium (N+) neutralised' : `${symbol}+ neutralised`
    return { rule: 'positive-neutralised', text }
  }
  let text = `${symbol}- neutralised`
  if (z[i] === 8 || z[i] === 16) {
    const centre = neighbours[i]?.[0]
    const doubleO =
      centre !== undefined &&
      bonds.some(
        (b) =>
          b.bo === 2 &&
          b.atoms.includes(centre) &&
          [8, 16].includes(z[b.atoms[0] === centre ? b.atoms[1] : b.atoms[0]] ?? 0),
      )
    const c = centre === undefined ? 0 : z[centre]
    if (c === 6 && doubleO) text = 'carboxylate neutralised'
    else if ((c === 16 || c === 15) && doubleO)
      text = c === 16 ? 'sulfonate neutralised' : 'phosphate neutralised'
    else if (c === 6) text = 'alkoxide or phenolate neutralised'
  } else if (z[i] === 7) text = 'nitrogen anion neutralised'
  return { rule: 'negative-neutralised', text }
}
