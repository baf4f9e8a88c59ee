import { beforeAll, describe, expect, it } from 'vitest'
import {
  DESCRIPTORS_2D,
  type Descriptor2DName,
  computeDescriptors2D,
} from '../../src-main/chem/descriptors'
import { loadRdkit } from '../../src-main/chem/rdkit'
import {
  type ReferenceDescriptors,
  agrees,
  referenceDescriptorsFor,
} from '../reference/rdkit-descriptors'

/**
 * Structures real files rarely hold but a user's file can: single atoms, no bonds at all, bare
 * ions, radicals, isotopes, explicit hydrogens, metals, strained cages, duplicate fragments. Every
 * descriptor must come out a number for each, equal to Python RDKit 2022.09's value.
 */
const EDGE_SMILES = [
  'C',
  'O',
  '[Na+].[Cl-]',
  '[Fe]',
  '[H][H]',
  '[2H]C([2H])([2H])O',
  '[13CH3]C(=O)O',
  'C[CH2]',
  'c1ccccc1.c1ccccc1',
  'CC(=O)[O-].[NH4+]',
  'O=C=O',
  'N#N',
  'C#N',
  'OP(=O)(O)O',
  'FC(F)(F)S(=O)(=O)O',
  'ClC(Cl)(Cl)Cl',
  '[Cu+2].[O-]S(=O)(=O)[O-]',
  'C1CC1',
  'C12C3C4C1C5C2C3C45',
  'c1ccc2ccccc2c1',
  'O=[N+]([O-])c1ccccc1',
  'OB(O)c1ccccc1',
  'C[Si](C)(C)C',
  'C[Se]C',
  'Ic1ccccc1',
  'C[N+](C)(C)C',
  'CN=[N+]=[N-]',
  'C=C=C',
  'OC1=CC=CC=C1',
  'c1cc[nH]c1',
  '[O-][n+]1ccccc1',
  'C[S+](C)C',
  'CCCCCCCCCCCCCCCCCCCC',
  'C[Hg]C',
  '[H+]',
  '[OH-]',
  'Cl',
  '[NH4+]',
  'C[C]C',
  'CC(C)(C)c1cc(C(C)(C)C)c(O)c(C(C)(C)C)c1',
  'C1CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC1',
  'CC(C)C[C@H](NC(=O)[C@@H](Cc1ccccc1)NC(=O)[C@@H](N)CCC(=O)O)C(=O)N[C@@H](Cc1c[nH]c2ccccc12)C(=O)O',
]

/**
 * Known differences on these structures, each with its reason. A key is "descriptor smiles".
 */
const KNOWN: Record<string, string> = {}

describe('the 2D descriptor set on unusual structures, against Python RDKit 2022.09', () => {
  let reference: ReferenceDescriptors
  const ours = new Map<string, Partial<Record<Descriptor2DName, number>>>()

  beforeAll(async () => {
    reference = referenceDescriptorsFor(EDGE_SMILES)
    const rdkit = await loadRdkit()
    for (const s of EDGE_SMILES) {
      const mol = rdkit.get_mol(s)
      if (!mol) throw new Error(`RDKit could not read ${s}`)
      try {
        ours.set(s, computeDescriptors2D(rdkit, mol))
      } finally {
        mol.delete()
      }
    }
  }, 60_000)

  it('Python reads every structure and every descriptor function answers', () => {
    expect(reference.unreadable).toEqual([])
    expect(reference.molecules.map((m) => m.smiles)).toEqual(EDGE_SMILES)
  })

  it('computes all 208 descriptors for each, as numbers', () => {
    for (const s of EDGE_SMILES) {
      const d = ours.get(s) ?? {}
      const missing = DESCRIPTORS_2D.filter((n) => typeof d[n] !== 'number')
      expect(missing, s).toEqual([])
    }
  })

  it("agrees with Python RDKit's value for every descriptor of every structure", () => {
    const column = new Map(reference.names.map((n, i) => [n, i]))
    const differ: string[] = []
    for (const m of reference.molecules) {
      const d = ours.get(m.smiles) ?? {}
      for (const name of DESCRIPTORS_2D) {
        const ref = m.values[column.get(name) ?? -1] ?? null
        if (!agrees(d[name], ref) && !KNOWN[`${name} ${m.smiles}`])
          differ.push(`${name} ${m.smiles}: ours ${d[name]}, RDKit ${String(ref)}`)
      }
    }
    expect(differ).toEqual([])
  })
})
