import { describe, expect, it } from 'vitest'
import { requiredElements } from '../../src-main/chem/descriptors/smarts-elements'

const needs = (smarts: string) => requiredElements(smarts).sort((a, b) => a - b)

// The pre-filter may only skip a substructure search that cannot match: every element it names
// must be one that any match has to contain. Expectations are read off the SMARTS by hand.
describe('elements a SMARTS pattern cannot match without', () => {
  it('names the elements of plain and bracket atoms at the top level', () => {
    expect(needs('C(=O)-[NH2]')).toEqual([6, 7, 8])
    expect(needs('s1cccc1')).toEqual([6, 16])
    expect(needs('[CX4]-[Cl,Br,I,F]')).toEqual([6])
    expect(needs('ClCBr')).toEqual([6, 17, 35])
    expect(needs('[#6]S(=O)(=O)O[#6]')).toEqual([6, 8, 16])
    expect(needs('[15N]')).toEqual([7])
    expect(needs('[Si][F,Cl,Br,I]')).toEqual([14])
    expect(needs('[Se]')).toEqual([34])
  })

  it('keeps an element every alternative of an OR shares, and the first part of a low AND', () => {
    expect(needs('[N+0X3R0,nX3R0]')).toEqual([7])
    expect(needs('[O;H1,-]')).toEqual([8])
    expect(needs('[C!$(C=O)]-[OH]')).toEqual([6, 8])
  })

  it('names nothing for alternatives, negations, wildcards, recursion or unknown letter pairs', () => {
    expect(needs('[O,S]')).toEqual([])
    expect(needs('[!#6;!#1]')).toEqual([])
    expect(needs('[R2][R2]')).toEqual([])
    expect(needs('[$([A;R][!a])]')).toEqual([])
    expect(needs('*~[Hg,Fe,As]')).toEqual([])
    // cobalt and aromatic arsenic are not carbon or sulfur
    expect(needs('[Co]')).toEqual([])
    expect(needs('[as]')).toEqual([])
    // a recursive pattern's atoms need not be the matched atom's element
    expect(needs('[$(N-C)]')).toEqual([])
  })
})
