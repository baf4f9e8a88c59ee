import { describe, expect, it } from 'vitest'
import { nanomolarFactor, normaliseRelation, pActivityFromNm } from '../../src-main/chem/units'

describe('units', () => {
  it('converts concentrations to nM', () => {
    expect(nanomolarFactor('nM')).toBe(1)
    expect(nanomolarFactor('uM')).toBe(1000)
    expect(nanomolarFactor('µM')).toBe(1000)
    expect(nanomolarFactor('μM')).toBe(1000)
    expect(nanomolarFactor('mM')).toBe(1e6)
    expect(nanomolarFactor('M')).toBe(1e9)
    expect(nanomolarFactor('pM')).toBe(1e-3)
    expect(nanomolarFactor('umol/L')).toBe(1000)
    expect(nanomolarFactor('nmol/L')).toBe(1)
  })

  it("reads ChEMBL's exponent forms", () => {
    // 10'-6M: a value of 3 means 3 x 10^-6 M = 3000 nM
    expect(3 * (nanomolarFactor("10'-6M") as number)).toBeCloseTo(3000, 9)
    // 10'5pM: 9.14 x 10^5 pM = 914 nM
    expect(9.14 * (nanomolarFactor("10'5pM") as number)).toBeCloseTo(914, 9)
    expect(nanomolarFactor("10'-4microM")).toBeCloseTo(0.1, 12)
  })

  it('refuses units it cannot convert with certainty', () => {
    for (const unit of [
      '%',
      'ug.mL-1',
      'mg kg-1',
      'pmol/min',
      'uM/L',
      '*10e-3',
      '',
      null,
      'nM-1',
      "10'-6",
    ]) {
      expect(nanomolarFactor(unit), String(unit)).toBeNull()
    }
  })

  it('puts potency on the pChEMBL scale', () => {
    expect(pActivityFromNm(1)).toBe(9)
    expect(pActivityFromNm(1000)).toBeCloseTo(6, 12)
    expect(pActivityFromNm(750)).toBeCloseTo(6.1249, 4) // ChEMBL gives pChEMBL 6.12 for 750 nM
  })

  it('normalises relations', () => {
    expect(normaliseRelation("'='")).toBe('=')
    expect(normaliseRelation("'>='")).toBe('>=')
    expect(normaliseRelation('>>')).toBe('>>')
    expect(normaliseRelation(' ~ ')).toBe('~')
    expect(normaliseRelation('=>')).toBeNull()
    expect(normaliseRelation('about')).toBeNull()
  })
})
