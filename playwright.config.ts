import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { defineConfig } from '@playwright/test'
import { CHROMIUM_FLAGS, chromiumPath } from './src-main/engine/host/chromium-pdf'

/** Debian's Chromium: the machines this is built on cannot download Playwright's own browsers. */
export const CHROMIUM = chromiumPath()

// The Electron smoke test needs the Electron binary, which `npm ci` does not download here.
const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
const electronPathFile = join(electronDir, 'path.txt')
const electronPresent =
  existsSync(electronPathFile) &&
  existsSync(join(electronDir, 'dist', readFileSync(electronPathFile, 'utf8').trim()))
if (!electronPresent && process.env.TEST_WORKER_INDEX === undefined) {
  console.log(
    'Electron smoke test not run: the Electron binary is not installed (node_modules/electron/dist is missing; ' +
      '`npx install-electron` downloads it). The same screens are tested in Chromium through the web host.',
  )
}

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS,
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'web', testMatch: /.*\.e2e\.ts$/ },
    ...(electronPresent ? [{ name: 'electron', testMatch: /.*\.electron\.ts$/ }] : []),
  ],
})
