/**
 * Numbers and dates for reports with fixed rules, never the machine's locale: the same data
 * prints the same characters on every computer.
 */

const MINUS = '\u2212'

/** A whole number with thousands grouped by commas: 100000 -> "100,000". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—'
  const sign = n < 0 ? MINUS : ''
  const digits = String(Math.round(Math.abs(n)))
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** A fixed number of decimals, with a true minus sign; "—" for a missing value. */
export function formatFixed(n: number | null | undefined, decimals: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  const text = Math.abs(n).toFixed(decimals)
  // -0.000 prints as 0.000
  const negative = n < 0 && Number(text) !== 0
  return (negative ? MINUS : '') + text
}

/** A share as a percentage: 0.1234 -> "12.3%". */
export function formatPercent(share: number | null | undefined, decimals = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—'
  return `${formatFixed(share * 100, decimals)}%`
}

/**
 * A value whose size is not known in advance (a statistic, a p-value, nM): significant figures,
 * exponent form below 0.001 or from 1e6.
 */
export function formatSignificant(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  if (n === 0) return '0'
  const a = Math.abs(n)
  if (a < 1e-3 || a >= 1e6) {
    const [mantissa, exponent] = n.toExponential(digits - 1).split('e')
    const e = Number(exponent)
    return `${(mantissa ?? '').replace('-', MINUS)}×10${superscript(e)}`
  }
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)))
  return formatFixed(n, decimals)
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹'
function superscript(e: number): string {
  const s = String(Math.abs(e))
    .split('')
    .map((d) => SUPERSCRIPT[Number(d)])
    .join('')
  return (e < 0 ? '⁻' : '') + s
}

/** A p-value: "< 0.001" below it, else three decimals. */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—'
  return p < 0.001 ? '< 0.001' : formatFixed(p, 3)
}

/** nM from pActivity with a sensible number of figures: 1234.5 -> "1,235", 0.51 -> "0.51". */
export function formatNm(nm: number | null | undefined): string {
  if (nm === null || nm === undefined || !Number.isFinite(nm)) return '—'
  if (nm >= 1000 && nm < 1e9) return formatCount(nm)
  return formatSignificant(nm, 3)
}

/** An ISO time as "2026-12-03 07:12 UTC" (UTC, whatever the machine's zone). */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** A byte count as "1.2 MB" (decimal units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${formatCount(bytes)} B`
  if (bytes < 1e6) return `${formatFixed(bytes / 1e3, 1)} kB`
  return `${formatFixed(bytes / 1e6, 1)} MB`
}

/**
 * An end of a feature's training range: a whole number (a count of H-bond donors, rings, atoms)
 * as one, "15" not "15.00"; anything else to four significant figures.
 */
export function formatRangeEnd(n: number | null | undefined): string {
  if (n !== null && n !== undefined && Number.isInteger(n) && Math.abs(n) < 1e6)
    return formatCount(n)
  return formatSignificant(n, 4)
}
