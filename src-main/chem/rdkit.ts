import initRDKitModule, { type MainModule } from '@rdkit/rdkit'
import { rdkitVersionString } from './rdkit-version'

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
  canonicalSmiles: string
  seed: SeedDescriptors
  descriptors: Record<string, number>
  /** Morgan fingerprint, radius 2, 2048 bits packed into 256 bytes */
  morgan: Uint8Array
}

/** RDKit's view of one SMILES, or null when RDKit cannot read it. */
export function computeMolecule(rdkit: RDKit, smiles: string): MoleculeFeatures | null {
  const mol = rdkit.get_mol(smiles)
  if (!mol) return null
  try {
    if (!mol.is_valid()) return null
    const descriptors = JSON.parse(mol.get_descriptors()) as Record<string, number>
    return {
      canonicalSmiles: mol.get_smiles(),
      seed: seedFromDescriptors(descriptors),
      descriptors,
      morgan: new Uint8Array(mol.get_morgan_fp_as_uint8array(MORGAN_DETAILS) as ArrayLike<number>),
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
