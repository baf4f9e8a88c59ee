// `npm start`: makes sure the Electron binary and Electron-built native modules are there, then
// builds and starts the desktop app. Where Electron cannot be had, says so and how to go on.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { ensureForElectron } from './native-modules.mjs'

const require = createRequire(import.meta.url)
const electronDir = dirname(require.resolve('electron/package.json'))
const electronVersion = require('electron/package.json').version

function electronBinaryPresent() {
  const pathFile = join(electronDir, 'path.txt')
  return (
    existsSync(pathFile) &&
    existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()))
  )
}

function explainMissingElectron(reason) {
  console.error(`
Assay Workbench could not start: the Electron ${electronVersion} binary is not installed, and
downloading it failed (${reason}; this computer may have no access to Electron's download server). Either let
the download go through a mirror you can reach, for example
    ELECTRON_MIRROR=https://your-mirror.example/electron/ npx install-electron
and run npm start again; or use the app in a browser instead, with no Electron at all:
    npm run web
which prints a local address to open.
`)
}

if (!electronBinaryPresent()) {
  console.log(`Downloading the Electron ${electronVersion} binary…`)
  const download = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    encoding: 'utf8',
    timeout: 300_000,
  })
  if (download.status !== 0 || !electronBinaryPresent()) {
    // The installer prints a stack trace; its first line is the reason a person needs.
    const reason = (download.stderr || download.error?.message || 'no reason given')
      .trim()
      .split('\n')[0]
    explainMissingElectron(reason)
    process.exit(1)
  }
}

if (!ensureForElectron(electronVersion)) {
  console.error(`
Assay Workbench could not rebuild better-sqlite3 for Electron ${electronVersion} (electron-builder
install-app-deps failed; it needs Electron's headers from the network the first time). Use
    npm run web
to run the app in a browser meanwhile. The tests rebuild it for Node by themselves.
`)
  process.exit(1)
}

const result = spawnSync('npx', ['electron-vite', 'preview'], { stdio: 'inherit' })
process.exit(result.status ?? 1)
