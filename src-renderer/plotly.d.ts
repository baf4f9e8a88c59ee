// plotly.js-dist-min ships no types; the few calls the charts make are typed here.
declare module 'plotly.js-dist-min' {
  export interface PlotlyModule {
    react(root: HTMLElement, data: object[], layout?: object, config?: object): Promise<unknown>
    purge(root: HTMLElement): void
    Plots: { resize(root: HTMLElement): void }
  }
  const Plotly: PlotlyModule
  export default Plotly
}
