import { beforeAll, describe, expect, it } from 'vitest'
import type { Mol } from '@rdkit/rdkit'
import { molGraph } from '../../src-main/chem/mol-graph'
import { type RDKit, loadRdkit } from '../../src-main/chem/rdkit'
import { bcut2d, symmetricEigenvalues } from '../../src-main/chem/descriptors/bcut'
import { crippenAtomContribs } from '../../src-main/chem/descriptors/crippen'
import { estateIndices } from '../../src-main/chem/descriptors/estate'
import {
  chargeExtremes,
  gasteigerCharges,
  hybridisations,
} from '../../src-main/chem/descriptors/gasteiger'
import { labuteAtomContribs } from '../../src-main/chem/descriptors/labute'
import { PEOE_BINS, binnedSums, upperBound } from '../../src-main/chem/descriptors/vsa'

let rdkit: RDKit
beforeAll(async () => {
  rdkit = await loadRdkit()
})

function withMol<T>(smiles: string, f: (mol: Mol) => T): T {
  const mol = rdkit.get_mol(smiles)
  if (!mol) throw new Error(`RDKit cannot read ${smiles}`)
  try {
    return f(mol)
  } finally {
    mol.delete()
  }
}

describe('EState indices', () => {
  it('ethanol by hand: I = (4/N²·δv + 1)/δ, perturbed by ΔI/(d+1)²', () => {
    // C1: I = 2; C2: I = (1·2 + 1)/2 = 1.5; O: I = (1·5 + 1)/1 = 6
    // C1 += (2-1.5)/4 + (2-6)/9; C2 += -(2-1.5)/4 + (1.5-6)/4; O += (6-2)/9 + (6-1.5)/4
    const e = withMol('CCO', (m) => estateIndices(molGraph(m)))
    expect(e[0]).toBeCloseTo(2 + 0.5 / 4 - 4 / 9, 12)
    expect(e[1]).toBeCloseTo(1.5 - 0.5 / 4 - 4.5 / 4, 12)
    expect(e[2]).toBeCloseTo(6 + 4 / 9 + 4.5 / 4, 12)
  })

  it('leaves atoms of different fragments unperturbed by each other', () => {
    const e = withMol('C.C', (m) => estateIndices(molGraph(m)))
    // an isolated atom has no degree: intrinsic state 0, nothing to perturb it
    expect(e).toEqual([0, 0])
  })
})

describe('symmetric eigenvalues', () => {
  it('the path graph on n atoms has eigenvalues 2cos(kπ/(n+1))', () => {
    const n = 7
    const a = new Float64Array(n * n)
    for (let i = 0; i + 1 < n; i++) {
      a[i * n + i + 1] = 1
      a[(i + 1) * n + i] = 1
    }
    const expected = Array.from(
      { length: n },
      (_, k) => 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)),
    )
    expected.sort((x, y) => x - y)
    const ev = [...symmetricEigenvalues(a, n)]
    ev.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12))
  })

  it('a diagonal matrix gives its diagonal, sorted', () => {
    const a = new Float64Array([3, 0, 0, 0, -1, 0, 0, 0, 2])
    expect([...symmetricEigenvalues(a, 3)]).toEqual([-1, 2, 3])
  })
})

describe('BCUT2D', () => {
  it('benzene: a circulant Burden matrix, eigenvalues m + 2c·cosθ + ε(2cos2θ + cos3θ)', () => {
    const c = 1 / Math.sqrt(1.5)
    const eps = 0.001
    const b = withMol('c1ccccc1', (m) => {
      const g = molGraph(m)
      const q = gasteigerCharges(g)
      const cr = crippenAtomContribs(rdkit, m, g)
      return bcut2d(g, q.charges, cr.logp, cr.mr)
    })
    // RDKit's atomic weight of carbon is 12.011; θ = 0 gives the highest, θ = π the lowest
    expect(b.BCUT2D_MWHI).toBeCloseTo(12.011 + 2 * c + 3 * eps, 10)
    expect(b.BCUT2D_MWLOW).toBeCloseTo(12.011 - 2 * c + eps, 10)
    // every aromatic CH is Crippen type C18: logP 0.1581, MR 3.35
    expect(b.BCUT2D_LOGPHI).toBeCloseTo(0.1581 + 2 * c + 3 * eps, 10)
    expect(b.BCUT2D_MRLOW).toBeCloseTo(3.35 - 2 * c + eps, 10)
  })

  it('is NaN when an atom has no Gasteiger parameters, as RDKit descList reports it', () => {
    const b = withMol('[Pt+2].[Cl-].[Cl-]', (m) => {
      const g = molGraph(m)
      const q = gasteigerCharges(g)
      expect(q.allParametrised).toBe(false)
      const cr = crippenAtomContribs(rdkit, m, g)
      return bcut2d(g, q.allParametrised ? q.charges : null, cr.logp, cr.mr)
    })
    expect(Object.values(b).every(Number.isNaN)).toBe(true)
  })
})

describe('Crippen atom contributions', () => {
  it('ethanol: CH3 next to C is C1, CH2 next to O is C3, the OH oxygen O2', () => {
    const c = withMol('CCO', (m) => crippenAtomContribs(rdkit, m, molGraph(m)))
    expect(c.logp).toEqual([0.1441, -0.2035, -0.2893])
    expect(c.mr).toEqual([2.503, 2.753, 0.8238])
  })

  it('types every CH2 of cyclopropane as C1, not only where one symmetric match starts', () => {
    const c = withMol('C1CC1', (m) => crippenAtomContribs(rdkit, m, molGraph(m)))
    expect(c.logp).toEqual([0.1441, 0.1441, 0.1441])
  })

  it("with no hydrogens the atoms' sum is MinimalLib's CrippenClogP and CrippenMR", () => {
    for (const smiles of [
      'ClC(Cl)(Cl)Cl',
      'FC(F)(F)C(F)(F)F',
      'O=C=O',
      'N#CC#N',
      'BrC(Br)=C(Br)Br',
    ]) {
      withMol(smiles, (m) => {
        const c = crippenAtomContribs(rdkit, m, molGraph(m))
        const d = JSON.parse(m.get_descriptors()) as Record<string, number>
        expect(c.logp.reduce((s, x) => s + x, 0)).toBeCloseTo(d.CrippenClogP!, 10)
        expect(c.mr.reduce((s, x) => s + x, 0)).toBeCloseTo(d.CrippenMR!, 10)
      })
    }
  })
})

describe('Labute ASA contributions', () => {
  it("sum, with the hydrogen term, to MinimalLib's labuteASA", () => {
    const smiles = [
      'CCO',
      'c1ccc2[nH]ccc2c1',
      'CC(=O)Nc1ccc(O)cc1',
      'C#N',
      'O=[N+]([O-])c1ccccc1',
      'CS(=O)(=O)N',
      'FC(F)(F)Cl',
      'OB(O)c1ccccc1',
      'C[Si](C)(C)C',
      '[Na+].[Cl-]',
    ]
    for (const s of smiles) {
      withMol(s, (m) => {
        const l = labuteAtomContribs(molGraph(m))
        const d = JSON.parse(m.get_descriptors()) as Record<string, number>
        expect(l.atoms.reduce((a, x) => a + x, 0) + l.hydrogens).toBeCloseTo(d.labuteASA!, 10)
      })
    }
  })
})

describe('Gasteiger charges', () => {
  it('conserve charge: a neutral molecule sums to 0 over heavy atoms and hydrogens', () => {
    for (const s of ['CCO', 'CC(=O)Nc1ccc(O)cc1', 'c1ccncc1', 'CS(=O)(=O)N', 'ClCCBr']) {
      const q = withMol(s, (m) => gasteigerCharges(molGraph(m)))
      const total = [...q.charges, ...q.hCharges].reduce((a, x) => a + x, 0)
      expect(Math.abs(total)).toBeLessThan(1e-12)
      expect(q.allParametrised).toBe(true)
    }
  })

  it("ethanol: oxygen most negative, the hydroxyl's carbon positive", () => {
    const q = withMol('CCO', (m) => gasteigerCharges(molGraph(m)))
    const x = chargeExtremes(q.charges)
    expect(x.MinPartialCharge).toBe(q.charges[2])
    expect(x.MaxPartialCharge).toBe(q.charges[1])
    expect(q.charges[1]!).toBeGreaterThan(0)
  })

  it('hybridisation: an amide N and a phenol O are sp2 by conjugation, an amine N sp3', () => {
    const h = withMol('CC(=O)Nc1ccc(O)cc1.CN', (m) => hybridisations(molGraph(m)))
    expect(h[3]).toBe('SP2')
    expect(h[8]).toBe('SP2')
    expect(h[11]).toBe('SP3')
    expect(h[0]).toBe('SP3')
    expect(h[2]).toBe('SP2')
  })
})

describe('VSA binning', () => {
  it('bins as upper_bound/bisect_right: a value on an edge goes to the bin above it', () => {
    expect(upperBound(PEOE_BINS, -0.3)).toBe(1)
    expect(upperBound(PEOE_BINS, -0.31)).toBe(0)
    expect(upperBound(PEOE_BINS, 0)).toBe(7)
    expect(upperBound(PEOE_BINS, 0.3)).toBe(13)
    expect(upperBound(PEOE_BINS, NaN)).toBe(13)
    expect(binnedSums([0, 1], [-1, 0.5, 0.5, 2], [1, 2, 3, 4])).toEqual([1, 5, 4])
  })
})
