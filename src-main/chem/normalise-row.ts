import type { Field, Mapping } from './columns'
import {
  type Relation,
  nanomolarFactor,
  nmFromPActivity,
  normaliseRelation,
  pActivityFromNm,
} from './units'

/** Why a row could not be imported. Stable: stored with the row and shown to users. */
export const REJECTION_REASONS = [
  'no-structure',
  'invalid-smiles',
  'missing-value',
  'non-numeric-value',
  'out-of-range',
  'invalid-relation',
  'wrong-field-count',
  'line-too-long',
  'unterminated-quote',
] as const
export type RejectionReason = (typeof REJECTION_REASONS)[number]

/** Why an accepted measurement cannot train a model (it is kept all the same). */
export type UnusableReason =
  'censored' | 'unit-not-convertible' | 'no-relation' | 'implausible-value'

export interface Rejection {
  reason: RejectionReason
  detail: string
}

export interface ActivityValues {
  standardType: string | null
  relation: Relation | null
  standardValue: number | null
  standardUnits: string | null
  valueNm: number | null
  pActivity: number | null
  pchembl: number | null
  usable: boolean
  unusableReason: UnusableReason | null
  assayChemblId: string | null
  targetChemblId: string | null
  targetName: string | null
  documentChemblId: string | null
  documentYear: number | null
}

export interface NormalisedRow {
  moleculeChemblId: string | null
  name: string | null
  smiles: string | null
  /** seed features as the file gives them */
  mw: number | null
  alogp: number | null
  hba: number | null
  hbd: number | null
  activity: ActivityValues | null
}

export const LIMITS = {
  mw: { min: 0, max: 5000 },
  alogp: { min: -30, max: 30 },
  counts: { min: 0, max: 200 },
  // above 10^10 nM (10 M) a concentration cannot be real: kept, but never used for training
  plausibleNm: 1e10,
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const EMPTY = new Set(['', 'none', 'null', 'nan', 'na', 'n/a'])

type Parsed = { ok: true; value: number | null } | { ok: false; rejection: Rejection }

function text(fields: string[], index: number | undefined): string | null {
  if (index === undefined) return null
  let value = fields[index] ?? ''
  if (value.length === 0) return null
  // trim and case-fold only when they can matter: this runs for every mapped cell of every row
  const first = value.charCodeAt(0)
  const last = value.charCodeAt(value.length - 1)
  if (first <= 32 || last <= 32) {
    value = value.trim()
    if (value.length === 0) return null
  }
  return value.length <= 4 && EMPTY.has(value.toLowerCase()) ? null : value
}

/**
 * A cell read as a number the way the importer reads one: empty and the markers ChEMBL and
 * pandas write for nothing (None, NaN, NA, ...) are null; other text is 'not-a-number'.
 */
export function cellNumber(
  fields: string[],
  index: number | undefined,
): number | null | 'not-a-number' {
  const t = text(fields, index)
  if (t === null) return null
  return NUMBER.test(t) ? Number(t) : 'not-a-number'
}

function number(fields: string[], index: number | undefined, label: string): Parsed {
  const t = text(fields, index)
  if (t === null) return { ok: true, value: null }
  if (!NUMBER.test(t)) {
    return {
      ok: false,
      rejection: {
        reason: 'non-numeric-value',
        detail: `${label} "${t.slice(0, 40)}" is not a number`,
      },
    }
  }
  const value = Number(t)
  if (!Number.isFinite(value))
    return {
      ok: false,
      rejection: { reason: 'out-of-range', detail: `${label} ${t} is too large` },
    }
  return { ok: true, value }
}

function outOfRange(label: string, value: number, min: number, max: number, unit = ''): Rejection {
  return {
    reason: 'out-of-range',
    detail: `${label} ${value}${unit} is outside ${min}–${max}${unit}`,
  }
}

/** Whether the file has columns for measurements (and not only molecule properties). */
export function hasActivityColumns(mapping: Mapping): boolean {
  return mapping.standard_value !== undefined || mapping.pchembl_value !== undefined
}

/**
 * Turns one data row into a compound and (when the file has measurements) an activity, or says
 * why it cannot be used. Pure: no RDKit, no database; structure checks that need RDKit happen
 * later, with the descriptors.
 */
export function normaliseRow(
  fields: string[],
  mapping: Mapping,
  withActivities: boolean,
): { row: NormalisedRow } | { rejection: Rejection } {
  const get = (f: Field) => text(fields, mapping[f])
  const chemblId = get('molecule_chembl_id')?.toUpperCase() ?? null
  const smiles = get('smiles')
  if (!chemblId && !smiles) {
    return {
      rejection: {
        reason: 'no-structure',
        detail: 'The row has neither a molecule ChEMBL ID nor a SMILES',
      },
    }
  }

  const mw = number(fields, mapping.mw_freebase, 'Molecular weight')
  if (!mw.ok) return { rejection: mw.rejection }
  if (mw.value !== null && (mw.value <= LIMITS.mw.min || mw.value > LIMITS.mw.max)) {
    return {
      rejection: outOfRange('Molecular weight', mw.value, LIMITS.mw.min, LIMITS.mw.max, ' g/mol'),
    }
  }
  const alogp = number(fields, mapping.alogp, 'AlogP')
  if (!alogp.ok) return { rejection: alogp.rejection }
  if (alogp.value !== null && (alogp.value < LIMITS.alogp.min || alogp.value > LIMITS.alogp.max)) {
    return { rejection: outOfRange('AlogP', alogp.value, LIMITS.alogp.min, LIMITS.alogp.max) }
  }
  const counts: Record<'hba' | 'hbd', number | null> = { hba: null, hbd: null }
  for (const f of ['hba', 'hbd'] as const) {
    const label = f === 'hba' ? 'H-bond acceptors' : 'H-bond donors'
    const parsed = number(fields, mapping[f], label)
    if (!parsed.ok) return { rejection: parsed.rejection }
    const v = parsed.value
    if (v !== null && (!Number.isInteger(v) || v < LIMITS.counts.min || v > LIMITS.counts.max)) {
      return {
        rejection: {
          reason: 'out-of-range',
          detail: `${label} ${v} is not a whole number from 0 to ${LIMITS.counts.max}`,
        },
      }
    }
    counts[f] = v
  }

  const row: NormalisedRow = {
    moleculeChemblId: chemblId,
    name: get('molecule_name'),
    smiles,
    mw: mw.value,
    alogp: alogp.value,
    hba: counts.hba,
    hbd: counts.hbd,
    activity: null,
  }
  if (!withActivities) return { row }

  const value = number(fields, mapping.standard_value, 'Standard value')
  if (!value.ok) return { rejection: value.rejection }
  const pchembl = number(fields, mapping.pchembl_value, 'pChEMBL value')
  if (!pchembl.ok) return { rejection: pchembl.rejection }
  if (pchembl.value !== null && (pchembl.value < 0 || pchembl.value > 20)) {
    return { rejection: outOfRange('pChEMBL value', pchembl.value, 0, 20) }
  }
  if (value.value === null && pchembl.value === null) {
    return {
      rejection: {
        reason: 'missing-value',
        detail: 'The row has no standard value and no pChEMBL value',
      },
    }
  }

  const relationText = get('standard_relation')
  const relation = relationText === null ? null : normaliseRelation(relationText)
  if (relationText !== null && relation === null) {
    return {
      rejection: {
        reason: 'invalid-relation',
        detail: `Relation "${relationText.slice(0, 20)}" is not one of = < > <= >= ~ << >>`,
      },
    }
  }
  const units = get('standard_units')
  const factor = nanomolarFactor(units)

  let valueNm: number | null = null
  let pActivity: number | null = null
  let implausible = false
  if (value.value !== null && factor !== null) {
    valueNm = value.value * factor
    if (!(valueNm > 0)) {
      return {
        rejection: {
          reason: 'out-of-range',
          detail: `Concentration ${value.value} ${units} is not positive`,
        },
      }
    }
    pActivity = pActivityFromNm(valueNm)
    implausible = valueNm > LIMITS.plausibleNm
  } else if (pchembl.value !== null) {
    // A p-value without a convertible standard value (pIC50 files, ChEMBL rows in other units): nM follows from it.
    pActivity = pchembl.value
    valueNm = nmFromPActivity(pchembl.value)
  }
  // One reason per measurement, the most fundamental first: a censored value is unusable whatever its unit.
  let unusableReason: UnusableReason | null = null
  if (relation !== null && relation !== '=') unusableReason = 'censored'
  else if (pActivity === null) unusableReason = 'unit-not-convertible'
  else if (relation === null && value.value !== null) unusableReason = 'no-relation'
  else if (implausible) unusableReason = 'implausible-value'

  const year = number(fields, mapping.document_year, 'Document year')
  const documentYear =
    year.ok && year.value !== null && year.value >= 1900 && year.value <= 2100
      ? Math.trunc(year.value)
      : null

  row.activity = {
    standardType: get('standard_type'),
    relation,
    standardValue: value.value,
    standardUnits: units,
    valueNm,
    pActivity,
    pchembl: pchembl.value,
    usable: unusableReason === null && pActivity !== null,
    unusableReason,
    assayChemblId: get('assay_chembl_id'),
    targetChemblId: get('target_chembl_id'),
    targetName: get('target_name'),
    documentChemblId: get('document_chembl_id'),
    documentYear,
  }
  return { row }
}
