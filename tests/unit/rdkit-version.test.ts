import { describe, expect, it } from 'vitest'
import { rdkitVersionString } from '../../src-main/chem/rdkit-version'

describe('RDKit version string', () => {
  it('writes every form of one release as RDKit names it (year.two-digit month.patch)', () => {
    for (const raw of [
      '2026.09.1',
      '2026.9.1',
      '2026.09.1-wasm',
      ' 2026.9.1+build7 ',
      'v2026.09.1',
    ])
      expect(rdkitVersionString(raw), raw).toBe('2026.09.1')
    expect(rdkitVersionString('2022.3.5')).toBe('2022.03.5')
    expect(rdkitVersionString('2023.09.1b1')).toBe('2023.09.1b1')
    expect(rdkitVersionString('2024.3.10-wasm')).toBe('2024.03.10')
  })

  it('leaves what is not a release number as it is', () => {
    expect(rdkitVersionString('unknown')).toBe('unknown')
    expect(rdkitVersionString(null)).toBeNull()
  })
})
