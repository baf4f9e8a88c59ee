import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadRdkit, canonicalSmiles, computeDescriptors } from '../../src-main/chem/rdkit'
import { standardiseSmiles } from '../../src-main/chem/standardise'
import { readTable } from '../reference-csv'
import { REPO_ROOT } from '../helpers'
import { referenceStandardised } from '../rdkit-reference'

const AROMATASE = join(REPO_ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv')
const ACHE = join(REPO_ROOT, '../shared/data/chembl_ache_CHEMBL220_api_dump.csv')

/** The distinct SMILES of both shared ChEMBL files, read by the independent CSV reader. */
function distinctSmiles(): string[] {
  const set = new Set<string>()
  for (const r of readTable(AROMATASE, ';').rows) if (r.Smiles) set.add(r.Smiles)
  for (const r of readTable(ACHE, ',').rows) if (r.canonical_smiles) set.add(r.canonical_smiles)
  return [...set].sort()
}

describe('standardised parents', () => {
  it('agree with RDKit MolStandardize (FragmentParent, Uncharger) on >= 99% of both shared files', async () => {
    const rdkit = await loadRdkit()
    const smiles = distinctSmiles()
    expect(smiles.length).toBeGreaterThan(9000)
    const reference = referenceStandardised(smiles)
    let compared = 0
    let changedByReference = 0
    const disagreements: string[] = []
    for (const [i, s] of smiles.entries()) {
      const ref = reference[i]
      if (ref === null || ref === undefined) continue
      // Both sides written by the same RDKit, so equal structures give equal strings.
      const expected = canonicalSmiles(rdkit, ref)
      const ours = standardiseSmiles(rdkit, s)
      compared++
      if (expected !== canonicalSmiles(rdkit, s)) changedByReference++
      if (ours?.smiles !== expected)
        disagreements.push(`${s}: ours ${ours?.smiles}, RDKit ${expected}`)
    }
    // Disagreements seen on the 9,206 distinct SMILES: 1. The trifluoroacetate salt of a
    // charged iminium (O=C1C2=C3C4=[N+](CCc5...) is rewritten by FragmentParent's cleanup step
    // (Normalizer/Reionizer move the charge and a proton into a neutral tautomer); these rules do
    // not normalise or reionise, so the iminium stays charged. Listed when the test runs.
    if (disagreements.length > 0) console.log(disagreements.join('\n'))
    // The check must be able to fail: the files really contain salts and charged parents.
    expect(changedByReference).toBeGreaterThan(500)
    expect(compared).toBeGreaterThan(9000)
    expect(1 - disagreements.length / compared).toBeGreaterThanOrEqual(0.99)
  }, 240_000)

  it('strips the sodium salt and neutralises the carboxylate, naming both', async () => {
    const rdkit = await loadRdkit()
    const s = standardiseSmiles(rdkit, 'O=C([O-])c1ccccc1.[Na+]')
    expect(s?.smiles).toBe(canonicalSmiles(rdkit, 'OC(=O)c1ccccc1'))
    expect(s?.changes.map((c) => c.text)).toEqual([
      'salt or solvent removed: [Na+]',
      'carboxylate neutralised',
    ])
  })

  it('leaves quaternary ammonium and a neutral parent alone', async () => {
    const rdkit = await loadRdkit()
    expect(standardiseSmiles(rdkit, 'C[N+](C)(C)C.[Cl-]')?.smiles).toBe('C[N+](C)(C)C')
    const plain = standardiseSmiles(rdkit, 'CCO')
    expect(plain).toEqual({ smiles: 'CCO', changes: [] })
  })

  it("gives the aromatase salt a logP close to the file's AlogP 1.40", async () => {
    const rdkit = await loadRdkit()
    const rows = readTable(AROMATASE, ';').rows
    // The compound the issue names: the file's AlogP 1.40, RDKit's Crippen logP -8.61 as recorded.
    const salt = rows.find((r) => {
      if (r.AlogP !== '1.40' || !r.Smiles?.includes('.')) return false
      const d = computeDescriptors(rdkit, r.Smiles)
      return d !== null && Math.abs((d.CrippenClogP ?? 0) + 8.61) < 0.01
    })
    expect(salt?.Smiles).toBeDefined()
    const parent = standardiseSmiles(rdkit, salt?.Smiles ?? '')
    const logP = computeDescriptors(rdkit, parent?.smiles ?? '')?.CrippenClogP
    expect(Math.abs((logP ?? 99) - 1.4)).toBeLessThan(0.5)
  })
})
