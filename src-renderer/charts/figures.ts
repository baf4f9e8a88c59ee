import { baseLayout, themeColor } from './plotly-theme'

/** Predicted against observed p-activity with the identity line, on equal axes. */
export function observedVsPredicted(
  observed: number[],
  predicted: number[],
  titles: { x: string; y: string },
  height: number,
) {
  const all = [...observed, ...predicted]
  const lo = Math.floor(Math.min(...all))
  const hi = Math.ceil(Math.max(...all))
  const layout = baseLayout(height)
  return {
    data: [
      {
        type: 'scatter' as const,
        mode: 'markers' as const,
        x: observed,
        y: predicted,
        marker: { size: 4, color: themeColor('--accent'), opacity: 0.55 },
        hovertemplate: 'observed %{x:.2f}<br>predicted %{y:.2f}<extra></extra>',
        name: 'compounds',
      },
      {
        type: 'scatter' as const,
        mode: 'lines' as const,
        x: [lo, hi],
        y: [lo, hi],
        line: { color: themeColor('--muted'), dash: 'dash' as const, width: 1 },
        hoverinfo: 'skip' as const,
        name: 'identity',
      },
    ],
    layout: {
      ...layout,
      showlegend: false,
      xaxis: { ...layout.xaxis, title: { text: titles.x }, range: [lo, hi] },
      yaxis: { ...layout.yaxis, title: { text: titles.y }, range: [lo, hi] },
    },
  }
}
