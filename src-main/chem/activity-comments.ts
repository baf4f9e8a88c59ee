/*
 * What ChEMBL says about a measurement in words. Its activity comment carries the result when
 * there is no number ("Not Active", "Inconclusive"); its data validity comment and potential
 * duplicate flag say when its curators doubt a number. Both used to be ignored: inactive rows were
 * rejected as having no value, and values ChEMBL calls "Potential transcription error" trained
 * models like any other.
 */

/** What a comment on a row without a value says: no activity, no conclusion, or an activity in words. */
export type QualitativeResult = 'inactive' | 'inconclusive' | 'qualitative-only'

const INACTIVE = [
  /^(not|non)[- ]?active\b/,
  /^inactive\b/,
  /^no (activity|inhibition|detectable|significant|effect|binding|response)\b/,
  /^not significant\b/,
  // "Inactivation not observed", "Inhibition not observed"
  /\bnot observed\b/,
]

const INCONCLUSIVE = [
  /^inconclusive\b/,
  /^(not|could not be|cannot be) determined\b/,
  /^n\.?d\.?$/,
  /^no data\b/,
  /^not (tested|evaluated|assessed|measured)\b/,
  /^(ambiguous|equivocal|uncertain|unclear|undetermined)\b/,
  /^(insoluble|precipitat)/,
]

/**
 * The result a comment gives for a row without a value, or null when the comment is empty or a
 * bare number (ChEMBL's web export leaks record ids into the column on some rows).
 */
export function qualitativeResult(comment: string | null): QualitativeResult | null {
  const c = comment?.trim().toLowerCase() ?? ''
  if (c === '' || /^[\d.]+$/.test(c)) return null
  if (INACTIVE.some((r) => r.test(c))) return 'inactive'
  if (INCONCLUSIVE.some((r) => r.test(c))) return 'inconclusive'
  // "Active", "Dose-dependent effect", "metabolite_detected": a result, but not a number
  return 'qualitative-only'
}

/** ChEMBL's data validity comments as reason codes; 'Manually validated' is not a doubt. */
export const VALIDITY_REASONS = [
  'outside-typical-range',
  'potential-transcription-error',
  'potential-author-error',
  'author-confirmed-error',
  'potential-missing-data',
  'non-standard-unit',
  'validity-comment',
] as const
export type ValidityReason = (typeof VALIDITY_REASONS)[number]

const VALIDITY: Record<string, ValidityReason | null> = {
  'outside typical range': 'outside-typical-range',
  'potential transcription error': 'potential-transcription-error',
  'potential author error': 'potential-author-error',
  'author confirmed error': 'author-confirmed-error',
  'potential missing data': 'potential-missing-data',
  'non standard unit for type': 'non-standard-unit',
  'manually validated': null,
}

/** The reason a data validity comment gives for doubting a value; any comment ChEMBL adds later counts too. */
export function validityReason(comment: string | null): ValidityReason | null {
  const c = comment?.trim().toLowerCase().replace(/\s+/g, ' ') ?? ''
  if (c === '') return null
  const known = VALIDITY[c]
  return known === undefined ? 'validity-comment' : known
}

/** ChEMBL writes the flag as 1/0 in the web export and True/False in the web-services dump. */
export function isPotentialDuplicate(flag: string | null): boolean {
  return /^(1|true|t|yes|y)$/i.test(flag?.trim() ?? '')
}

/** Reasons a value is doubted rather than unusable: a user may choose to train on such rows. */
export const FLAG_REASONS: readonly string[] = [...VALIDITY_REASONS, 'potential-duplicate']
