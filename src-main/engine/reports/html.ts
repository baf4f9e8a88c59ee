/**
 * Markup for reports. Every value interpolated into {@link html} is escaped unless it is a
 * {@link SafeHtml} that our own code made: a compound name holding `<script>` or
 * `<img onerror=...>` shows as text, and a quote cannot close an attribute.
 */

const BRAND = Symbol('safe-html')

/** Markup made by report code (never by data): inserted as is. */
export interface SafeHtml {
  readonly [BRAND]: true
  readonly markup: string
}

function safe(markup: string): SafeHtml {
  return { [BRAND]: true, markup }
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && BRAND in value
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text as HTML text or attribute value: `& < > " '` become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string)
}

/** What may be interpolated: text, numbers, our own markup, lists of them; null/undefined/false add nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[]

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return ''
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('')
  if (isSafeHtml(value)) return value.markup
  // numbers are formatted by the caller (format.ts); a bare number is still escaped as text
  return escapeHtml(String(value))
}

/** Tagged template: the literal parts are markup, every interpolation is escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '')
  })
  return safe(out)
}

/** Parts joined as one piece of markup (each escaped unless already safe). */
export function joinHtml(parts: readonly HtmlValue[], separator = ''): SafeHtml {
  return safe(parts.map(render).join(separator))
}

/**
 * Markup the report code builds by string concatenation for speed (a 100,000-row table), where
 * every data value in it was passed through {@link escapeHtml}. Only for report code.
 */
export function trustedMarkup(markup: string): SafeHtml {
  return safe(markup)
}
