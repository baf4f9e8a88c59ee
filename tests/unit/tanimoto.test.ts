import { describe, expect, it } from 'vitest'
import { MORGAN_BITS, computeMolecule, loadRdkit } from '../../src-main/chem/rdkit'
import { bitCount, tanimoto } from '../../src-main/chem/tanimoto'
import { AROMATASE, readTable } from '../reference-csv'
import { referenceTanimoto } from '../rdkit-reference'

describe('Tanimoto similarity', () => {
  it('counts by hand on small fingerprints', () => {
    // a = bits {0, 1, 2, 9}, b = bits {1, 2, 3}: both {1, 2} = 2, either {0, 1, 2, 3, 9} = 5
    const a = Uint8Array.of(0b0000_0111, 0b0000_0010)
    const b = Uint8Array.of(0b0000_1110, 0)
    expect(bitCount(a)).toBe(4)
    expect(bitCount(b)).toBe(3)
    expect(tanimoto(a, b)).toBe(2 / 5)
    expect(tanimoto(b, a)).toBe(2 / 5)
    expect(tanimoto(a, a)).toBe(1)
    expect(tanimoto(a, new Uint8Array(2))).toBe(0)
    // RDKit calls two empty fingerprints identical
    expect(tanimoto(new Uint8Array(2), new Uint8Array(2))).toBe(1)
    expect(() => tanimoto(a, new Uint8Array(3))).toThrow(/differ in length/)
  })

  it("agrees with RDKit's Python TanimotoSimilarity on real aromatase compounds", async () => {
    const { rows } = readTable(AROMATASE, ';')
    // a spread of real structures: every 400th distinct SMILES of the export, plus two near
    // relatives (a methyl added, a ring atom changed) so some pairs are close
    const distinct = [...new Set(rows.map((r) => r.Smiles ?? '').filter((s) => s !== ''))]
    const smiles = distinct.filter((_, i) => i % 400 === 0)
    expect(smiles.length).toBeGreaterThanOrEqual(8)
    smiles.push('Cc1ccc(cc1)C(c1ccncc1)n1ccnc1', 'Cc1ccc(cc1)C(c1cccnc1)n1ccnc1')
    const rdkit = await loadRdkit()
    const fps = smiles.map((s) => {
      const m = computeMolecule(rdkit, s)
      if (!m) throw new Error(`RDKit (JS) cannot read ${s}`)
      expect(m.morgan).toHaveLength(MORGAN_BITS / 8)
      return m.morgan
    })
    const reference = referenceTanimoto(smiles)
    let compared = 0
    let between = 0
    for (let i = 0; i < smiles.length; i++)
      for (let j = 0; j < smiles.length; j++) {
        const expected = reference[i]?.[j]
        if (typeof expected !== 'number') throw new Error(`no reference for ${smiles[i]}`)
        expect(tanimoto(fps[i] as Uint8Array, fps[j] as Uint8Array), `${i},${j}`).toBeCloseTo(
          expected,
          12,
        )
        compared++
        if (expected > 0.2 && expected < 1) between++
      }
    expect(compared).toBe(smiles.length ** 2)
    // the pairs are not all trivial (identical or unrelated)
    expect(between).toBeGreaterThan(0)
  })
})
