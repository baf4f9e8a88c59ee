// plotly.js-dist-min ships no types; the few calls the charts make are typed here.
declare module 'plotly.js-dist-min' {
  /** A point Plotly reports in a click event. */
  export interface PlotlyPoint {
    curveNumber: number
    pointIndex: number
    customdata?: unknown
  }
  /** The chart's element once Plotly has drawn into it: it emits Plotly's events. */
  export interface PlotlyElement extends HTMLElement {
    on(event: 'plotly_click', listener: (e: { points: PlotlyPoint[] }) => void): void
    removeAllListeners(event: string): void
  }
  export interface PlotlyModule {
    react(root: HTMLElement, data: object[], layout?: object, config?: object): Promise<unknown>
    purge(root: HTMLElement): void
    Plots: { resize(root: HTMLElement): void }
  }
  const Plotly: PlotlyModule
  export default Plotly
}
