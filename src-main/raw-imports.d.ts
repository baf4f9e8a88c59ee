// Text files bundled by Vite's `?raw` suffix (also understood by Vitest): SQL migrations and the
// web host's bridge script.
declare module '*?raw' {
  const text: string
  export default text
}
