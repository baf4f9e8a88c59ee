import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Page } from '@playwright/test'
import { collectErrors, dropFile, expect, test } from './fixtures'

// The sample (2,500 compounds and the baseline model) gives every screen something to show.
test.use({ sample: true })

const SCREENS = ['Import', 'Data', 'Models', 'Predict', 'Drift', 'Activity', 'Reports', 'Settings']

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
  test.setTimeout(150_000)
  const errors = collectErrors(page)
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  const visited: string[] = []
  for (const name of SCREENS) {
    await openScreen(page, name)
    await expectScreenShown(page, name)
    visited.push(name)
    const main = page.getByRole('main')
    // tabs (Data: Activities / Compounds) and tab-like radio groups (the feature set)
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
  expect(visited).toEqual(expect.arrayContaining(['Models › Physchem']))
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

/** The accessible names of every button on the page, as assistive technology lists them. */
async function buttonNames(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot()
  return [...snapshot.matchAll(/- button "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '')
}

function duplicates(names: string[]): string[] {
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))]
}

test('buttons have distinct accessible names on every screen; a reopened batch takes the focus', async ({
  page,
  webHost,
}) => {
  test.setTimeout(120_000)
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  const file = join(tmpdir(), 'assay-e2e-names.csv')
  writeFileSync(
    file,
    [
      'molecule_chembl_id,canonical_smiles,mw_freebase,alogp,hba,hbd,standard_type,standard_relation,standard_value,standard_units',
      'CHEMBL25,CC(=O)Oc1ccccc1C(=O)O,180.16,1.31,3,1,IC50,=,1200,nM',
      'CHEMBL112,CC(=O)Nc1ccc(O)cc1,151.16,1.35,2,2,IC50,>,50000,nM',
    ].join('\n'),
  )
  // Import with a file waiting: the card's button and the sidebar's were both "Import"
  await dropFile(page, file, 'names.csv')
  await expect(page.getByTestId('import-card')).toContainText('2 rows of the file')
  for (const name of SCREENS) {
    await openScreen(page, name)
    if (name === 'Predict') {
      // results and history of two batches: their rows and links must not share names either
      for (let i = 0; i < 2; i++) {
        await dropFile(page, file, `batch-${i}.csv`)
        await expect(page.getByTestId('batch-results')).toContainText(`batch-${i}.csv`, {
          timeout: 60_000,
        })
      }
    }
    await expectScreenShown(page, name)
    const names = await buttonNames(page)
    expect(names.length, `${name} has buttons`).toBeGreaterThanOrEqual(7)
    expect(duplicates(names), `buttons sharing a name on ${name}`).toEqual([])
  }

  // Reopening the first batch from the history, with the keyboard: its results appear above the
  // link, and the focus goes to them.
  await openScreen(page, 'Predict')
  const history = page.getByTestId('batch-history')
  const first = history.getByRole('button').last()
  await first.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('batch-results')).toContainText('batch-0.csv')
  await expect(page.getByRole('heading', { name: /batch-0\.csv/ })).toBeFocused()
})
