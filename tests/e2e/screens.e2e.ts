import { type Page } from '@playwright/test'
import { collectErrors, expect, test } from './fixtures'

// The sample (2,500 compounds and the baseline model) gives every screen something to show.
test.use({ sample: true })

const SCREENS = ['Import', 'Data', 'Models', 'Predict', 'Drift', 'Reports', 'Settings']

async function openScreen(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
}

/** The app frame is still there: navigation, a screen heading and no error panel. */
async function expectScreenShown(page: Page, name: string) {
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
  await expect(page.getByTestId('screen-error')).toHaveCount(0)
  // tables have fetched the rows in view
  await expect(page.locator('.vt-placeholder')).toHaveCount(0)
}

test('every tab of every screen opens without a console error or a blank window', async ({
  page,
  webHost,
}) => {
  const errors = collectErrors(page)
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  const visited: string[] = []
  for (const name of SCREENS) {
    await openScreen(page, name)
    await expectScreenShown(page, name)
    visited.push(name)
    const main = page.getByRole('main')
    // tabs (Data: Activities / Compounds) and tab-like radio groups (Predict's input, the feature set)
    for (const role of ['tab', 'radio'] as const) {
      const count = await main.getByRole(role).count()
      for (let i = 0; i < count; i++) {
        const tab = main.getByRole(role).nth(i)
        const label = (await tab.textContent())?.trim() ?? `${role} ${i}`
        if (await tab.isDisabled()) continue
        await tab.click()
        await expect(tab).toHaveAttribute(role === 'tab' ? 'aria-selected' : 'aria-checked', 'true')
        await expectScreenShown(page, name)
        visited.push(`${name} › ${label}`)
      }
      // and back to the first one, as a person flicking between tabs does
      if (count > 1) {
        await main.getByRole(role).first().click()
        await expectScreenShown(page, name)
      }
    }
    expect(errors, `console errors after ${visited.at(-1)}`).toEqual([])
  }
  // the Data screen's two tabs were among them
  expect(visited).toEqual(expect.arrayContaining(['Data › Activities', 'Data › Compounds']))
  expect(visited).toEqual(expect.arrayContaining(['Predict › SMILES', 'Models › Physchem']))
  // the Compounds tab shows compounds, with the seed features
  await openScreen(page, 'Data')
  await page.getByRole('tab', { name: 'Compounds' }).click()
  await expect(
    page.getByRole('table', { name: 'Compounds' }).getByRole('row').nth(1),
  ).toContainText('SYNTH-00001')
  expect(errors).toEqual([])
})

test('a screen that fails to render says so and offers a way back; the rest of the app works', async ({
  page,
  webHost,
}) => {
  // A malformed answer from the engine (targets missing from the facets) makes the Data screen
  // throw while it renders, as a bug would.
  await page.route('**/api/call', async (route) => {
    const body = route.request().postDataJSON() as { method: string }
    if (body.method !== 'data.facets') return route.continue()
    await route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        ok: true,
        value: { compounds: 3, activities: 3, targets: null, standardTypes: [], relations: [] },
      }),
    })
  })
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Data' }).click()
  const panel = page.getByTestId('screen-error')
  await expect(panel).toBeVisible()
  await expect(panel).toContainText('This screen ran into a problem and could not be shown')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data')
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  await page.screenshot({ path: '/tmp/ui-screen-error.png' })

  // the way back
  await panel.getByRole('button', { name: 'Go to Import' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import')
  await expect(page.getByTestId('screen-error')).toHaveCount(0)

  // once the engine answers properly again, the screen works on the next visit
  await page.unroute('**/api/call')
  await openScreen(page, 'Data')
  await expect(page.getByTestId('screen-error')).toHaveCount(0)
  await expect(page.getByRole('table', { name: 'Activities' })).toBeVisible()
})
