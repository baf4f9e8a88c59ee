import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Page, test as base } from '@playwright/test'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

interface WebHostProcess {
  url: string
  dataDir: string
}

/** Starts the built web host (`assay web`) on a free port with a data folder of its own. */
async function startWebHost(
  sample: boolean,
): Promise<{ host: WebHostProcess; child: ChildProcess }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'assay-e2e-'))
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'out/main/cli.js'),
      'web',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...(sample ? [] : ['--no-sample']),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(
      () => reject(new Error(`web host did not start:\n${out}\n${err}`)),
      20_000,
    )
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /served at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out)
      if (match?.[1]) {
        clearTimeout(timer)
        resolveUrl(match[1])
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('exit', (code) => reject(new Error(`web host exited with ${code}:\n${out}\n${err}`)))
  })
  return { host: { url, dataDir }, child }
}

/**
 * Each test gets its own web host and data folder, so no test sees another's imports or models:
 * empty, or as a first launch leaves it (the synthetic sample and baseline model) with
 * `test.use({ sample: true })`.
 */
export const test = base.extend<{ webHost: WebHostProcess; sample: boolean }>({
  sample: [false, { option: true }],
  webHost: [
    async ({ sample }, use) => {
      const { host, child } = await startWebHost(sample)
      await use(host)
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      rmSync(host.dataDir, { recursive: true, force: true })
    },
    { scope: 'test' },
  ],
})

/** Drops a real file onto the drop zone, as a person dragging it from their file manager would. */
export async function dropFile(page: Page, path: string, name: string) {
  const base64 = readFileSync(path).toString('base64')
  const dataTransfer = await page.evaluateHandle(
    ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([bytes], name, { type: 'text/csv' }))
      return dt
    },
    { base64, name },
  )
  await page.getByTestId('dropzone').dispatchEvent('dragover', { dataTransfer })
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer })
}

/** Console errors and uncaught exceptions of a page, to assert there were none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}

export { expect } from '@playwright/test'
