/**
 * The page's Content-Security-Policy, the same in Electron and in the web host: scripts only from
 * the app itself (no inline, no eval), no remote origins at all. Plotly adds <style> elements at
 * run time, hence 'unsafe-inline' for styles only.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
]

/** For a <meta http-equiv> tag, which covers file:// pages in Electron. */
export const CSP_META = DIRECTIVES.join('; ')

/** For an HTTP header; frame-ancestors works only there. */
export const CSP_HEADER = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ')
