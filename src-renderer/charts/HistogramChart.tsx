import { useCallback } from 'react'
import type { Histogram } from '../../src-main/contract'
import { PlotlyChart } from './PlotlyChart'
import { baseLayout, themeColor } from './plotly-theme'

/** One histogram as a Plotly bar chart, coloured from the current theme. */
export function HistogramChart({
  histogram,
  height = 180,
}: {
  histogram: Histogram
  height?: number
}) {
  const figure = useCallback(() => {
    const { edges, counts } = histogram
    const centers = counts.map((_, i) => ((edges[i] as number) + (edges[i + 1] as number)) / 2)
    const width = edges.length > 1 ? (edges[1] as number) - (edges[0] as number) : 1
    const layout = baseLayout(height)
    return {
      data: [
        {
          type: 'bar' as const,
          x: centers,
          y: counts,
          width: counts.map(() => width * 0.92),
          marker: { color: themeColor('--accent') },
          hovertemplate: `%{x:.3~f}: %{y} <extra></extra>`,
        },
      ],
      layout: {
        ...layout,
        margin: { l: 44, r: 8, t: 6, b: 32 },
        yaxis: { ...layout.yaxis, title: { text: 'count' } },
        bargap: 0,
      },
    }
  }, [histogram, height])

  return (
    <PlotlyChart figure={figure} label={`Histogram of ${histogram.label}, ${histogram.n} values`} />
  )
}
