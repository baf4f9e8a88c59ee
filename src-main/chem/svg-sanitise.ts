/**
 * An allow-list sanitiser for the 2D depictions RDKit draws. The SVG is rebuilt from what may
 * stay, never passed on as it came: only drawing elements (no script, foreignObject, image, use,
 * a, animation, style sheets), only presentation attributes (no on* handlers, no href or
 * xlink:href, no url() anywhere, so nothing is ever fetched or run), every attribute value and
 * every text re-escaped. RDKit writes none of the forbidden things today; this is what keeps a
 * future drawing option, a bug, or a crafted molecule from reaching the page with markup in it.
 */

const SVG_NS = 'http://www.w3.org/2000/svg'

const ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'title',
  'desc',
])

/** Elements whose text content is kept (escaped); any other text is dropped. */
const TEXT_ELEMENTS = new Set(['text', 'tspan', 'title', 'desc'])

const ATTRIBUTES = new Set([
  'version',
  'width',
  'height',
  'viewBox',
  'preserveAspectRatio',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'dx',
  'dy',
  'd',
  'points',
  'transform',
  'class',
  'style',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
])

/**
 * Characters an attribute value may hold: numbers, words, colours, path commands, CSS
 * declarations. No quotes, angle brackets, ampersands or backslashes (CSS escapes could spell
 * url( in disguise), so a value can neither end its attribute nor hide a reference.
 */
const SAFE_VALUE = /^[A-Za-z0-9\s#.,:;%()+\-/_]*$/
const MAX_VALUE = 100_000

function safeValue(value: string): boolean {
  if (value.length > MAX_VALUE || !SAFE_VALUE.test(value)) return false
  const squashed = value.replace(/\s+/g, '').toLowerCase()
  return !/url\(|expression\(|javascript:|@import|behavior:|-moz-binding/.test(squashed)
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
}

/** Resolves XML's predefined and numeric entities; others are dropped. */
function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (_, name: string) => {
    if (name[0] !== '#') return ENTITIES[name] ?? ''
    const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
      ? String.fromCodePoint(code)
      : ''
  })
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g

function parseAttributes(source: string): [string, string][] {
  const out: [string, string][] = []
  for (const m of source.matchAll(ATTRIBUTE)) {
    const name = m[1] as string
    out.push([name, decode(m[2] ?? m[3] ?? m[4] ?? '')])
  }
  return out
}

type Token =
  | { kind: 'open'; name: string; attributes: string; selfClosing: boolean }
  | { kind: 'close'; name: string }
  | { kind: 'text'; text: string }

const NAME = /^[A-Za-z][\w:.-]*/

/**
 * Tags and text in document order; comments, processing instructions, doctypes and CDATA are
 * skipped whole. A tag runs from '<' to the next '>' (an allowed attribute value never holds
 * one), so every character is looked at a bounded number of times however hostile the input:
 * a regular expression over whole tags took minutes on an unterminated tag repeated.
 */
function* tokens(input: string): Generator<Token> {
  let i = 0
  const skipPast = (end: string, from: number) => {
    const at = input.indexOf(end, from)
    return at < 0 ? input.length : at + end.length
  }
  while (i < input.length) {
    const lt = input.indexOf('<', i)
    const textEnd = lt < 0 ? input.length : lt
    if (textEnd > i) yield { kind: 'text', text: input.slice(i, textEnd) }
    if (lt < 0) return
    if (input.startsWith('<!--', lt)) i = skipPast('-->', lt + 4)
    else if (input.startsWith('<![CDATA[', lt)) i = skipPast(']]>', lt + 9)
    else if (input.startsWith('<?', lt)) i = skipPast('?>', lt + 2)
    else if (input.startsWith('<!', lt)) {
      // a doctype's internal subset holds '>' of its own: skip to the ']>' that ends it
      const gt = input.indexOf('>', lt)
      const bracket = input.indexOf('[', lt)
      i = bracket >= 0 && (gt < 0 || bracket < gt) ? skipPast(']>', bracket) : skipPast('>', lt)
    } else {
      const gt = input.indexOf('>', lt)
      if (gt < 0) return // an unterminated tag: nothing after it can be trusted
      const tag = input.slice(lt + 1, gt)
      i = gt + 1
      if (tag.startsWith('/')) {
        const name = tag.slice(1).trim()
        if (NAME.test(name) && NAME.exec(name)?.[0] === name) yield { kind: 'close', name }
        continue
      }
      const name = NAME.exec(tag)?.[0]
      const rest = name === undefined ? '' : tag.slice(name.length)
      if (name === undefined || (rest !== '' && !/^[\s/]/.test(rest))) {
        yield { kind: 'text', text: '<' }
        i = lt + 1
        continue
      }
      const trimmed = rest.trimEnd()
      const selfClosing = trimmed.endsWith('/')
      yield {
        kind: 'open',
        name,
        attributes: selfClosing ? trimmed.slice(0, -1) : trimmed,
        selfClosing,
      }
    }
  }
}

/**
 * The SVG with only allow-listed elements and attributes, or null when nothing drawable is left
 * (no svg root). Forbidden elements go with everything inside them.
 */
export function sanitiseSvg(input: string): string | null {
  const out: string[] = []
  // the allowed elements we wrote and left open, and the depth inside a dropped one
  const stack: string[] = []
  let dropDepth = 0
  let sawRoot = false
  for (const token of tokens(input)) {
    if (token.kind === 'close') {
      if (dropDepth > 0) {
        dropDepth--
        continue
      }
      const at = stack.lastIndexOf(token.name)
      if (at < 0) continue
      while (stack.length > at) out.push(`</${stack.pop() as string}>`)
      continue
    }
    if (token.kind === 'open') {
      const { name, selfClosing } = token
      const allowed =
        dropDepth === 0 &&
        ELEMENTS.has(name) &&
        // the root first, and only one of it
        (name === 'svg' ? !sawRoot : sawRoot && stack.length > 0)
      if (!allowed) {
        if (!selfClosing) dropDepth++
        continue
      }
      if (name === 'svg') sawRoot = true
      const attributes: string[] = name === 'svg' ? [`xmlns="${SVG_NS}"`] : []
      for (const [attribute, value] of parseAttributes(token.attributes)) {
        if (!ATTRIBUTES.has(attribute) || !safeValue(value)) continue
        attributes.push(`${attribute}="${escapeText(value)}"`)
      }
      const head = [name, ...attributes].join(' ')
      if (selfClosing) out.push(`<${head}/>`)
      else {
        out.push(`<${head}>`)
        stack.push(name)
      }
      continue
    }
    if (dropDepth > 0 || stack.length === 0) continue
    if (TEXT_ELEMENTS.has(stack[stack.length - 1] as string))
      out.push(escapeText(decode(token.text)))
    else if (token.text.trim() === '') out.push('\n')
  }
  if (!sawRoot) return null
  while (stack.length > 0) out.push(`</${stack.pop() as string}>`)
  return out.join('')
}
