import { describe, expect, it } from 'vitest'
import { niceTicks } from '../../src-main/engine/reports/chart-scale'
import { renderDocument } from '../../src-main/engine/reports/document'
import {
  formatCount,
  formatFixed,
  formatNm,
  formatPValue,
  formatSignificant,
  formatUtc,
  formatRangeEnd,
} from '../../src-main/engine/reports/format'
import { escapeHtml, html, joinHtml } from '../../src-main/engine/reports/html'
import {
  MAX_SCATTER_POINTS,
  barChart,
  binValues,
  overlaidHistogram,
  scatter,
} from '../../src-main/engine/reports/svg-charts'
import { prng } from '../helpers'

const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(1)> "q" 'a' & b`

describe('the html template', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const out = html`<p title="${HOSTILE}">${HOSTILE}</p>`.markup
    const escaped =
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &quot;q&quot; &#39;a&#39; &amp; b'
    expect(out).toBe(`<p title="${escaped}">${escaped}</p>`)
    expect(escapeHtml('&amp;')).toBe('&amp;amp;')
  })

  it('inserts our own markup as is, and escapes lists item by item', () => {
    const inner = html`<b>${'<i>'}</b>`
    expect(html`<div>${inner}${[1, '<', null, false, undefined]}</div>`.markup).toBe(
      '<div><b>&lt;i&gt;</b>1&lt;</div>',
    )
    expect(joinHtml(['<', html`<b>b</b>`], ',').markup).toBe('&lt;,<b>b</b>')
  })

  it('does not take a look-alike object for safe markup', () => {
    const fake = { markup: '<script>' } as unknown as string
    expect(html`${fake}`.markup).toBe('[object Object]')
  })
})

describe('number formats', () => {
  it('uses fixed rules, never the machine locale', () => {
    expect(formatCount(100000)).toBe('100,000')
    expect(formatCount(7026)).toBe('7,026')
    expect(formatCount(999)).toBe('999')
    expect(formatFixed(0.81249, 3)).toBe('0.812')
    expect(formatFixed(-0.0001, 3)).toBe('0.000')
    expect(formatFixed(-1.5, 1)).toBe('\u22121.5')
    expect(formatFixed(NaN, 2)).toBe('—')
    expect(formatSignificant(0.012345)).toBe('0.0123')
    expect(formatSignificant(123.456)).toBe('123')
    expect(formatSignificant(0.00012)).toBe('1.20×10⁻⁴')
    expect(formatPValue(0.0004)).toBe('< 0.001')
    expect(formatPValue(0.0456)).toBe('0.046')
    // pActivity 6 = 1,000 nM; 9.3 = 0.501 nM
    expect(formatNm(1000)).toBe('1,000')
    expect(formatNm(10 ** (9 - 9.3))).toBe('0.501')
    expect(formatUtc('2026-12-03T07:12:52.123Z')).toBe('2026-12-03 07:12 UTC')
  })

  it('prints a whole-number range end (a count of donors) as a whole number', () => {
    expect(formatRangeEnd(15)).toBe('15')
    expect(formatRangeEnd(0)).toBe('0')
    expect(formatRangeEnd(1234)).toBe('1,234')
    expect(formatRangeEnd(10.26)).toBe('10.26')
    expect(formatRangeEnd(-1.28)).toBe('\u22121.280')
  })

  it('puts axis ticks at round numbers covering the data', () => {
    expect(niceTicks(0.13, 0.87, 5).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(3.7, 9.2, 6).values).toEqual([3, 4, 5, 6, 7, 8, 9, 10])
    expect(niceTicks(150, 620, 5).values).toEqual([100, 200, 300, 400, 500, 600, 700])
  })
})

describe('svg charts', () => {
  it('bins values into equal-width bins that count every finite value once', () => {
    const { edges, counts } = binValues([1, 1.05, 2, 2.9, NaN, 3], 4)
    // step 0.5 from 1 to 3: [1,1.5) [1.5,2) [2,2.5) [2.5,3]
    expect(edges).toEqual([1, 1.5, 2, 2.5, 3])
    expect(counts).toEqual([2, 0, 1, 2])
  })

  it('draws one bar per non-empty share of each side, with its share as hover text', () => {
    const svg = overlaidHistogram({
      title: 'alogp',
      xLabel: 'alogp (log units)',
      edges: [0, 1, 2, 3],
      reference: [0.5, 0.5, 0],
      current: [0, 0.25, 0.75],
    }).markup
    expect(svg.match(/<rect\s[^>]*fill-opacity="0.55"/g)).toHaveLength(4)
    expect(svg).toContain('<title>Current, 2.000 to 3.000: 75.0%</title>')
    expect(svg).not.toContain('<script')
  })

  it('draws points up to the limit and a binned density above it', () => {
    const rand = prng(5)
    const few = Array.from({ length: 300 }, () => 4 + 5 * rand())
    const small = scatter({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      x: few,
      y: few.map((v) => v + rand() - 0.5),
      guide: 'identity',
    }).markup
    expect(small.match(/<circle /g)).toHaveLength(300)
    const n = 100_000
    const many = Array.from({ length: n }, () => 4 + 5 * rand())
    const big = scatter({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      x: many,
      y: many.map((v) => v + rand() - 0.5),
      guide: 'identity',
    }).markup
    expect(n).toBeGreaterThan(MAX_SCATTER_POINTS)
    expect(big).not.toContain('<circle')
    const cells = big.match(/<rect [^>]*><title>([\d,]+) rows<\/title>/g) ?? []
    expect(cells.length).toBeGreaterThan(10)
    expect(cells.length).toBeLessThanOrEqual(40 * 40)
    // every row lands in one cell
    const total = cells
      .map((c) => Number(/<title>([\d,]+) rows/.exec(c)?.[1]?.replace(/,/g, '')))
      .reduce((a, b) => a + b, 0)
    expect(total).toBe(n)
    expect(big.length).toBeLessThan(300_000)
  })

  it('keeps the top 15 bars, largest first, and escapes labels', () => {
    const items = Array.from({ length: 20 }, (_, k) => ({ label: `<f${k}>`, value: k }))
    const svg = barChart('importance', 'gain', items).markup
    const labels = [
      ...svg.matchAll(/<text\s[^>]*text-anchor="end"\s+font-size="11"\s*>([^<]*)</g),
    ].map((m) => m[1]?.trim())
    expect(labels).toEqual(Array.from({ length: 15 }, (_, k) => `&lt;f${19 - k}&gt;`))
  })
})

describe('the document shell', () => {
  it('starts with a doctype and the report CSP, before anything from the data', () => {
    const doc = renderDocument(
      { title: 'Model card', subject: HOSTILE, modelVersion: 'v1' },
      { generatedAt: '2026-12-03T07:00:00.000Z', appVersion: '1.2.3' },
      html`<p>body</p>`,
    )
    expect(doc.startsWith('<!doctype html><meta http-equiv="Content-Security-Policy"')).toBe(true)
    expect(doc).toContain("default-src 'none'")
    expect(doc).not.toContain('<script')
    expect(doc).not.toContain('<img')
    expect(doc).toContain('thead { display: table-header-group; }')
    expect(doc).toContain('@page')
  })
})
