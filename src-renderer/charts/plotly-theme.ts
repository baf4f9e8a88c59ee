import { useEffect, useState } from 'react'

export type Plotly = typeof import('plotly.js-dist-min').default
let plotly: Promise<Plotly> | null = null
/** Plotly is large: load it the first time a chart is shown, not at start-up. */
export const loadPlotly = () => (plotly ??= import('plotly.js-dist-min').then((m) => m.default))

/**
 * A theme colour as the browser resolved it. Reading the custom property gives its source text
 * (`light-dark(…)`), which Plotly cannot use; a probe element's computed colour is concrete.
 */
export function themeColor(name: string): string {
  const probe = document.createElement('span')
  probe.style.color = `var(${name})`
  probe.style.display = 'none'
  document.body.appendChild(probe)
  const color = getComputedStyle(probe).color
  probe.remove()
  return color
}

/** Changes whenever the colours change: the OS switches scheme or the user pins a theme. */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1)
    const media = window.matchMedia('(prefers-color-scheme: dark)')
    media.addEventListener('change', bump)
    const observer = new MutationObserver(bump)
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    })
    return () => {
      media.removeEventListener('change', bump)
      observer.disconnect()
    }
  }, [])
  return version
}

/** The layout every chart shares: transparent, theme fonts and grid colours. */
export function baseLayout(height: number) {
  const grid = themeColor('--border')
  return {
    height,
    margin: { l: 48, r: 10, t: 8, b: 40 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: {
      family: getComputedStyle(document.body).fontFamily,
      size: 11,
      color: themeColor('--muted'),
    },
    xaxis: { gridcolor: grid, zeroline: false },
    yaxis: { gridcolor: grid, zeroline: false },
  }
}
