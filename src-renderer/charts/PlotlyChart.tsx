import type { PlotlyElement, PlotlyPoint } from 'plotly.js-dist-min'
import { useEffect, useRef } from 'react'
import { type Plotly, loadPlotly, useThemeVersion } from './plotly-theme'

type Data = Parameters<Plotly['react']>[1]
type Layout = Parameters<Plotly['react']>[2]

/**
 * Any Plotly figure; `figure` is called again when the theme changes, so it can read theme
 * colours at that moment. `onPointClick` hears clicks on the figure's points.
 */
export function PlotlyChart({
  figure,
  label,
  testId,
  onPointClick,
}: {
  figure: () => { data: Data; layout: Layout }
  label: string
  testId?: string
  onPointClick?: (point: PlotlyPoint) => void
}) {
  const ref = useRef<HTMLDivElement>(null)
  const theme = useThemeVersion()

  useEffect(() => {
    const root = ref.current
    if (!root) return
    let cancelled = false
    void loadPlotly().then(async (P) => {
      if (cancelled) return
      const { data, layout } = figure()
      // Plotly's responsive resize measures the element for the height too: unpinned, a window
      // resize shrank a tall figure to the element's min-height, over what came after it
      const height = (layout as { height?: unknown } | undefined)?.height
      if (typeof height === 'number') root.style.height = `${height}px`
      await P.react(root, data, layout, { displayModeBar: false, responsive: true })
      if (cancelled || !onPointClick) return
      // react() keeps the element's listeners: the previous figure's handler is removed first,
      // or one click would open as many checks as the figure had been drawn times
      const plot: HTMLElement = root
      const emitter = plot as PlotlyElement
      emitter.removeAllListeners('plotly_click')
      emitter.on('plotly_click', (e) => {
        const point = e.points[0]
        if (point) onPointClick(point)
      })
    })
    return () => {
      cancelled = true
    }
  }, [figure, theme, onPointClick])

  useEffect(() => {
    const root = ref.current
    return () => {
      if (root) void loadPlotly().then((P) => P.purge(root))
    }
  }, [])

  return <div ref={ref} className="chart" role="img" aria-label={label} data-testid={testId} />
}
