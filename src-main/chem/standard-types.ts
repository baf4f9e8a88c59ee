import { nanomolarFactor } from './units'

/*
 * ChEMBL has dozens of standard types, and some are already logarithms: pIC50, pKi, Log IC50,
 * -Log Ki, log(1/C), ... Their value is not a concentration. Read as one, "pIC50 0.155 uM"
 * became 155 nM and "Log IC50 3.45 nM" became 3.45 nM. Types are recognised by the shape of
 * their name (a p, log or -log prefix, then the quantity) and their units, not by a short list,
 * and a type is a potency only when its quantity is a half-maximal or binding constant.
 */

/** How a type's value relates to its quantity: the quantity itself, or a logarithm of it. */
export type TypeScale =
  /** the value is the concentration (IC50 in nM) */
  | 'linear'
  /** pX: -log10 of the molar value, by definition (pIC50, pKi, pA2) */
  | 'p'
  /** -log10 of the value in the given units (-Log IC50, log(1/C)); molar when no unit is given */
  | 'neg-log'
  /** log10 of the value in the given units (Log IC50, logKi) */
  | 'log'

/**
 * potency: a concentration that measures how strongly a compound acts (IC50, Ki, EC50, ...);
 * kinetic: a kinetic constant that is a concentration but not a potency (Km);
 * other: anything else (% inhibition, ratios, rates, logP, pKa, ...).
 */
export type TypeKind = 'potency' | 'kinetic' | 'other'

export interface StandardTypeInfo {
  scale: TypeScale
  kind: TypeKind
  /** the quantity without its log prefix, as written ("IC50" for "Log IC50") */
  quantity: string
  /** a unit written in the name itself, as in "Log IC50 (M)" */
  unitInName: string | null
}

/** Half-maximal concentrations and doses: IC50, EC90, XC50, GI50, CC50, ED50, ... */
const HALF_MAXIMAL = /^(ic|ec|ac|xc|gi|cc|lc|ld|ed|tc|id)\d{1,3}$/
/** Equilibrium constants that measure affinity, and the other potencies ChEMBL reports. */
const POTENCY = new Set(['ki', 'kd', 'kb', 'potency', 'mic', 'a2', 'd2', 'c'])
const KINETIC = new Set(['km'])

/** "Ki app", "IC50 (apparent)" and "Ki" are the same quantity. */
function quantityKey(quantity: string): string {
  return quantity
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .replace(/(app|apparent)$/, '')
}

export function quantityKind(quantity: string): TypeKind {
  const key = quantityKey(quantity)
  if (HALF_MAXIMAL.test(key) || POTENCY.has(key)) return 'potency'
  if (KINETIC.has(key)) return 'kinetic'
  return 'other'
}

const UNIT_IN_NAME = /\s*\(\s*(M|mM|uM|µM|μM|nM|pM|mol\/L|mol\.L-1)\s*\)\s*$/

/** What a standard type's name says about its scale and its quantity. */
export function describeStandardType(type: string | null | undefined): StandardTypeInfo {
  let name = (type ?? '').trim()
  let unitInName: string | null = null
  const unit = UNIT_IN_NAME.exec(name)
  if (unit) {
    unitInName = unit[1] as string
    name = name.slice(0, unit.index)
  }
  const scaled = (scale: TypeScale, quantity: string): StandardTypeInfo => {
    const q = quantity
      .trim()
      .replace(/^\((.*)\)$/, '$1')
      .trim()
    return { scale, kind: quantityKind(q), quantity: q, unitInName }
  }
  // log(1/C), Log 1/IC50: the negative log of the quantity
  const inverse = /^log\s*(?:10)?\s*\(?\s*1\s*\/\s*(.+?)\s*\)?$/i.exec(name)
  if (inverse) return scaled('neg-log', inverse[1] as string)
  const negLog = /^[-−]\s*log\s*(?:10)?[\s_(]*(.+?)\)?$/i.exec(name)
  if (negLog) return scaled('neg-log', negLog[1] as string)
  const log = /^log\s*(?:10)?[\s_(]*(.+?)\)?$/i.exec(name)
  if (log) return scaled('log', log[1] as string)
  // a lower-case p before a capital: pIC50, pKi, pA2 (and pKa, pH, which are not potencies)
  const p = /^p\s?([A-Z].*)$/.exec(name)
  if (p) return scaled('p', p[1] as string)
  return { scale: 'linear', kind: quantityKind(name), quantity: name, unitInName }
}

/** Whether the type is a potency, a kinetic constant or something else, whatever its scale. */
export function standardTypeKind(type: string | null | undefined): TypeKind {
  return describeStandardType(type).kind
}

export type LogScaleProblem = 'log-scale-ambiguous' | 'log-scale-not-potency'

/**
 * The pActivity (= 9 - log10 of the value in nM) of a value of a log-scale type, or why it has
 * none; null for a type that is not on a log scale (its value is converted as a concentration).
 * pX is the value; log10 of a molar value gives -value; log10 of an nM value gives 9 - value.
 */
export function pActivityFromLogType(
  type: string | null | undefined,
  value: number,
  units: string | null | undefined,
): { pActivity: number } | { problem: LogScaleProblem; detail: string } | null {
  const info = describeStandardType(type)
  if (info.scale === 'linear') return null
  if (info.kind === 'other')
    return {
      problem: 'log-scale-not-potency',
      detail: `${type} is a logarithm of ${info.quantity}, which is not a concentration like IC50 or Ki, so it has no pActivity`,
    }
  const column = units?.trim() || null
  if (column && info.unitInName && nanomolarFactor(column) !== nanomolarFactor(info.unitInName))
    return {
      problem: 'log-scale-ambiguous',
      detail: `${type} names ${info.unitInName} but its units say ${column}`,
    }
  const unit = column ?? info.unitInName
  const factor = unit === null ? null : nanomolarFactor(unit)
  if (unit !== null && factor === null)
    return {
      problem: 'log-scale-ambiguous',
      detail: `${type} is a logarithm, but its unit ${unit} is not a concentration`,
    }
  switch (info.scale) {
    case 'p':
      // A pX is -log10 of a molar value; a concentration unit beside it means the source wrote
      // something else (often log10 of a µM value) and nothing says which.
      if (factor === null || factor === 1e9) return { pActivity: value }
      return {
        problem: 'log-scale-ambiguous',
        detail: `${type} is by definition -log10 of a molar value, but its unit is ${unit}: the value may be a log of ${unit} instead; check the source`,
      }
    case 'neg-log':
      // -log10(x in unit) = value, so x in nM = 10^-value * factor
      return { pActivity: factor === null ? value : 9 + value - Math.log10(factor) }
    case 'log':
      if (factor === null)
        return {
          problem: 'log-scale-ambiguous',
          detail: `${type} has no unit, so it cannot tell whether it is log10 of a molar, µM or nM value`,
        }
      return { pActivity: 9 - value - Math.log10(factor) }
  }
}
