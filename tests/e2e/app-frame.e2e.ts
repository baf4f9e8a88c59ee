import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { LATEST_SCHEMA_VERSION } from '../../src-main/engine/db/migrations'
import { REPO_ROOT, expect, test } from './fixtures'

const SCREENS = [
  { nav: 'Import', heading: 'Import', empty: 'Drop ChEMBL exports here' },
  { nav: 'Data', heading: 'Data', empty: 'No compounds yet' },
  { nav: 'Models', heading: 'Models', empty: 'No models trained yet' },
  { nav: 'Predict', heading: 'Predict', empty: 'No production model yet' },
  { nav: 'Drift', heading: 'Drift', empty: 'Nothing to compare yet' },
  { nav: 'Activity', heading: 'Activity', empty: 'Nothing has happened yet' },
  { nav: 'Reports', heading: 'Reports', empty: 'No reports yet' },
  { nav: 'Settings', heading: 'Settings', empty: 'Self-test' },
]

const SHOTS = join(REPO_ROOT, 'test-results/screens')

test('the app loads and shows the engine status in the status bar', async ({ page, webHost }) => {
  await page.goto(webHost.url)
  await expect(page).toHaveTitle('Assay Workbench')
  await expect(page.getByTestId('engine-status')).toContainText(
    `Engine ready · schema v${LATEST_SCHEMA_VERSION}`,
  )
  // The token is moved out of the address bar once the bridge has it.
  expect(page.url()).not.toContain('token=')
  await page.reload()
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  await expect(page.getByTestId('production-model')).toContainText('Production model')
  // The Content-Security-Policy is in force: an inline script injected into the page does not run.
  const inlineRan = await page.evaluate(async () => {
    const script = document.createElement('script')
    script.textContent = 'document.body.dataset.inlineRan = "yes"'
    document.head.appendChild(script)
    await new Promise((r) => setTimeout(r, 50))
    return document.body.dataset.inlineRan === 'yes'
  })
  expect(inlineRan).toBe(false)
})

test('every screen is reachable from the navigation, in light and dark', async ({
  page,
  webHost,
}) => {
  mkdirSync(SHOTS, { recursive: true })
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.goto(webHost.url)
    await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
    for (const screen of SCREENS) {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: screen.nav })
        .click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(screen.heading)
      await expect(page.getByRole('button', { name: screen.nav })).toHaveAttribute(
        'aria-current',
        'page',
      )
      await expect(page.getByText(screen.empty, { exact: true }).first()).toBeVisible()
      await page.screenshot({ path: join(SHOTS, `${screen.nav.toLowerCase()}-${scheme}.png`) })
    }
  }
})

test('screens can be reached from the keyboard', async ({ page, webHost }) => {
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  await page.keyboard.press('Alt+3')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Models')
  // Tab reaches the navigation buttons, Enter activates one.
  await page.getByRole('button', { name: 'Predict' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Predict')
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: 'Drift' })).toBeFocused()
})

test('the self-test job shows progress in the status bar and finishes with descriptors', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('button', { name: 'Run self-test' }).click()
  const job = page.getByTestId('running-job')
  await expect(job).toBeVisible()
  await expect(job.getByRole('progressbar')).toBeVisible()
  await expect(job).toContainText('Self-test')
  await page.screenshot({ path: join(SHOTS, 'selftest-running.png') })
  const table = page.getByTestId('selftest-result')
  await expect(table).toBeVisible({ timeout: 30_000 })
  await expect(job).toBeHidden()
  await expect(page.getByTestId('selftest-state')).toHaveText('Passed')
  await expect(table.locator('tbody tr')).toHaveCount(8)
  // Ethanol, C2H6O: 2(12.011) + 6(1.008) + 15.999 = 46.069 g/mol; one donor, one acceptor.
  const ethanol = table.locator('tbody tr').first()
  await expect(ethanol.locator('td').nth(0)).toHaveText('Ethanol')
  await expect(ethanol.locator('td').nth(1)).toHaveText('CCO')
  await expect(ethanol.locator('td').nth(2)).toHaveText('46.07')
  await expect(ethanol.locator('td').nth(4)).toHaveText('1')
  await expect(ethanol.locator('td').nth(5)).toHaveText('1')
  await page.screenshot({ path: join(SHOTS, 'selftest-done.png') })
})

test('the theme setting overrides the system scheme and is remembered', async ({
  page,
  webHost,
}) => {
  const scheme = () => page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto(webHost.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Theme').selectOption('dark')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  expect(await scheme()).toBe('dark')
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Theme').selectOption('system')
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/)
  expect(await scheme()).toBe('light dark')
})
