import initRDKitModule, { type MainModule } from '@rdkit/rdkit'
import { rdkitVersionString } from './rdkit-version'
import { computeDescriptors2D } from './descriptors'
import { type StandardisationChange, standardiseMol } from './standardise'

export type RDKit = MainModule

let loading: Promise<RDKit> | null = null

/** Loads RDKit's WebAssembly build once per thread (about 0.2 s); later calls share it. */
export function loadRdkit(): Promise<RDKit> {
  loading ??= initRDKitModule()
  return loading
}

/** The loaded build's version, written as everywhere else in the app (see rdkitVersionString). */
export function rdkitVersion(rdkit: RDKit): string {
  return rdkitVersionString(rdkit.version())
}

/** The seed features as DESIGN.md section 5 defines them when they come from RDKit. */
export interface SeedDescriptors {
  /** average molecular weight, g/mol (RDKit `amw`, ChEMBL's `mw_freebase` for a parent) */
  mw: number
  /** Wildman-Crippen logP (RDKit `CrippenClogP`, ChEMBL's `alogp`) */
  alogp: number
  /** H-bond acceptors as RDKit's `NumHBA` counts them (the definition changed across releases) */
  hba: number
  /** H-bond donors as RDKit's `NumHBD` counts them */
  hbd: number
}

/**
 * The full descriptor set of this RDKit build for one molecule, or null when RDKit cannot read the
 * SMILES. The RDKit object is freed here: WebAssembly memory is not garbage collected.
 */
export function computeDescriptors(rdkit: RDKit, smiles: string): Record<string, number> | null {
  const mol = rdkit.get_mol(smiles)
  if (!mol) return null
  try {
    if (!mol.is_valid()) return null
    return JSON.parse(mol.get_descriptors()) as Record<string, number>
  } finally {
    mol.delete()
  }
}

export function seedFromDescriptors(d: Record<string, number>): SeedDescriptors {
  return {
    mw: need(d, 'amw'),
    alogp: need(d, 'CrippenClogP'),
    hba: need(d, 'NumHBA'),
    hbd: need(d, 'NumHBD'),
  }
}

function need(d: Record<string, number>, key: string): number {
  const value = d[key]
  if (typeof value !== 'number') throw new Error(`RDKit did not return the descriptor ${key}`)
  return value
}

export const MORGAN_RADIUS = 2
export const MORGAN_BITS = 2048
const MORGAN_DETAILS = JSON.stringify({ radius: MORGAN_RADIUS, nBits: MORGAN_BITS })

/** Everything the importer keeps from RDKit for one structure. */
export interface MoleculeFeatures {
  /** RDKit's canonical SMILES of the structure as given (the compound's identity) */
  canonicalSmiles: string
  /** the standardised parent every feature below describes (see standardise.ts) */
  standardisedSmiles: string
  /** what standardisation changed, empty when nothing */
  standardisation: StandardisationChange[]
  seed: SeedDescriptors
  /** MinimalLib's get_descriptors() set (the 43 of "physchem-43") */
  descriptors: Record<string, number>
  /** RDKit's 2D descriptor set by descList name, as far as this build computes it ("physchem") */
  descriptors2d: Record<string, number>
  /** Morgan fingerprint, radius 2, 2048 bits packed into 256 bytes */
  morgan: Uint8Array
}

/**
 * RDKit's view of one SMILES, or null when RDKit cannot read it. Every feature is computed on the
 * standardised parent, the same way for import, training and every prediction: a salt's logP is
 * the drug's, not the ion pair's.
 */
export function computeMolecule(rdkit: RDKit, smiles: string): MoleculeFeatures | null {
  const mol = rdkit.get_mol(smiles)
  if (!mol) return null
  try {
    if (!mol.is_valid()) return null
    const standard = standardiseMol(rdkit, mol)
    const canonical = mol.get_smiles()
    const parent = standard.smiles === canonical ? null : rdkit.get_mol(standard.smiles)
    try {
      const m = parent?.is_valid() ? parent : mol
      const descriptors = JSON.parse(m.get_descriptors()) as Record<string, number>
      return {
        canonicalSmiles: canonical,
        standardisedSmiles: m === mol ? canonical : standard.smiles,
        standardisation: m === mol && parent ? [] : standard.changes,
        seed: seedFromDescriptors(descriptors),
        descriptors,
        descriptors2d: computeDescriptors2D(rdkit, m) as Record<string, number>,
        morgan: new Uint8Array(m.get_morgan_fp_as_uint8array(MORGAN_DETAILS) as ArrayLike<number>),
      }
    } finally {
      parent?.delete()
    }
  } finally {
    mol.delete()
  }
}

/**
 * RDKit's 2D depiction of a structure as SVG text (atom labels drawn as paths, transparent
 * background), or null when RDKit cannot read the SMILES. Not yet sanitised: see svg-sanitise.ts.
 */
export function depictSvg(
  rdkit: RDKit,
  smiles: string,
  width: number,
  height: number,
): string | null {
  const mol = rdkit.get_mol(smiles)
  if (!mol) return null
  try {
    if (!mol.is_valid()) return null
    return mol.get_svg_with_highlights(
      JSON.stringify({ width, height, clearBackground: false, bondLineWidth: 2 }),
    )
  } finally {
    mol.delete()
  }
}

/** RDKit's canonical SMILES, or null when RDKit cannot read the SMILES. */
export function canonicalSmiles(rdkit: RDKit, smiles: string): string | null {
  const mol = rdkit.get_mol(smiles)
  if (!mol) return null
  try {
    return mol.is_valid() ? mol.get_smiles() : null
  } finally {
    mol.delete()
  }
}
