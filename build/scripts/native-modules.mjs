// Which runtime better-sqlite3's compiled addon was built for. `npm ci` builds it for Node (the
// CLI, the web host and the tests); the desktop app needs it rebuilt for Electron's ABI. The two
// cannot share one file, so the scripts below switch it, and this marker says which one is there.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const addonDir = join(dirname(require.resolve('better-sqlite3/package.json')), 'build')
const marker = join(addonDir, '.built-for')

export function builtFor() {
  return existsSync(marker) ? readFileSync(marker, 'utf8').trim() : 'node'
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' })
  return result.status === 0
}

/** Makes better-sqlite3 loadable by this Node; rebuilds it (about a minute) only when it is not. */
export function ensureForNode() {
  const probe = spawnSync(
    process.execPath,
    ['-e', "new (require('better-sqlite3'))(':memory:').close()"],
    {
      encoding: 'utf8',
    },
  )
  if (probe.status === 0) return true
  console.log('better-sqlite3 was built for another runtime (Electron); rebuilding it for Node…')
  if (!run('npm', ['rebuild', 'better-sqlite3'])) return false
  rmSync(marker, { force: true })
  return true
}

/** Rebuilds native modules for Electron's ABI (needs Electron's headers from the network the first time). */
export function ensureForElectron(electronVersion) {
  const want = `electron-${electronVersion}`
  if (builtFor() === want) return true
  console.log(`Rebuilding native modules for Electron ${electronVersion}…`)
  if (!run('npx', ['electron-builder', 'install-app-deps'])) return false
  writeFileSync(marker, want)
  return true
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2]
  const ok =
    target === 'electron'
      ? ensureForElectron(require('electron/package.json').version)
      : ensureForNode()
  process.exit(ok ? 0 : 1)
}
