import { useEffect, useRef } from 'react'
import { loadPlotly, themeColor, useThemeVersion } from './plotly-theme'
import type { Histogram } from '../../src-main/contract'

/** One histogram as a Plotly bar chart, coloured from the current theme. */
export function HistogramChart({
  histogram,
  height = 180,
}: {
  histogram: Histogram
  height?: number
}) {
  const ref = useRef<HTMLDivElement>(null)
  const theme = useThemeVersion()

  useEffect(() => {
    const root = ref.current
    if (!root) return
    let cancelled = false
    void loadPlotly().then((Plotly) => {
      if (cancelled) return
      const { edges, counts } = histogram
      const centers = counts.map((_, i) => ((edges[i] as number) + (edges[i + 1] as number)) / 2)
      const width = edges.length > 1 ? (edges[1] as number) - (edges[0] as number) : 1
      const text = themeColor('--muted')
      void Plotly.react(
        root,
        [
          {
            type: 'bar',
            x: centers,
            y: counts,
            width: counts.map(() => width * 0.92),
            marker: { color: themeColor('--accent') },
            hovertemplate: `%{x:.3~f}: %{y} <extra></extra>`,
          },
        ],
        {
          height,
          margin: { l: 44, r: 8, t: 6, b: 32 },
          paper_bgcolor: 'rgba(0,0,0,0)',
          plot_bgcolor: 'rgba(0,0,0,0)',
          font: { family: getComputedStyle(document.body).fontFamily, size: 11, color: text },
          xaxis: { gridcolor: themeColor('--border'), zeroline: false },
          yaxis: { gridcolor: themeColor('--border'), zeroline: false, title: { text: 'count' } },
          bargap: 0,
        },
        { displayModeBar: false, responsive: true },
      )
    })
    return () => {
      cancelled = true
    }
  }, [histogram, height, theme])

  useEffect(() => {
    const root = ref.current
    return () => {
      if (root) void loadPlotly().then((Plotly) => Plotly.purge(root))
    }
  }, [])

  return (
    <div
      ref={ref}
      className="chart"
      role="img"
      aria-label={`Histogram of ${histogram.label}, ${histogram.n} values`}
    />
  )
}
