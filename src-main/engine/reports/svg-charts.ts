import { type Ticks, extent, linear, niceTicks, px, tickLabel } from './chart-scale'
import { CURRENT, GRID, INK, M, REFERENCE, W, frame, legend, svg } from './chart-frame'
import { formatCount, formatFixed, formatPercent } from './format'
import { type SafeHtml, html, joinHtml } from './html'

/**
 * Charts drawn by the engine as inline SVG: no script, readable in print, every mark with a
 * `<title>` a browser shows on hover. Large data is aggregated (bins) before it is drawn, so a
 * 100,000-row batch gives a chart of a few hundred marks.
 */

export { MAX_SCATTER_POINTS, type Scatter, scatter } from './svg-scatter'

/** A chart inside a figure with its caption. */
export function figure(chart: SafeHtml, caption: string): SafeHtml {
  return html`<figure>
    ${chart}
    <figcaption>${caption}</figcaption>
  </figure>`
}

export interface OverlaidHistogram {
  title: string
  xLabel: string
  /** bins + 1 ascending edges, with shares per bin on each side (as a drift check stores them) */
  edges: readonly number[]
  reference: readonly number[]
  current: readonly number[]
  referenceLabel?: string
  currentLabel?: string
}

/** Reference and current shares per bin, drawn over each other (the current one on top). */
export function overlaidHistogram(h: OverlaidHistogram): SafeHtml {
  const bins = Math.max(0, h.edges.length - 1)
  const [lo, hi] = extent(h.edges)
  const xTicks = niceTicks(lo, hi, 6)
  const [, top] = extent(h.reference, h.current, [0])
  const yTicks = niceTicks(0, Math.max(top, 0.01), 5)
  const f = frame(xTicks, yTicks, h.xLabel, 'Share of rows (%)', undefined, (v) =>
    formatFixed(v * 100, Math.max(0, yTicks.decimals - 2)),
  )
  const refLabel = h.referenceLabel ?? 'Reference (training rows)'
  const curLabel = h.currentLabel ?? 'Current'
  const bars: SafeHtml[] = []
  for (let b = 0; b < bins; b++) {
    const x0 = f.x(h.edges[b] as number)
    const x1 = f.x(h.edges[b + 1] as number)
    const width = Math.max(0.5, x1 - x0 - 0.5)
    const range = `${formatFixed(h.edges[b] as number, 3)} to ${formatFixed(h.edges[b + 1] as number, 3)}`
    for (const [shares, color, label] of [
      [h.reference, REFERENCE, refLabel],
      [h.current, CURRENT, curLabel],
    ] as const) {
      const v = shares[b] ?? 0
      if (!(v > 0)) continue
      bars.push(
        html`<rect
          x="${px(x0)}"
          y="${px(f.y(v))}"
          width="${px(width)}"
          height="${px(f.bottom - f.y(v))}"
          fill="${color}"
          fill-opacity="0.55"
          ><title>${label}, ${range}: ${formatPercent(v)}</title></rect
        >`,
      )
    }
  }
  return svg(
    h.title,
    html`${f.axes}<g class="marks">${bars}</g>`,
    legend([
      [refLabel, REFERENCE],
      [curLabel, CURRENT],
    ]),
  )
}

/** Counts of values in equal-width bins over nice edges (missing values left out). */
export function binValues(
  values: ArrayLike<number>,
  bins = 30,
): { edges: number[]; counts: number[] } {
  const finite: number[] = []
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (Number.isFinite(v)) finite.push(v)
  }
  const [lo, hi] = extent(finite)
  const t = niceTicks(lo, hi, bins)
  const n = Math.max(1, Math.round((t.max - t.min) / t.step))
  const edges = Array.from({ length: n + 1 }, (_, k) =>
    Number((t.min + k * t.step).toFixed(t.decimals + 2)),
  )
  const counts = new Array<number>(n).fill(0)
  for (const v of finite) {
    const b = Math.min(n - 1, Math.max(0, Math.floor((v - t.min) / t.step)))
    counts[b] = (counts[b] ?? 0) + 1
  }
  return { edges, counts }
}

/** One distribution as a histogram of counts. */
export function histogram(
  title: string,
  xLabel: string,
  values: ArrayLike<number>,
  bins = Math.min(30, Math.max(5, Math.ceil(2 * Math.sqrt(values.length)))),
): SafeHtml {
  const { edges, counts } = binValues(values, bins)
  const xTicks = niceTicks(edges[0] as number, edges[edges.length - 1] as number, 6)
  const yTicks = niceTicks(0, Math.max(1, ...counts), 5)
  const f = frame(xTicks, yTicks, xLabel, 'Rows', undefined, (v) =>
    Number.isInteger(v) ? formatCount(v) : '',
  )
  const bars = counts.map((c, b) => {
    if (c === 0) return ''
    const x0 = f.x(edges[b] as number)
    const x1 = f.x(edges[b + 1] as number)
    return html`<rect
      x="${px(x0)}"
      y="${px(f.y(c))}"
      width="${px(Math.max(0.5, x1 - x0 - 0.5))}"
      height="${px(f.bottom - f.y(c))}"
      fill="${REFERENCE}"
      fill-opacity="0.75"
      ><title>
        ${formatFixed(edges[b] as number, 2)} to ${formatFixed(edges[b + 1] as number, 2)}:
        ${formatCount(c)} rows
      </title></rect
    >`
  })
  return svg(title, html`${f.axes}<g class="marks">${bars}</g>`)
}

/** Horizontal bars, largest first (feature importance: the top `limit`). */
export function barChart(
  title: string,
  valueLabel: string,
  items: readonly { label: string; value: number }[],
  limit = 15,
): SafeHtml {
  const top = [...items]
    .filter((i) => Number.isFinite(i.value))
    .sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : 1))
    .slice(0, limit)
  const labelWidth = 150
  const rowH = 18
  const height = M.top + top.length * rowH + 44
  const ticks = niceTicks(0, Math.max(...top.map((i) => i.value), 1e-9), 5)
  const x = linear(0, ticks.max, labelWidth, W - M.right)
  const bottom = M.top + top.length * rowH
  const bars = top.map((item, k) => {
    const y = M.top + k * rowH
    const name = item.label.length > 24 ? `${item.label.slice(0, 23)}…` : item.label
    return html`<text x="${labelWidth - 6}" y="${px(y + 13)}" text-anchor="end" font-size="11"
        >${name}</text
      ><rect
        x="${labelWidth}"
        y="${px(y + 3)}"
        width="${px(Math.max(0.5, x(item.value) - labelWidth))}"
        height="${rowH - 6}"
        fill="${REFERENCE}"
        ><title>${item.label}: ${formatFixed(item.value, 4)}</title></rect
      >`
  })
  const axis = html`${ticks.values.map(
      (v) =>
        html`<line
            x1="${px(x(v))}"
            x2="${px(x(v))}"
            y1="${M.top}"
            y2="${px(bottom + 4)}"
            stroke="${GRID}"
          /><text x="${px(x(v))}" y="${px(bottom + 17)}" text-anchor="middle" font-size="11"
            >${tickLabel(v, ticks)}</text
          >`,
    )}<text
      x="${px((labelWidth + W - M.right) / 2)}"
      y="${px(bottom + 36)}"
      text-anchor="middle"
      font-size="12"
      >${valueLabel}</text
    >`
  return html`<svg
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 ${W} ${height}"
    width="${W}"
    height="${height}"
    role="img"
    aria-label="${title}"
    class="chart"
  >
    <title>${title}</title>
    <text x="8" y="16" font-size="13" font-weight="600" fill="${INK}">${title}</text>
    ${axis}
    <g class="marks">${bars}</g>
  </svg>`
}

export interface TimelinePoint {
  /** short label under the point, e.g. "#12" */
  label: string
  /** hover text */
  detail: string
  share: number
  drifted: boolean
  highlight?: boolean
}

/** Share of drifted features per check, in order, with the dataset threshold as a line. */
export function timeline(
  title: string,
  points: readonly TimelinePoint[],
  threshold: number,
): SafeHtml {
  const n = points.length
  const xTicks: Ticks = { min: -0.5, max: Math.max(0.5, n - 0.5), step: 1, values: [], decimals: 0 }
  const yTicks = niceTicks(0, 1, 5)
  const f = frame(
    xTicks,
    yTicks,
    'Drift check (oldest to newest)',
    'Features drifted (%)',
    undefined,
    (v) => formatFixed(v * 100, 0),
  )
  const every = Math.max(1, Math.ceil(n / 12))
  const path = points
    .map((p, k) => `${k === 0 ? 'M' : 'L'}${px(f.x(k))} ${px(f.y(p.share))}`)
    .join(' ')
  const marks = points.map((p, k) => {
    const color = p.drifted ? '#c0392b' : '#2e8b57'
    return html`<circle
        cx="${px(f.x(k))}"
        cy="${px(f.y(p.share))}"
        r="${p.highlight ? 6 : 4}"
        fill="${color}"
        stroke="${p.highlight ? INK : 'none'}"
        stroke-width="2"
        ><title>${p.detail}</title></circle
      >${
        k % every === 0 || p.highlight
          ? html`<text
              x="${px(f.x(k))}"
              y="${px(f.bottom + 18)}"
              text-anchor="middle"
              font-size="11"
              >${p.label}</text
            >`
          : ''
      }`
  })
  const line = html`<line
      x1="${px(f.left)}"
      x2="${px(f.right)}"
      y1="${px(f.y(threshold))}"
      y2="${px(f.y(threshold))}"
      stroke="#c0392b"
      stroke-dasharray="6 4"
      ><title>Dataset drift threshold: ${formatPercent(threshold, 0)} of features</title></line
    ><text
      x="${px(f.right - 4)}"
      y="${px(f.y(threshold) - 5)}"
      text-anchor="end"
      font-size="11"
      fill="#c0392b"
      >threshold ${formatPercent(threshold, 0)}</text
    >`
  return svg(
    title,
    html`${f.axes}${line}<path d="${path}" fill="none" stroke="#8592a8" /><g class="marks"
        >${marks}</g
      >`,
    legend([
      ['Dataset drifted', '#c0392b'],
      ['No dataset drift', '#2e8b57'],
    ]),
  )
}

/** Several charts side by side on screen (each still a figure that print keeps whole). */
export function chartRow(figures: readonly SafeHtml[]): SafeHtml {
  return html`<div class="charts">${joinHtml(figures)}</div>`
}
