import { describe, expect, it } from 'vitest'
import { type ContextRecord, contextNumbering } from '../../src-main/engine/import/row-batches'

const base: ContextRecord = {
  standardType: 'IC50',
  standardUnits: 'nM',
  assayChemblId: 'CHEMBL1',
  targetChemblId: 'CHEMBL1978',
  targetName: 'Aromatase',
  documentChemblId: 'CHEMBL9',
  documentYear: 2001,
}

describe('activity context numbering', () => {
  it('gives one number per distinct combination, telling apart every column, NULL and the text "null"', () => {
    const variants: ContextRecord[] = [
      base,
      { ...base, standardType: 'Ki' },
      { ...base, standardUnits: 'uM' },
      { ...base, assayChemblId: 'CHEMBL2' },
      { ...base, targetChemblId: 'CHEMBL2' },
      { ...base, targetName: 'CYP19A1' },
      { ...base, documentChemblId: 'CHEMBL10' },
      { ...base, documentYear: 2002 },
      { ...base, documentYear: null },
      { ...base, standardUnits: null },
      { ...base, standardUnits: 'null' },
      { ...base, assayChemblId: null },
    ]
    const number = contextNumbering()
    const fresh: ContextRecord[] = []
    // each variant twice, in an order where the previous row is rarely the same
    const order = [...variants, ...variants.toReversed(), ...variants]
    const numbers = order.map((c) => number({ ...c }, fresh))
    expect(numbers.slice(0, variants.length)).toEqual(variants.map((_, i) => i))
    expect(numbers.slice(variants.length, 2 * variants.length)).toEqual(
      variants.map((_, i) => variants.length - 1 - i),
    )
    expect(numbers.slice(2 * variants.length)).toEqual(variants.map((_, i) => i))
    expect(fresh).toEqual(variants)
  })
})
