import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { CSP_META } from './src-main/contract/content-security-policy'

/**
 * Puts the Content-Security-Policy into the built page as a <meta> tag: Electron loads it from a
 * file, where no response header can carry a policy. Build only: the dev server's hot reload needs
 * an inline script.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'assay-csp-meta',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace(
        '<meta charset="UTF-8" />',
        `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP_META}" />`,
      ),
  }
}

// Three builds. The main build has several entries because the engine runs in three hosts
// (Electron utility process, CLI, web host) and its worker threads need a file of their own.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          engine: resolve(__dirname, 'src-main/engine/utility-entry.ts'),
          cli: resolve(__dirname, 'src-main/hosts/cli.ts'),
          worker: resolve(__dirname, 'src-main/engine/workers/worker-entry.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only electron: bundle the contract and zod into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
    plugins: [react(), contentSecurityPolicy()],
  },
})
