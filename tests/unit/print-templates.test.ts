import { describe, expect, it } from 'vitest'
import { pageTemplates } from '../../src-main/engine/host/page-templates'
import { hostPageSize } from '../../src-main/engine/reports/export'
import { withPrintedRows } from '../../src-main/engine/reports/print-rows'

// The running header and footer are HTML Chromium renders: every value from data must arrive as
// text. The print-only row cut must leave the stored document's rows untouched.

describe('running header and footer', () => {
  const running = {
    title: `Prediction report — Batch #4 · <img src=x onerror=alert(1)> "q" 'a' & b.csv`,
    modelVersion: 'v3',
    date: '2026-12-03',
    appVersion: '0.1.0',
  }

  it('escapes every value and leaves only our own elements', () => {
    const t = pageTemplates(running)
    expect(t).not.toBeNull()
    const { headerTemplate, footerTemplate } = t as NonNullable<typeof t>
    expect(headerTemplate).toContain(
      'Batch #4 · &lt;img src=x onerror=alert(1)&gt; &quot;q&quot; &#39;a&#39; &amp; b.csv',
    )
    expect(headerTemplate).not.toContain('<img')
    expect(headerTemplate).toContain('Model v3')
    // the only tags are our div and spans; Chromium fills pageNumber and totalPages itself
    for (const tag of (headerTemplate + footerTemplate).match(/<\/?([a-z]+)/g) ?? [])
      expect(['<div', '</div', '<span', '</span']).toContain(tag)
    expect(footerTemplate).toMatch(
      /Page <span class="pageNumber"><\/span> of <span class="totalPages"><\/span>/,
    )
    expect(footerTemplate).toContain('2026-12-03')
    expect(footerTemplate).toContain('Assay Workbench 0.1.0')
    // Chromium's default size in these templates is tiny: ours is set on the box
    expect(headerTemplate).toMatch(/font-size: \d+px/)
  })

  it('gives none when the document is printed without them', () => {
    expect(pageTemplates(undefined)).toBeNull()
  })
})

describe('the rows a printed prediction report lists', () => {
  const rows = (n: number) =>
    Array.from({ length: n }, (_, k) => `<tr><td>${k + 1}<td>C${k + 1}`).join('\n')
  const doc = (n: number) =>
    `<!doctype html><body><p>x</p><!--print-rows ${n}--><table class="rows"><tbody>\n${rows(n)}\n</tbody></table></body>`

  it('prints the first N rows and states the rest, from the stored document', () => {
    const stored = doc(1234)
    const printed = withPrintedRows(stored, 500)
    expect(printed).toMatchObject({ total: 1234, listed: 500 })
    expect(printed.html).toContain('500 of 1,234 rows listed; the other 734 are in the HTML file')
    const listed = printed.html.match(/<tr><td>(\d+)<td>/g) ?? []
    expect(listed).toHaveLength(500)
    expect(listed[0]).toBe('<tr><td>1<td>')
    expect(listed.at(-1)).toBe('<tr><td>500<td>')
    // apart from the note and the rows left out, the copy is the stored document
    expect(printed.html.replace(/<p class="notice rows-left-out">[^<]*<\/p>/, '')).toBe(
      stored.replace(/\n<tr><td>(50[1-9]|5[1-9]\d|[6-9]\d\d|1\d\d\d)<td>C\d+/g, ''),
    )
    // the stored document itself is a string: nothing changed it
    expect(stored.match(/<tr>/g)).toHaveLength(1234)
  })

  it('hides the rows from print where the table is not as the renderer writes it', () => {
    const odd = doc(1234).replace('<tbody>', '<tbody class="x">')
    const printed = withPrintedRows(odd, 500)
    expect(printed.html).toContain(
      '@media print { table.rows > tbody > tr:nth-child(n+501) { display: none; } }',
    )
    expect(printed.html.match(/<tr>/g)).toHaveLength(1234)
  })

  it('adds nothing when every row fits, or when the document has no results table', () => {
    expect(withPrintedRows(doc(500), 500)).toEqual({ html: doc(500), total: 500, listed: 500 })
    const card = '<!doctype html><body><h1>Model card</h1></body>'
    expect(withPrintedRows(card, 10).html).toBe(card)
  })
})

describe('the paper a host prints on by default', () => {
  it('follows LC_ALL, then LC_PAPER, then LANG (CLDR: US Letter in the US and Canada, A4 in Germany)', () => {
    expect(hostPageSize({ LANG: 'en_US.UTF-8' })).toBe('Letter')
    expect(hostPageSize({ LANG: 'de_DE.UTF-8' })).toBe('A4')
    expect(hostPageSize({ LANG: 'en_GB.UTF-8' })).toBe('A4')
    expect(hostPageSize({ LANG: 'fr_CA.UTF-8' })).toBe('Letter')
    expect(hostPageSize({ LANG: 'en_US.UTF-8', LC_PAPER: 'de_DE.UTF-8' })).toBe('A4')
    expect(hostPageSize({ LC_ALL: 'en_US.UTF-8', LC_PAPER: 'de_DE.UTF-8' })).toBe('Letter')
    // "C" says nothing about paper: the next setting decides
    expect(hostPageSize({ LC_ALL: 'C', LANG: 'de_DE.UTF-8' })).toBe('A4')
  })
})
