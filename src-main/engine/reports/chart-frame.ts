import { type Ticks, linear, px, tickLabel } from './chart-scale'
import { type SafeHtml, html } from './html'

/** The frame every engine-drawn chart shares: size, margins, colours, axes, title and legend. */

export const W = 560
export const M = { left: 62, right: 16, top: 46, bottom: 50 }
export const H = 348
export const REFERENCE = '#4a78b5'
export const CURRENT = '#e07b27'
export const INK = '#1c2330'
export const GRID = '#e4e8ef'

export interface Frame {
  x: (v: number) => number
  y: (v: number) => number
  left: number
  right: number
  top: number
  bottom: number
  axes: SafeHtml
}

export function frame(
  xTicks: Ticks,
  yTicks: Ticks,
  xLabel: string,
  yLabel: string,
  xTickText: (v: number) => string = (v) => tickLabel(v, xTicks),
  yTickText: (v: number) => string = (v) => tickLabel(v, yTicks),
): Frame {
  const left = M.left
  const right = W - M.right
  const top = M.top
  const bottom = H - M.bottom
  const x = linear(xTicks.min, xTicks.max, left, right)
  const y = linear(yTicks.min, yTicks.max, bottom, top)
  const axes = html`<g class="axes" font-size="11" fill="${INK}">
    ${yTicks.values.map(
      (v) =>
        html`<line
            x1="${px(left)}"
            x2="${px(right)}"
            y1="${px(y(v))}"
            y2="${px(y(v))}"
            stroke="${GRID}"
          /><text x="${px(left - 6)}" y="${px(y(v) + 4)}" text-anchor="end">${yTickText(v)}</text>`,
    )}
    ${xTicks.values.map(
      (v) =>
        html`<line
            x1="${px(x(v))}"
            x2="${px(x(v))}"
            y1="${px(bottom)}"
            y2="${px(bottom + 5)}"
            stroke="${INK}"
          /><text x="${px(x(v))}" y="${px(bottom + 18)}" text-anchor="middle"
            >${xTickText(v)}</text
          >`,
    )}
    <line
      x1="${px(left)}"
      x2="${px(right)}"
      y1="${px(bottom)}"
      y2="${px(bottom)}"
      stroke="${INK}"
    />
    <line x1="${px(left)}" x2="${px(left)}" y1="${px(top)}" y2="${px(bottom)}" stroke="${INK}" />
    <text x="${px((left + right) / 2)}" y="${px(H - 10)}" text-anchor="middle" font-size="12"
      >${xLabel}</text
    >
    <text
      transform="translate(14 ${px((top + bottom) / 2)}) rotate(-90)"
      text-anchor="middle"
      font-size="12"
      >${yLabel}</text
    >
  </g>`
  return { x, y, left, right, top, bottom, axes }
}

export function svg(title: string, body: SafeHtml, legend?: SafeHtml): SafeHtml {
  return html`<svg
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 ${W} ${H}"
    width="${W}"
    height="${H}"
    role="img"
    aria-label="${title}"
    class="chart"
  >
    <title>${title}</title>
    <text x="8" y="16" font-size="13" font-weight="600" fill="${INK}">${title}</text>
    ${body}${legend ?? ''}
  </svg>`
}

export function legend(items: readonly (readonly [string, string])[]): SafeHtml {
  let at = M.left + 8
  return html`<g class="legend" font-size="11"
    >${items.map(([label, color]) => {
      const mark = html`<rect
          x="${px(at)}"
          y="24"
          width="12"
          height="12"
          fill="${color}"
          fill-opacity="0.7"
        /><text x="${px(at + 16)}" y="34">${label}</text>`
      at += 28 + label.length * 6.2
      return mark
    })}</g
  >`
}
