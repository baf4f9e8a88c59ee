import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { REPO_ROOT } from './fixtures'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'

// Runs only where the Electron binary is installed (playwright.config.ts says so when it is not).
test('the desktop app opens its window with the engine running', async () => {
  const app = await electron.launch({
    args: [join(REPO_ROOT, 'out/main/index.js')],
    env: { ...process.env, ASSAY_DATA_DIR: mkdtempSync(join(tmpdir(), 'assay-electron-')) },
  })
  const window = await app.firstWindow()
  await expect(window).toHaveTitle('Assay Workbench')
  await expect(window.getByTestId('engine-status')).toContainText('Engine ready')
  const isolated = await window.evaluate(
    () => typeof (window as unknown as { require?: unknown }).require === 'undefined',
  )
  expect(isolated).toBe(true)
  await app.close()
})
