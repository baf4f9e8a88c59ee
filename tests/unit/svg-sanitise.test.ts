import { describe, expect, it } from 'vitest'
import { depictSvg, loadRdkit } from '../../src-main/chem/rdkit'
import { sanitiseSvg } from '../../src-main/chem/svg-sanitise'

const OPEN =
  "<svg xmlns='http://www.w3.org/2000/svg' width='100px' height='80px' viewBox='0 0 100 80'>"

/** Every element name and attribute name in a piece of markup. */
function names(svg: string): { elements: string[]; attributes: string[] } {
  const elements = [...svg.matchAll(/<([A-Za-z][\w:.-]*)/g)].map((m) => m[1] as string)
  const attributes = [...svg.matchAll(/\s([^\s=<>"']+)="/g)].map((m) => m[1] as string)
  return { elements, attributes }
}

const ALLOWED_ELEMENTS = new Set(['svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line'])
ALLOWED_ELEMENTS.add('polyline').add('polygon').add('text').add('tspan').add('title').add('desc')

/** What must never survive, whatever the input. */
function assertInert(svg: string | null) {
  if (svg === null) return
  const lower = svg.toLowerCase()
  for (const bad of ['<script', 'foreignobject', 'href', 'javascript:', 'url(', '<image', '<use'])
    expect(lower, bad).not.toContain(bad)
  expect(lower).not.toMatch(/\son[a-z]+\s*=/)
  const { elements } = names(svg)
  for (const e of elements) expect(ALLOWED_ELEMENTS.has(e), e).toBe(true)
  // well formed: every element opened is closed in order
  const stack: string[] = []
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
    if (m[1]) expect(stack.pop()).toBe(m[2])
    else if (!m[3]) stack.push(m[2] as string)
  }
  expect(stack).toEqual([])
}

describe('sanitiseSvg', () => {
  it("keeps RDKit's own drawing intact: every path, its geometry and colours", async () => {
    const rdkit = await loadRdkit()
    const raw = depictSvg(rdkit, 'CC(=O)Oc1ccccc1C(=O)[O-].[Na+]', 300, 220)
    expect(raw).not.toBeNull()
    const clean = sanitiseSvg(raw as string)
    expect(clean).not.toBeNull()
    assertInert(clean)
    const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0
    expect(count(clean as string, /<path /g)).toBe(count(raw as string, /<path /g))
    expect(count(clean as string, /<path /g)).toBeGreaterThan(10)
    expect(clean).toContain('xmlns="http://www.w3.org/2000/svg"')
    expect(clean).toContain('viewBox="0 0 300 220"')
    // red oxygens and the stroke styles survive
    expect(clean).toContain('fill="#FF0000"')
    expect(clean).toContain('stroke:#000000')
    // path data with line breaks inside the value is kept as written
    const firstAtom = (raw as string).match(/class='atom-\d+' d='([^']*)'/)?.[1]
    expect(firstAtom).toBeDefined()
    expect(clean).toContain(`d="${firstAtom}"`)
    // RDKit's header comment and XML declaration are dropped
    expect(clean).not.toContain('<?xml')
    expect(clean).not.toContain('<!--')
  })

  it.each([
    ['script element', `${OPEN}<script>alert(1)</script><path d="M 0 0 L 1 1"/></svg>`],
    ['script in CDATA', `${OPEN}<script><![CDATA[alert(1)]]></script></svg>`],
    ['event handler', `${OPEN}<path d="M 0 0" onload="alert(1)" onclick='alert(2)'/></svg>`],
    ['handler on the root', "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'></svg>"],
    [
      'foreignObject with HTML',
      `${OPEN}<foreignObject><body><img src=x onerror=alert(1)></body></foreignObject></svg>`,
    ],
    [
      'xlink:href to javascript',
      `${OPEN}<a xlink:href="javascript:alert(1)"><path d="M 0 0"/></a></svg>`,
    ],
    ['href on an allowed element', `${OPEN}<path href="https://example.org/x" d="M 0 0"/></svg>`],
    ['use of an outside file', `${OPEN}<use href="https://example.org/sprite.svg#x"/></svg>`],
    ['image', `${OPEN}<image href="data:image/png;base64,AAAA" width="10" height="10"/></svg>`],
    ['style url()', `${OPEN}<path d="M 0 0" style="fill:url(https://example.org/p#x)"/></svg>`],
    ['fill url()', `${OPEN}<rect width="1" height="1" fill="url(#g)"/></svg>`],
    [
      'url( spelt with spaces',
      `${OPEN}<rect width="1" height="1" style="fill: u r l ( x )"/></svg>`,
    ],
    ['CSS escapes', `${OPEN}<rect width="1" style="fill:\\75 rl(x)"/></svg>`],
    ['entity-encoded url(', `${OPEN}<rect width="1" style="fill:&#117;rl(x)"/></svg>`],
    ['style element', `${OPEN}<style>@import url(x.css); path{fill:url(#a)}</style></svg>`],
    [
      'animation setting href',
      `${OPEN}<animate attributeName="href" to="javascript:alert(1)"/></svg>`,
    ],
    ['set element', `${OPEN}<set attributeName="onmouseover" to="alert(1)"/></svg>`],
    ['nested svg', `${OPEN}<svg onload="alert(1)"><path d="M 0 0"/></svg></svg>`],
    ['breaking out of an attribute', `${OPEN}<path d='M 0 0" onload="alert(1)'/></svg>`],
    [
      'text with markup',
      `${OPEN}<text x="1" y="1">&lt;script&gt;alert(1)&lt;/script&gt;</text></svg>`,
    ],
    ['unclosed tags', `${OPEN}<g><path d="M 0 0"><text>x`],
    ['stray closing tags', `${OPEN}</g></path><path d="M 0 0"/></text></svg></svg>`],
    ['uppercase tricks', `${OPEN}<SCRIPT>alert(1)</SCRIPT><Path d="M 0 0" ONLOAD="x"/></svg>`],
    [
      'doctype with entities',
      `<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>">]>${OPEN}<text>&x;</text></svg>`,
    ],
    ['processing instruction', `<?xml-stylesheet href="javascript:alert(1)"?>${OPEN}</svg>`],
    ['comment hiding markup', `${OPEN}<!-- --><script>alert(1)</script><!-- --></svg>`],
    [
      'namespaced script',
      `${OPEN}<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script></svg>`,
    ],
    ['svg inside text', `${OPEN}<text><svg onload="alert(1)"/></text></svg>`],
  ])('makes a drawing with %s inert', (_name, input) => {
    const clean = sanitiseSvg(input)
    assertInert(clean)
    expect(clean).not.toBeNull()
    // what is left of the attack is at most text inside a text element, escaped
    expect(clean?.replace(/<text[^>]*>[^<]*<\/text>/g, '').toLowerCase()).not.toContain('alert')
  })

  it('escapes text so it stays text', () => {
    const clean = sanitiseSvg(`${OPEN}<text x="1" y="2">a &amp; b &lt;i&gt; "q"</text></svg>`)
    expect(clean).toContain('<text x="1" y="2">a &#38; b &#60;i&#62; &#34;q&#34;</text>')
  })

  it('returns null when nothing is an svg drawing', () => {
    expect(sanitiseSvg('')).toBeNull()
    expect(sanitiseSvg('<html><script>alert(1)</script></html>')).toBeNull()
    expect(sanitiseSvg('<path d="M 0 0"/>')).toBeNull()
    expect(sanitiseSvg('not markup at all < > &')).toBeNull()
  })

  it('finishes on large hostile input', () => {
    const bomb = `${OPEN}${'<g a="1" b=\'2\' c=3 '.repeat(20_000)}${'<'.repeat(50_000)}</svg>`
    assertInert(sanitiseSvg(bomb))
    const deep = `${OPEN}${'<g>'.repeat(5_000)}${'</g>'.repeat(5_000)}</svg>`
    assertInert(sanitiseSvg(deep))
  })
})
