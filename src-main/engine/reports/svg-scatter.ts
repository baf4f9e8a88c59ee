import { type Ticks, extent, niceTicks, px } from './chart-scale'
import { type Frame, REFERENCE, frame, svg } from './chart-frame'
import { formatCount, formatFixed } from './format'
import { type SafeHtml, escapeHtml, html, trustedMarkup } from './html'

/** Above this many points a scatter becomes a 2-D binned density. */
export const MAX_SCATTER_POINTS = 2000

export interface Scatter {
  title: string
  xLabel: string
  yLabel: string
  x: ArrayLike<number>
  y: ArrayLike<number>
  /** 'identity': the y = x line; 'zero': a horizontal line at y = 0 (residuals) */
  guide: 'identity' | 'zero'
  /** hover text per point (when points are drawn one by one) */
  pointLabel?: (i: number) => string
}

/**
 * Points, or above {@link MAX_SCATTER_POINTS} a 2-D binned density (40 x 40 cells, darker =
 * more rows), so the chart stays light whatever the row count.
 */
export function scatter(s: Scatter): SafeHtml {
  const xs: number[] = []
  const ys: number[] = []
  const index: number[] = []
  for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) {
    const a = s.x[i] as number
    const b = s.y[i] as number
    if (Number.isFinite(a) && Number.isFinite(b)) {
      xs.push(a)
      ys.push(b)
      index.push(i)
    }
  }
  let xTicks: Ticks
  let yTicks: Ticks
  if (s.guide === 'identity') {
    // the same range on both axes, so y = x is the diagonal
    const [lo, hi] = extent(xs, ys)
    xTicks = niceTicks(lo, hi, 6)
    yTicks = xTicks
  } else {
    const [xl, xh] = extent(xs)
    const [, yh] = extent(ys.map(Math.abs), [0.1])
    xTicks = niceTicks(xl, xh, 6)
    yTicks = niceTicks(-yh, yh, 6)
  }
  const f = frame(xTicks, yTicks, s.xLabel, s.yLabel)
  const guide =
    s.guide === 'identity'
      ? html`<line
          x1="${px(f.x(xTicks.min))}"
          y1="${px(f.y(xTicks.min))}"
          x2="${px(f.x(xTicks.max))}"
          y2="${px(f.y(xTicks.max))}"
          stroke="#777"
          stroke-dasharray="5 4"
          ><title>y = x (perfect prediction)</title></line
        >`
      : html`<line
          x1="${px(f.left)}"
          y1="${px(f.y(0))}"
          x2="${px(f.right)}"
          y2="${px(f.y(0))}"
          stroke="#777"
          stroke-dasharray="5 4"
          ><title>zero residual</title></line
        >`
  let marks: SafeHtml
  let note = ''
  if (xs.length <= MAX_SCATTER_POINTS) {
    // built as one string: a few thousand points through the template would be slow for nothing
    let out = ''
    for (let k = 0; k < xs.length; k++) {
      const label = s.pointLabel ? `${s.pointLabel(index[k] as number)}: ` : ''
      out += `<circle cx="${px(f.x(xs[k] as number))}" cy="${px(f.y(ys[k] as number))}" r="2.6" fill="${REFERENCE}" fill-opacity="0.45"><title>${escapeHtml(label)}${formatFixed(xs[k] as number, 2)}, ${formatFixed(ys[k] as number, 2)}</title></circle>`
    }
    marks = trustedMarkup(out)
  } else {
    marks = density(f, xTicks, yTicks, xs, ys)
    note = ` (${formatCount(xs.length)} rows, shown as density)`
  }
  return svg(`${s.title}${note}`, html`${f.axes}<g class="marks">${marks}</g>${guide}`)
}

const CELLS = 40

function density(f: Frame, xt: Ticks, yt: Ticks, xs: number[], ys: number[]): SafeHtml {
  const counts = new Map<number, number>()
  const cw = (xt.max - xt.min) / CELLS
  const ch = (yt.max - yt.min) / CELLS
  for (let k = 0; k < xs.length; k++) {
    const i = Math.min(CELLS - 1, Math.max(0, Math.floor(((xs[k] as number) - xt.min) / cw)))
    const j = Math.min(CELLS - 1, Math.max(0, Math.floor(((ys[k] as number) - yt.min) / ch)))
    const key = i * CELLS + j
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  let most = 1
  for (const c of counts.values()) most = Math.max(most, c)
  // cells in key order, not insertion order: the same data gives the same bytes
  const keys = [...counts.keys()].sort((a, b) => a - b)
  let out = ''
  for (const key of keys) {
    const c = counts.get(key) as number
    const i = Math.floor(key / CELLS)
    const j = key % CELLS
    const x0 = f.x(xt.min + i * cw)
    const x1 = f.x(xt.min + (i + 1) * cw)
    const y1 = f.y(yt.min + j * ch)
    const y0 = f.y(yt.min + (j + 1) * ch)
    // log scale of the count: a few outliers stay visible next to a dense core
    const shade = 0.15 + 0.85 * (Math.log1p(c) / Math.log1p(most))
    out += `<rect x="${px(x0)}" y="${px(y0)}" width="${px(x1 - x0)}" height="${px(y1 - y0)}" fill="${REFERENCE}" fill-opacity="${px(shade)}"><title>${formatCount(c)} rows</title></rect>`
  }
  return trustedMarkup(out)
}
