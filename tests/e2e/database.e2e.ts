import { readdirSync } from 'node:fs'
import { collectErrors, expect, test } from './fixtures'

test.use({ sample: true })

test('the Settings screen checks the database, backs it up and restores a backup after confirmation', async ({
  page,
  webHost,
}) => {
  const errors = collectErrors(page)
  const dialogs: string[] = []
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`)
    void d.accept()
  })
  await page.goto(webHost.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  const card = page.getByTestId('database-card')
  await expect(card.getByRole('heading', { name: 'Database' })).toBeVisible()

  await card.getByRole('button', { name: 'Check the database' }).click()
  await expect(card.getByTestId('database-check')).toContainText('No problems found')

  await card.getByRole('button', { name: 'Back up now' }).click()
  const today = new Date().toLocaleDateString('sv-SE')
  await expect(card.getByTestId('backups')).toContainText(today)
  await page.screenshot({ path: 'test-results/e2e/settings-database.png', fullPage: true })

  // a change after the backup: the theme, a setting stored in the database
  const theme = page.getByRole('combobox', { name: 'Theme' })
  await theme.selectOption('dark')
  await expect(theme).toHaveValue('dark')

  // the page reloads with the restored database; Settings is opened after that reload (clicked
  // before it, the reload lands on the first screen and the click is lost)
  const reloaded = page.waitForEvent('load', { timeout: 60_000 })
  await card.getByRole('button', { name: `Restore the backup from ${today}` }).click()
  await reloaded
  // the theme is back to what it was
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('system')
  expect(dialogs[0]).toMatch(/^confirm: Replace the database with the backup from/)
  expect(dialogs[1]).toMatch(/^alert: Restored the backup from .*kept as .*before-restore-/s)
  expect(
    readdirSync(webHost.dataDir).some((f) => f.startsWith('workbench.sqlite.before-restore-')),
  ).toBe(true)
  expect(errors).toEqual([])
})
