/** Concentration units as multiples of 1 nM. */
const NM_FACTORS: Record<string, number> = {
  fm: 1e-6,
  pm: 1e-3,
  nm: 1,
  um: 1e3,
  mm: 1e6,
  m: 1e9,
  // molar as amount per litre, spelled out
  'fmol/l': 1e-6,
  'pmol/l': 1e-3,
  'nmol/l': 1,
  'umol/l': 1e3,
  'mmol/l': 1e6,
  'mol/l': 1e9,
  nanomolar: 1,
  micromolar: 1e3,
  millimolar: 1e6,
  molar: 1e9,
}

const PREFIX_FACTORS: Record<string, number> = {
  fm: 1e-6,
  pm: 1e-3,
  nm: 1,
  um: 1e3,
  microm: 1e3,
  mm: 1e6,
  m: 1e9,
}

function canonicalUnit(unit: string): string {
  return unit.trim().replace(/[µμ]/g, 'u').replace(/\s+/g, '').toLowerCase()
}

/**
 * The factor that turns a value in `unit` into nM, or null when the unit is not a concentration
 * this importer can convert with certainty (%, ug.mL-1 without a molecular weight, rates, …).
 * ChEMBL's exponent forms are understood: `10'-6M` is 1e-6 M, `10'5pM` is 1e5 pM.
 */
export function nanomolarFactor(unit: string | null | undefined): number | null {
  if (!unit) return null
  const u = canonicalUnit(unit)
  const direct = NM_FACTORS[u]
  if (direct !== undefined) return direct
  const exponent = /^10'(-?\d{1,2})(fm|pm|nm|um|microm|mm|m)$/.exec(u)
  if (exponent) {
    const prefix = PREFIX_FACTORS[exponent[2] as string]
    if (prefix !== undefined) return 10 ** Number(exponent[1]) * prefix
  }
  return null
}

/** pActivity = 9 - log10(value in nM), the same scale as pChEMBL. */
export function pActivityFromNm(nm: number): number {
  return 9 - Math.log10(nm)
}

export function nmFromPActivity(p: number): number {
  return 10 ** (9 - p)
}

export const RELATIONS = ['=', '<', '>', '<=', '>=', '~', '<<', '>>'] as const
export type Relation = (typeof RELATIONS)[number]

/** `'='` (the web export's quoting) and `=` are the same relation; anything else unknown is null. */
export function normaliseRelation(text: string): Relation | null {
  // the two spellings nearly every row uses, without the general clean-up
  if (text === '=' || text === "'='") return '='
  const r = text
    .trim()
    .replace(/^'+|'+$/g, '')
    .trim()
  return (RELATIONS as readonly string[]).includes(r) ? (r as Relation) : null
}
