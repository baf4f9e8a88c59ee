/**
 * RDKit's version written one way everywhere: its release name, year.month.patch with a two-digit
 * month ("2026.09.1"). The WebAssembly build says "2026.09.1", its npm package "2026.9.1" (npm
 * drops the zero), and builds elsewhere add a suffix ("2026.09.1-wasm"); compared as text, the
 * same release looked like two and a training set like a mix of RDKit versions.
 */
export function rdkitVersionString(raw: string): string
export function rdkitVersionString(raw: string | null | undefined): string | null
export function rdkitVersionString(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null
  const text = raw.trim()
  // a pre-release (2026.09.1b1, 2026.09.1rc1) stays one; a build tag after '-' or '+' is dropped
  const m = /^v?(\d{4})\.(\d{1,2})\.(\d+)((?:a|b|rc|dev)\d*)?(?:[-+_ ].*)?$/i.exec(text)
  if (!m) return text
  return `${m[1]}.${(m[2] as string).padStart(2, '0')}.${m[3]}${m[4] ?? ''}`
}

/** A model's RDKit versions as stored ("2026.09.1" or "2025.03.2, 2026.09.1"), each one normalised. */
export function rdkitVersionList(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null
  return [...new Set(raw.split(',').map((v) => rdkitVersionString(v)))].sort().join(', ')
}
