import type { FeatureSet } from '../contract'
import { DESCRIPTORS_2D } from './descriptors'

/** The seed features, named as ChEMBL names them, in model order. */
export const CORE4 = ['mw_freebase', 'alogp', 'hba', 'hbd'] as const
export const MORGAN_BITS = 2048

/** What a compound offers a feature set. */
export interface CompoundFeatures {
  mw_freebase: number | null
  alogp: number | null
  hba: number | null
  hbd: number | null
  /** RDKit's get_descriptors() values by name (the "physchem-43" set) */
  descriptors: Record<string, number> | null
  /** RDKit's 2D descriptors by descList name (the "physchem" set); absent names are NaN */
  descriptors2d?: Record<string, number> | null
  /** 2048 bits packed in 256 bytes, bit i in byte i >> 3 at mask 1 << (i & 7) */
  morgan: Uint8Array | null
}

/** Whether a set ends with the Morgan fingerprint bits. */
export function hasMorgan(set: FeatureSet): boolean {
  return set === 'physchem+morgan' || set === 'physchem-43+morgan'
}

/** Whether a set's descriptors are MinimalLib's 43 (get_descriptors), not RDKit's 2D set. */
export function isPhyschem43(set: FeatureSet): boolean {
  return set === 'physchem-43' || set === 'physchem-43+morgan'
}

/** The 2D descriptor names a compound has, in descList order: a "physchem" model's columns. */
export function descriptors2dNames(computed: Record<string, number>): string[] {
  return DESCRIPTORS_2D.filter((n) => n in computed)
}

/** Feature names of a set; `descriptorNames` fixes the physchem order (from the training data). */
export function featureNames(set: FeatureSet, descriptorNames: readonly string[]): string[] {
  if (set === 'core4') return [...CORE4]
  const names = [...descriptorNames]
  if (hasMorgan(set)) for (let i = 0; i < MORGAN_BITS; i++) names.push(`morgan_${i}`)
  return names
}

/**
 * Writes a compound's features for a set into `out` at `offset`. Returns the name of the first
 * missing input (so the row can be excluded with a reason), or null when the row is complete.
 */
export function writeFeatures(
  set: FeatureSet,
  descriptorNames: readonly string[],
  c: CompoundFeatures,
  out: Float32Array,
  offset: number,
): string | null {
  if (set === 'core4') {
    for (const [k, name] of CORE4.entries()) {
      const v = c[name]
      if (v === null || !Number.isFinite(v)) return name
      out[offset + k] = v
    }
    return null
  }
  const descriptors = isPhyschem43(set) ? c.descriptors : (c.descriptors2d ?? null)
  if (!descriptors) return 'descriptors'
  for (const [k, name] of descriptorNames.entries()) {
    const v = descriptors[name]
    out[offset + k] = typeof v === 'number' ? v : NaN
  }
  if (!hasMorgan(set)) return null
  if (!c.morgan || c.morgan.length * 8 < MORGAN_BITS) return 'morgan fingerprint'
  const base = offset + descriptorNames.length
  for (let i = 0; i < MORGAN_BITS; i++) out[base + i] = ((c.morgan[i >> 3] ?? 0) >> (i & 7)) & 1
  return null
}

/** Units of each feature, for the model card and the ONNX metadata. */
export function featureUnits(names: readonly string[]): Record<string, string> {
  const units: Record<string, string> = {}
  for (const n of names) {
    units[n] =
      n === 'mw_freebase' ||
      n === 'amw' ||
      n === 'exactmw' ||
      n === 'MolWt' ||
      n === 'HeavyAtomMolWt' ||
      n === 'ExactMolWt'
        ? 'g/mol'
        : n === 'tpsa' || n === 'labuteASA' || n === 'TPSA' || n === 'LabuteASA'
          ? 'Å²'
          : n.startsWith('morgan_')
            ? 'bit'
            : n === 'alogp' || n === 'CrippenClogP' || n === 'MolLogP'
              ? 'log units'
              : 'count or index'
  }
  return units
}
