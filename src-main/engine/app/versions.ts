import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const requireHere = createRequire(import.meta.url)

/**
 * The version in the nearest package.json named `name`, walking up from `start`. Reading the file
 * works where `require('x/package.json')` does not: packages whose `exports` hide it (RDKit) and
 * the app itself, from source, from out/ and from inside an asar archive.
 */
function versionAbove(start: string, name: string): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string
        version?: string
      }
      if (pkg.name === name && pkg.version) return pkg.version
    } catch {
      // no package.json here: keep climbing
    }
    if (dirname(dir) === dir) return null
  }
}

/** The installed version of a dependency (cheap: loads none of its code). */
export function packageVersion(name: string): string | null {
  try {
    return versionAbove(dirname(requireHere.resolve(name)), name)
  } catch {
    return null
  }
}

export function appVersion(): string {
  return versionAbove(dirname(fileURLToPath(import.meta.url)), 'assay-workbench') ?? 'unknown'
}
