import type { DriftHistogram, DriftRunSummary } from '../../src-main/contract'
import { baseLayout, themeColor } from './plotly-theme'

/**
 * Reference and current shares over the same bins, overlaid as Evidently draws them: the
 * training rows in grey behind, the new rows in colour in front, both as % of their own rows.
 */
export function driftHistogramFigure(
  h: DriftHistogram,
  titles: { x: string; reference: string; current: string },
  height: number,
  currentColor = '--accent',
) {
  const bins = h.reference.length
  const centers: number[] = []
  const widths: number[] = []
  for (let i = 0; i < bins; i++) {
    const lo = h.edges[i] ?? 0
    const hi = h.edges[i + 1] ?? lo
    centers.push((lo + hi) / 2)
    widths.push(hi > lo ? hi - lo : 1)
  }
  const layout = baseLayout(height)
  const bar = (name: string, shares: number[], color: string, opacity: number) => ({
    type: 'bar' as const,
    name,
    x: centers,
    y: shares.map((s) => s * 100),
    width: widths.map((w) => w * 0.96),
    marker: { color, opacity },
    hovertemplate: `${name}: %{y:.1f}% of rows<extra></extra>`,
  })
  return {
    data: [
      bar(titles.reference, h.reference, themeColor('--muted'), 0.45),
      bar(titles.current, h.current, themeColor(currentColor), 0.6),
    ],
    layout: {
      ...layout,
      barmode: 'overlay' as const,
      bargap: 0,
      margin: { l: 52, r: 10, t: 28, b: 44 },
      legend: { orientation: 'h' as const, x: 0, y: 1.02, yanchor: 'bottom' as const },
      xaxis: { ...layout.xaxis, title: { text: titles.x } },
      yaxis: { ...layout.yaxis, title: { text: '% of rows' }, rangemode: 'tozero' as const },
    },
  }
}

interface Panel {
  title: string
  values: (number | null)[]
  /** whether a point is bad (coloured as such) */
  bad: (boolean | null)[]
  format: string
  range?: [number, number]
  lines: { y: number; label: string }[]
}

/** The top of a panel without a fixed range: its highest point or line and a little room. */
function headroom(p: Panel): number {
  const top = Math.max(...p.values.map((v) => v ?? 0), ...p.lines.map((l) => l.y))
  return top > 0 ? top * 1.15 : 1
}

/**
 * A model's checks over time, one panel per measure that has values: share of features drifted,
 * RMSE on measured values, interval coverage and nearest-neighbour similarity. Thresholds are
 * dashed lines; points are coloured by their verdict and carry the check's id for a click.
 */
export function driftTimelineFigure(
  runs: DriftRunSummary[],
  opts: { datasetShare: number; cvRmse: number | null },
) {
  const sorted = [...runs].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  const panels: Panel[] = [
    {
      title: 'Share of features drifted',
      values: sorted.map((r) => r.driftedShare),
      bad: sorted.map((r) => r.datasetDrift),
      format: '.0%',
      range: [-0.05, 1.05],
      lines: [
        {
          y: opts.datasetShare,
          label: `the dataset drifts at ${Math.round(opts.datasetShare * 100)}%`,
        },
      ],
    },
  ]
  if (sorted.some((r) => r.rmse !== null))
    panels.push({
      title: 'RMSE on measured values (pActivity units)',
      values: sorted.map((r) => r.rmse),
      bad: sorted.map((r) => r.degraded),
      format: '.2f',
      lines:
        opts.cvRmse !== null
          ? [{ y: opts.cvRmse, label: `cross-validated RMSE ${opts.cvRmse.toFixed(2)}` }]
          : [],
    })
  if (sorted.some((r) => r.coverage !== null))
    panels.push({
      title: 'Measured values inside the 90% interval',
      values: sorted.map((r) => r.coverage),
      bad: sorted.map((r) => r.degraded),
      format: '.0%',
      range: [0, 1.05],
      lines: [
        { y: 0.9, label: 'expected 90%' },
        { y: 0.8, label: 'degraded below 80%' },
      ],
    })
  if (sorted.some((r) => r.medianNnSimilarity !== null))
    panels.push({
      title: 'Median similarity to the nearest training compound (Tanimoto)',
      values: sorted.map((r) => r.medianNnSimilarity),
      bad: sorted.map(() => null),
      format: '.2f',
      range: [0, 1.05],
      lines: [],
    })

  const panelHeight = 150
  const gap = 46
  const top = 30
  const bottom = 78
  const height = top + bottom + panels.length * panelHeight + (panels.length - 1) * gap
  const plot = height - top - bottom
  const layout = baseLayout(height)
  const ok = themeColor('--ok')
  const bad = themeColor('--bad')
  const neutral = themeColor('--accent')
  const line = themeColor('--muted')

  // One check after another, evenly spaced and labelled with its date: checks come in bursts
  // (an import and its batch minutes apart, then nothing for weeks), and on a time axis the
  // checks of one afternoon sat on top of each other.
  const ticks = tickIndices(sorted.length, 8)
  const when = (iso: string) => {
    const d = new Date(iso)
    return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`
  }
  const xAxis = {
    ...layout.xaxis,
    range: [-0.5, sorted.length - 0.5],
    tickmode: 'array' as const,
    tickvals: ticks,
    ticktext: ticks.map((k) => `#${sorted[k]?.driftRunId}<br>${when(sorted[k]?.createdAt ?? '')}`),
    showgrid: false,
    title: { text: 'checks, oldest first' },
  }

  const data: object[] = []
  const shapes: object[] = []
  const annotations: object[] = []
  const axes: Record<string, object> = {}
  panels.forEach((p, i) => {
    const n = i + 1
    const yName = n === 1 ? 'y' : `y${n}`
    const topY = 1 - (i * (panelHeight + gap)) / plot
    const bottomY = topY - panelHeight / plot
    axes[n === 1 ? 'yaxis' : `yaxis${n}`] = {
      ...layout.yaxis,
      domain: [Math.max(0, bottomY), Math.min(1, topY)],
      tickformat: p.format,
      range: p.range ?? [0, headroom(p)],
      anchor: 'x',
    }
    // the dashed lines are named in the panel's title: labels on the lines sat on the points
    const lines = p.lines.length > 0 ? ` — dashed: ${p.lines.map((l) => l.label).join('; ')}` : ''
    annotations.push({
      xref: 'paper',
      yref: 'paper',
      x: 0,
      y: topY,
      yanchor: 'bottom',
      xanchor: 'left',
      showarrow: false,
      text: `<b>${p.title}</b><span style="color:${line}">${lines}</span>`,
      font: { size: 12, color: themeColor('--text') },
    })
    for (const l of p.lines) {
      shapes.push({
        type: 'line',
        xref: 'paper',
        x0: 0,
        x1: 1,
        yref: yName,
        y0: l.y,
        y1: l.y,
        line: { color: line, width: 1, dash: 'dash' },
      })
    }
    const points = sorted.flatMap((r, k) =>
      p.values[k] === null ? [] : [{ r, k, v: p.values[k] as number, bad: p.bad[k] ?? null }],
    )
    data.push({
      type: 'scatter',
      mode: points.length > 1 ? 'lines+markers' : 'markers',
      x: points.map((q) => q.k),
      hovertext: points.map((q) => when(q.r.createdAt)),
      y: points.map((q) => q.v),
      yaxis: yName,
      customdata: points.map((q) => q.r.driftRunId),
      text: points.map(
        (q) =>
          `check #${q.r.driftRunId} · ${q.r.featuresDrifted} of ${q.r.featuresTested} features drifted` +
          (q.r.datasetDrift ? ' · dataset drifted' : ' · no dataset drift'),
      ),
      hovertemplate: `%{hovertext}<br>%{y:${p.format}}<br>%{text}<br>click to open<extra></extra>`,
      line: { color: line, width: 1 },
      marker: {
        size: 11,
        color: points.map((q) => (q.bad === null ? neutral : q.bad ? bad : ok)),
        line: { width: 1, color: themeColor('--surface') },
      },
      showlegend: false,
    })
  })
  return {
    data,
    layout: {
      ...layout,
      margin: { l: 56, r: 16, t: top, b: bottom },
      hovermode: 'closest' as const,
      xaxis: { ...xAxis, anchor: panels.length === 1 ? 'y' : `y${panels.length}` },
      ...axes,
      shapes,
      annotations,
    },
  }
}

/** At most `max` evenly spread indices of `n` checks, always the first and the last. */
function tickIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i)
  const step = (n - 1) / (max - 1)
  return [...new Set(Array.from({ length: max }, (_, i) => Math.round(i * step)))]
}
