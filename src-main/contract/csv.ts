/**
 * How every CSV the app writes looks, whichever side writes it (the engine's prediction exports,
 * the screens' rejected-row downloads).
 */

/**
 * One CSV cell. Quoted when needed, and a leading = + - @ is neutralised with an apostrophe so
 * a spreadsheet never runs a compound name or a raw line as a formula. Numbers are written as
 * numbers (a negative AlogP stays a number).
 */
export function csvCell(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  let text = value === null || value === undefined ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
