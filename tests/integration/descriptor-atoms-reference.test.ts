import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { molGraph } from '../../src-main/chem/mol-graph'
import { type RDKit, loadRdkit } from '../../src-main/chem/rdkit'
import { crippenAtomContribs } from '../../src-main/chem/descriptors/crippen'
import { estateIndices } from '../../src-main/chem/descriptors/estate'
import { gasteigerCharges, hybridisations } from '../../src-main/chem/descriptors/gasteiger'
import { graphFamilyDescriptors } from '../../src-main/chem/descriptors/graph-families'
import { labuteAtomContribs } from '../../src-main/chem/descriptors/labute'
import { REPO_ROOT } from '../helpers'
import { referencePython } from '../reference/rdkit-descriptors'

/** Hand-picked hard cases: charges, zwitterions, heteroaromatics, halogens, P, S, B, Si, Se, metals, salts, isotopes. */
const EDGE_CASES = [
  'CCO',
  'c1ccccc1',
  'CC(=O)[O-].[Na+]',
  'C[N+](C)(C)C',
  'c1ccncc1',
  'c1cc[nH]c1',
  'O=[N+]([O-])c1ccccc1',
  'FC(F)(F)Cl',
  'BrCCI',
  'OB(O)c1ccccc1',
  'C[Si](C)(C)C',
  'CP(=O)(O)O',
  'CS(=O)(=O)N',
  'CS(C)=O',
  'C#N',
  'C=C=C',
  '[Pt+2].[Cl-].[Cl-]',
  '[Se]1C=CC=C1',
  'NC(=[NH2+])c1ccccc1',
  'C1CC1',
  '[2H]C([2H])([2H])Oc1ccccc1',
  '[18F]CCO',
  '[125I]c1ccc(O)cc1',
  'O=C([O-])C(=O)[O-].[K+].[K+]',
  'C[n+]1ccccc1',
  '[O-][n+]1ccccc1',
  'S=C(N)N',
  'OS(=O)(=O)O',
  'Cl',
  'c1ccsc1',
  'c1ccoc1',
  'CN=C=O',
  'C[Sn](C)(C)Cl',
  '[As](=O)(O)(O)c1ccccc1',
  '[Mg+2]',
  'O=C1C=CC(=O)C=C1',
  'CC(C)(C)P(c1ccccc1)c1ccccc1',
  'F[B-](F)(F)F.CC[n+]1ccn(C)c1',
  'O=S1(=O)CCCC1',
  'C[S+](C)C',
  '[O-][S+](C)C',
  'FS(F)(F)(F)(F)F',
  'O=[Se](O)O',
  'N=[N+]=[N-]',
]

interface AtomReference {
  descriptors: Record<string, RefNumber>
  gasteiger: RefNumber[]
  hybridisation: string[]
  logp: number[]
  mr: number[]
  labute: number[]
  labuteH: number
  estate: number[]
}

/** The fixture writes NaN as null and infinities as 'inf' / '-inf'. */
type RefNumber = number | null | 'inf' | '-inf'

function close(ours: number, ref: RefNumber): boolean {
  if (ref === null) return Number.isNaN(ours)
  if (ref === 'inf') return ours === Infinity
  if (ref === '-inf') return ours === -Infinity
  return Math.abs(ours - ref) <= 1e-9 * Math.max(1, Math.abs(ref))
}

function sameArray(ours: number[], ref: RefNumber[]): boolean {
  return ours.length === ref.length && ours.every((x, i) => close(x, ref[i] ?? null))
}

describe('per-atom Gasteiger, Crippen, Labute and EState values against Python RDKit 2022.09', () => {
  let rdkit: RDKit
  let smiles: string[]
  let reference: (AtomReference | null)[]

  beforeAll(async () => {
    rdkit = await loadRdkit()
    const run = spawnSync(
      referencePython(),
      [join(REPO_ROOT, 'tests/fixtures/desc-a-reference.py'), '--unusual', '300'],
      { input: JSON.stringify(EDGE_CASES), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    )
    if (run.status !== 0)
      throw new Error(`${referencePython()} could not compute the reference: ${run.stderr}`)
    const out = JSON.parse(run.stdout) as { smiles: string[]; molecules: (AtomReference | null)[] }
    smiles = out.smiles
    reference = out.molecules
  }, 120_000)

  it('reads the hand-picked cases and 300 charged, salt or uncommon-element molecules of the shared files', () => {
    expect(smiles.length).toBe(EDGE_CASES.length + 300)
    expect(reference.every((r) => r !== null)).toBe(true)
  })

  it('agrees atom by atom, and on all 73 descriptors built on them, for every molecule', () => {
    const failures: string[] = []
    for (let k = 0; k < smiles.length; k++) {
      const ref = reference[k]!
      const mol = rdkit.get_mol(smiles[k]!)!
      try {
        const g = molGraph(mol)
        const crippen = crippenAtomContribs(rdkit, mol, g)
        const labute = labuteAtomContribs(g)
        const checks: [string, boolean][] = [
          ['gasteiger', sameArray(gasteigerCharges(g).charges, ref.gasteiger)],
          [
            'hybridisation',
            hybridisations(g).every(
              (h, i) =>
                h === ref.hybridisation[i] ||
                (h === 'other' && ref.hybridisation[i] === 'UNSPECIFIED'),
            ),
          ],
          ['logp', sameArray(crippen.logp, ref.logp)],
          ['mr', sameArray(crippen.mr, ref.mr)],
          ['labute', sameArray(labute.atoms, ref.labute) && close(labute.hydrogens, ref.labuteH)],
          ['estate', sameArray(estateIndices(g), ref.estate)],
        ]
        const d = graphFamilyDescriptors(rdkit, mol, g)
        const names = Object.keys(ref.descriptors)
        expect(names.length).toBe(73)
        for (const name of names)
          checks.push([
            name,
            d[name] !== undefined && close(d[name], ref.descriptors[name] ?? null),
          ])
        for (const [what, ok] of checks) if (!ok) failures.push(`${smiles[k]}: ${what}`)
      } finally {
        mol.delete()
      }
    }
    expect(failures).toEqual([])
  })
})
