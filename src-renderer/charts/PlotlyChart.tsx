import { useEffect, useRef } from 'react'
import { type Plotly, loadPlotly, useThemeVersion } from './plotly-theme'

type Data = Parameters<Plotly['react']>[1]
type Layout = Parameters<Plotly['react']>[2]

/**
 * Any Plotly figure; `figure` is called again when the theme changes, so it can read theme
 * colours at that moment.
 */
export function PlotlyChart({
  figure,
  label,
  testId,
}: {
  figure: () => { data: Data; layout: Layout }
  label: string
  testId?: string
}) {
  const ref = useRef<HTMLDivElement>(null)
  const theme = useThemeVersion()

  useEffect(() => {
    const root = ref.current
    if (!root) return
    let cancelled = false
    void loadPlotly().then((P) => {
      if (cancelled) return
      const { data, layout } = figure()
      void P.react(root, data, layout, { displayModeBar: false, responsive: true })
    })
    return () => {
      cancelled = true
    }
  }, [figure, theme])

  useEffect(() => {
    const root = ref.current
    return () => {
      if (root) void loadPlotly().then((P) => P.purge(root))
    }
  }, [])

  return <div ref={ref} className="chart" role="img" aria-label={label} data-testid={testId} />
}
