/** Numbers as scientists read them in tables. */
export const fmtInt = (n: number) => n.toLocaleString('en')

/** "1 row", "2,500 rows". */
export const fmtCount = (n: number, one: string, many = `${one}s`) =>
  `${fmtInt(n)} ${n === 1 ? one : many}`

export function fmtNum(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—'
  const text = v.toFixed(digits)
  return Number(text) === 0 ? (0).toFixed(digits) : text
}

/** A concentration in nM, switching to µM or mM when large so the digits stay readable. */
export function fmtConcentration(nm: number | null | undefined): string {
  if (nm === null || nm === undefined || !Number.isFinite(nm)) return '—'
  if (nm >= 1e6) return `${(nm / 1e6).toPrecision(3)} mM`
  if (nm >= 1e3) return `${(nm / 1e3).toPrecision(3)} µM`
  return `${nm.toPrecision(3)} nM`
}

/**
 * A censored measurement's qualifier as it reads on each scale. pActivity = 9 − log10(nM) runs the
 * other way from a concentration, so "> 50,000 nM" (weaker than the top of the assay) is
 * pActivity "< 4.30". Without the qualifier a censored value reads as a measured one.
 */
const QUALIFIER_NM: Record<string, string> = {
  '<': '<',
  '>': '>',
  '<=': '≤',
  '>=': '≥',
  '<<': '≪',
  '>>': '≫',
  '~': '~',
}
const QUALIFIER_P: Record<string, string> = {
  '<': '>',
  '>': '<',
  '<=': '≥',
  '>=': '≤',
  '<<': '≫',
  '>>': '≪',
  '~': '~',
}

const qualified = (qualifier: string | undefined, text: string) =>
  qualifier && text !== '—' ? `${qualifier} ${text}` : text

/** A concentration with its relation, e.g. "> 50.0 µM"; '=' and no relation show the bare value. */
export function fmtConcentrationCensored(
  nm: number | null | undefined,
  relation: string | null | undefined,
): string {
  return qualified(QUALIFIER_NM[relation ?? ''], fmtConcentration(nm))
}

/** A pActivity with the relation turned for the log scale, e.g. "< 4.30" for "> 50,000 nM". */
export function fmtPActivityCensored(
  p: number | null | undefined,
  relation: string | null | undefined,
  digits = 2,
): string {
  return qualified(QUALIFIER_P[relation ?? ''], fmtNum(p, digits))
}

export function fmtBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${bytes} B`
}

/** The day only, e.g. "2 Dec 2026", where a table has no room for the time. */
export function fmtDay(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  })
}

export function fmtDate(iso: string): string {
  const d = new Date(iso)
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })} ${d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`
}

/** The hyperparameters worth reading, in the order a modeller looks for them. */
const PARAMS_SHOWN = [
  'trees',
  'learningRate',
  'maxLeaves',
  'maxDepth',
  'minSamplesLeaf',
  'lambda',
  'rowSubsample',
  'colSubsample',
  'featuresPerSplit',
  'maxBins',
]
/**
 * What 0 means where it is not a number of anything: bins chosen from the row count; features per
 * split all of the tree's (boosting) or a third of them (forests).
 */
function zeroMeans(key: string, learner: string): string | null {
  if (key === 'maxBins') return 'auto'
  if (key === 'featuresPerSplit') return learner === 'rf' ? 'auto' : 'all'
  return null
}

/** A run's parameters on one line, e.g. "trees 500, learningRate 0.05, ..., maxBins auto". */
export function fmtParams(params: Record<string, number | boolean>, learner: string): string {
  return PARAMS_SHOWN.filter((k) => k in params)
    .map((k) => `${k} ${(params[k] === 0 && zeroMeans(k, learner)) || String(params[k])}`)
    .join(', ')
}

/** Reason codes as words. */
export const REASON_LABELS: Record<string, string> = {
  'no-structure': 'no ChEMBL ID or SMILES',
  'invalid-smiles': 'SMILES RDKit cannot read',
  'missing-value': 'no value',
  'non-numeric-value': 'value not a number',
  'out-of-range': 'value out of range',
  'invalid-relation': 'unknown relation',
  'wrong-field-count': 'wrong number of fields',
  'line-too-long': 'line over 1 MB',
  'unterminated-quote': 'unclosed quote',
  'missing-features': 'features missing',
  'file-values-model': 'no MW, AlogP, HBA, HBD values (the model was trained on file values)',
  censored: 'censored (>, <)',
  'unit-not-convertible': 'unit not convertible to nM',
  'no-relation': 'no relation given',
  'implausible-value': 'implausible value (beyond 10 M or 10⁻²⁰ M)',
  'no-value': 'no value',
  inactive: 'inactive (no value)',
  inconclusive: 'inconclusive (no value)',
  'qualitative-only': 'result in words only (no value)',
  'log-scale-ambiguous': 'log-scale value, scale unclear',
  'log-scale-not-potency': 'log of a non-potency (logP, pKa)',
  'outside-typical-range': 'ChEMBL: outside typical range',
  'potential-transcription-error': 'ChEMBL: potential transcription error',
  'potential-author-error': 'ChEMBL: potential author error',
  'author-confirmed-error': 'ChEMBL: author-confirmed error',
  'potential-missing-data': 'ChEMBL: potential missing data',
  'non-standard-unit': 'ChEMBL: non-standard unit for type',
  'validity-comment': 'ChEMBL: data validity comment',
  'potential-duplicate': 'ChEMBL: potential duplicate',
}

/** Rows whose activity comment gives the result in words: kept, but without a value. */
export const QUALITATIVE_REASONS = ['inactive', 'inconclusive', 'qualitative-only']

/** Values ChEMBL's curators doubt: left out of training unless the user includes them. */
export { FLAG_REASONS } from '../../src-main/chem/activity-comments'
