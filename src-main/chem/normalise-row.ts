import {
  type QualitativeResult,
  VALIDITY_REASONS,
  type ValidityReason,
  isPotentialDuplicate,
  qualitativeResult,
  validityReason,
} from './activity-comments'
import type { Mapping } from './columns'
import { pActivityFromLogType } from './standard-types'
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

/**
 * Why an accepted measurement cannot train a model (it is kept all the same). Stored with the
 * activity and shown to users, so codes are stable; the writer sends them by index in this list.
 */
export const UNUSABLE_REASONS = [
  'censored',
  'unit-not-convertible',
  'no-relation',
  'implausible-value',
  // a row with no value whose comment gives the result in words
  'inactive',
  'inconclusive',
  'qualitative-only',
  // a log-scale type (pIC50, Log IC50, logP) without a pActivity
  'log-scale-ambiguous',
  'log-scale-not-potency',
  // values ChEMBL's curators doubt: excluded from training unless the user includes them
  ...VALIDITY_REASONS,
  'potential-duplicate',
] as const
export type UnusableReason = (typeof UNUSABLE_REASONS)[number]

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
  /** ChEMBL's activity id, when the file has one */
  activityId: number | null
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
  // nor can a pActivity above 20 (10^-20 M): a log-scale type read on the wrong scale, say
  plausiblePActivity: 20,
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const EMPTY = new Set(['', 'none', 'null', 'nan', 'na', 'n/a'])

/** A cell's number, null for an empty cell, or why it is not a number. */
type Parsed = number | null | Rejection

/** Returned as the value itself, not wrapped: this runs for seven cells of every row. */
const isRejection = (p: Parsed): p is Rejection => typeof p === 'object' && p !== null

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
  if (t === null) return null
  if (!NUMBER.test(t))
    return { reason: 'non-numeric-value', detail: `${label} "${t.slice(0, 40)}" is not a number` }
  const value = Number(t)
  if (!Number.isFinite(value))
    return { reason: 'out-of-range', detail: `${label} ${t} is too large` }
  return value
}

/** A count of H-bond acceptors or donors: a whole number from 0 to LIMITS.counts.max. */
function count(fields: string[], index: number | undefined, label: string): Parsed {
  const v = number(fields, index, label)
  if (typeof v !== 'number') return v
  if (!Number.isInteger(v) || v < LIMITS.counts.min || v > LIMITS.counts.max)
    return {
      reason: 'out-of-range',
      detail: `${label} ${v} is not a whole number from 0 to ${LIMITS.counts.max}`,
    }
  return v
}

/**
 * ChEMBL's activity id: a positive whole number. pandas writes a column with gaps as floats
 * ("31863.0"), so a zero fraction is the same id.
 */
function activityIdOf(fields: string[], index: number | undefined): number | null | Rejection {
  const t = text(fields, index)
  if (t === null) return null
  const m = /^\+?0*(\d{1,15})(\.0*)?$/.exec(t)
  const id = m ? Number(m[1]) : Number.NaN
  if (!(id > 0))
    return {
      reason: 'non-numeric-value',
      detail: `Activity ID "${t.slice(0, 40)}" is not a ChEMBL activity id (a positive whole number)`,
    }
  return id
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
  const chemblId = text(fields, mapping.molecule_chembl_id)?.toUpperCase() ?? null
  const smiles = text(fields, mapping.smiles)
  if (!chemblId && !smiles) {
    return {
      rejection: {
        reason: 'no-structure',
        detail: 'The row has neither a molecule ChEMBL ID nor a SMILES',
      },
    }
  }

  const mw = number(fields, mapping.mw_freebase, 'Molecular weight')
  if (isRejection(mw)) return { rejection: mw }
  if (mw !== null && (mw <= LIMITS.mw.min || mw > LIMITS.mw.max)) {
    return {
      rejection: outOfRange('Molecular weight', mw, LIMITS.mw.min, LIMITS.mw.max, ' g/mol'),
    }
  }
  const alogp = number(fields, mapping.alogp, 'AlogP')
  if (isRejection(alogp)) return { rejection: alogp }
  if (alogp !== null && (alogp < LIMITS.alogp.min || alogp > LIMITS.alogp.max)) {
    return { rejection: outOfRange('AlogP', alogp, LIMITS.alogp.min, LIMITS.alogp.max) }
  }
  const hba = count(fields, mapping.hba, 'H-bond acceptors')
  if (isRejection(hba)) return { rejection: hba }
  const hbd = count(fields, mapping.hbd, 'H-bond donors')
  if (isRejection(hbd)) return { rejection: hbd }

  const row: NormalisedRow = {
    moleculeChemblId: chemblId,
    name: text(fields, mapping.molecule_name),
    smiles,
    mw,
    alogp,
    hba,
    hbd,
    activity: null,
  }
  if (!withActivities) return { row }

  const standardValue = number(fields, mapping.standard_value, 'Standard value')
  if (isRejection(standardValue)) return { rejection: standardValue }
  const activityId = activityIdOf(fields, mapping.activity_id)
  if (isRejection(activityId)) return { rejection: activityId }
  const pchembl = number(fields, mapping.pchembl_value, 'pChEMBL value')
  if (isRejection(pchembl)) return { rejection: pchembl }
  if (pchembl !== null && (pchembl < 0 || pchembl > 20)) {
    return { rejection: outOfRange('pChEMBL value', pchembl, 0, 20) }
  }
  // ChEMBL's doubts about the value, applied last: a row they mark is otherwise usable
  const doubt: UnusableReason | null =
    validityReason(text(fields, mapping.data_validity_comment)) ??
    (isPotentialDuplicate(text(fields, mapping.potential_duplicate)) ? 'potential-duplicate' : null)
  // Without a number, the comment may still give the result ("Not Active"): kept, never trained on.
  let noValue: QualitativeResult | ValidityReason | null = null
  if (standardValue === null && pchembl === null) {
    noValue =
      qualitativeResult(text(fields, mapping.activity_comment)) ??
      (doubt === 'potential-duplicate' ? null : doubt)
    if (noValue === null)
      return {
        rejection: {
          reason: 'missing-value',
          detail: 'The row has no standard value, no pChEMBL value and no activity comment',
        },
      }
  }

  const relationText = text(fields, mapping.standard_relation)
  const relation = relationText === null ? null : normaliseRelation(relationText)
  if (relationText !== null && relation === null) {
    return {
      rejection: {
        reason: 'invalid-relation',
        detail: `Relation "${relationText.slice(0, 20)}" is not one of = < > <= >= ~ << >>`,
      },
    }
  }
  const standardType = text(fields, mapping.standard_type)
  const units = text(fields, mapping.standard_units)

  let valueNm: number | null = null
  let pActivity: number | null = null
  let logProblem: UnusableReason | null = null
  const logType =
    standardValue === null ? null : pActivityFromLogType(standardType, standardValue, units)
  if (logType !== null && 'pActivity' in logType) {
    // pIC50, Log IC50 (nM), -Log Ki (M): a log of the potency, negative values included
    pActivity = logType.pActivity
    const nm = nmFromPActivity(pActivity)
    valueNm = nm > 0 && Number.isFinite(nm) ? nm : null
  } else if (logType !== null) {
    logProblem = logType.problem
  } else if (standardValue !== null) {
    const factor = nanomolarFactor(units)
    if (factor !== null) {
      valueNm = standardValue * factor
      if (!(valueNm > 0)) {
        return {
          rejection: {
            reason: 'out-of-range',
            detail: `Concentration ${standardValue} ${units} is not positive`,
          },
        }
      }
      pActivity = pActivityFromNm(valueNm)
    }
  }
  if (pActivity === null && pchembl !== null) {
    // A p-value without a convertible standard value (pIC50 files, ChEMBL rows in other units): nM follows from it.
    pActivity = pchembl
    valueNm = nmFromPActivity(pchembl)
    logProblem = null
  }
  const implausible =
    pActivity !== null &&
    ((valueNm !== null && valueNm > LIMITS.plausibleNm) ||
      pActivity > LIMITS.plausiblePActivity ||
      pActivity < 9 - Math.log10(LIMITS.plausibleNm))
  // One reason per measurement, the most fundamental first: a censored value is unusable whatever
  // its unit, and ChEMBL's doubts come last so that a row carrying one is otherwise usable.
  let unusableReason: UnusableReason | null = null
  if (noValue !== null) unusableReason = noValue
  else if (relation !== null && relation !== '=') unusableReason = 'censored'
  else if (pActivity === null) unusableReason = logProblem ?? 'unit-not-convertible'
  else if (relation === null && standardValue !== null) unusableReason = 'no-relation'
  else if (implausible) unusableReason = 'implausible-value'
  else unusableReason = doubt

  const year = number(fields, mapping.document_year, 'Document year')
  const documentYear =
    typeof year === 'number' && year >= 1900 && year <= 2100 ? Math.trunc(year) : null

  row.activity = {
    standardType,
    relation,
    standardValue: standardValue,
    standardUnits: units,
    valueNm,
    pActivity,
    pchembl: pchembl,
    usable: unusableReason === null && pActivity !== null,
    unusableReason,
    assayChemblId: text(fields, mapping.assay_chembl_id),
    targetChemblId: text(fields, mapping.target_chembl_id),
    targetName: text(fields, mapping.target_name),
    documentChemblId: text(fields, mapping.document_chembl_id),
    documentYear,
    activityId,
  }
  return { row }
}
