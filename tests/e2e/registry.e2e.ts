import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { REPO_ROOT, collectErrors, expect, test } from './fixtures'

const BASELINE = ['baseline-core4-gbdt.onnx', 'baseline-core4-gbdt.json'].map((f) =>
  join(REPO_ROOT, 'models', f),
)

async function openModels(page: Page) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Models' })
    .click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Models')
}

/**
 * Every button of every registry row lies inside the registry card. Measured in one go: charts
 * above the card still settle and move it between two separate measurements.
 */
async function expectButtonsInsideCard(page: Page) {
  const outside = await page.getByTestId('registry-card').evaluate((card) => {
    const box = card.getBoundingClientRect()
    const buttons = Array.from(card.querySelectorAll('table button'))
    return {
      buttons: buttons.length,
      outside: buttons
        .map((b) => ({ name: b.textContent ?? '', r: b.getBoundingClientRect() }))
        .filter(
          ({ r }) =>
            r.left < box.left ||
            r.right > box.right ||
            r.top < box.top ||
            r.bottom > box.bottom ||
            r.width === 0,
        )
        .map(({ name, r }) => `${name} at ${Math.round(r.left)}-${Math.round(r.right)}`),
      card: `${Math.round(box.left)}-${Math.round(box.right)}`,
    }
  })
  expect(outside.buttons).toBeGreaterThan(0)
  expect(outside.outside, `buttons outside the card (${outside.card})`).toEqual([])
}

/** A badge on one line: as tall as one line of its 11 px text plus padding, not two. */
async function expectOneLine(tag: Locator) {
  const b = await tag.boundingBox()
  expect(b?.height ?? 0).toBeLessThan(24)
}

/** Presses Tab until the focused element is the one named, as a keyboard user would. */
async function tabTo(page: Page, name: string, limit = 80): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? ''
    })
    if (focused === name) return presses
  }
  throw new Error(`"${name}" was not reached with ${limit} presses of Tab`)
}

/** At this window size every registry button lies inside the card and the badges stay on one line. */
async function fitsItsCard(page: Page, width: number, height: number) {
  const registry = page.getByTestId('registry-card')
  await page.setViewportSize({ width, height })
  await registry.scrollIntoViewIfNeeded()
  await registry.screenshot({ path: `/tmp/ui-registry-${width}.png` })
  await expectButtonsInsideCard(page)
  await expectOneLine(registry.getByText('synthetic data'))
  await expectOneLine(registry.getByTestId('model-v1').getByText('production'))
}

test.describe('with the sample and its baseline model', () => {
  test.use({ sample: true })

  test('the registry fits its card at 1440 and 1280 px; promote asks for a reason and confirmation, roll back names the version it restores', async ({
    page,
    webHost,
  }) => {
    test.setTimeout(120_000)
    const errors = collectErrors(page)
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(webHost.url)
    await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
    await openModels(page)
    // a second version beside the baseline, so a row has Promote, Archive and Export
    await page.getByTestId('train-learner').selectOption('ridge')
    await page.getByRole('button', { name: 'Train', exact: true }).click()
    await expect(page.getByTestId('model-result')).toContainText('v2 · Ridge', { timeout: 90_000 })
    const registry = page.getByTestId('registry-card')
    await expect(registry.getByTestId('model-v2')).toContainText('candidate')

    // at 1440 px first; 1280 px is checked at the end. Headless Chromium can stop running
    // animation frames after a viewport change, and a click waits on them to see its button
    // stand still: no click follows a resize in this test.
    await fitsItsCard(page, 1440, 900)

    // Promote: a dialog that names what changes and will not go ahead without a reason
    await registry.getByRole('button', { name: 'Promote v2' }).click()
    const promote = page.getByRole('dialog', { name: 'Promote v2 to production?' })
    await expect(promote).toContainText('v1')
    await page.screenshot({ path: '/tmp/ui-promote-dialog.png' })
    await promote.getByRole('button', { name: 'Promote v2' }).click()
    await expect(promote.getByRole('alert')).toContainText('Say why')
    await expect(registry.getByTestId('model-v2')).toContainText('candidate')
    // Cancel changes nothing
    await promote.getByRole('button', { name: 'Cancel' }).click()
    await expect(promote).toBeHidden()
    await expect(registry.getByTestId('model-v2')).toContainText('candidate')
    await registry.getByRole('button', { name: 'Promote v2' }).click()
    await promote.getByLabel('Why promote v2?').fill('ridge is easier to explain to the team')
    await promote.getByRole('button', { name: 'Promote v2' }).click()
    await expect(promote).toBeHidden()
    const message = page.getByTestId('registry-message')
    await expect(message).toContainText('v2 is now the production model of SYNTHETIC-SAMPLE')
    await expect(message).toBeFocused()
    await expect(registry.getByTestId('model-v2')).toContainText('production')
    await expect(registry.getByTestId('model-v1')).toContainText('archived')
    // the reason is in the version's history
    await registry.getByRole('button', { name: 'Show v2' }).click()
    await expect(page.getByTestId('model-history')).toContainText(
      'promote — ridge is easier to explain to the team',
    )

    // Roll back says where it goes before and after
    const rollBack = registry.getByRole('button', { name: 'Roll back to v1' })
    await expect(rollBack).toBeVisible()
    await expectButtonsInsideCard(page)
    await rollBack.click()
    const dialog = page.getByRole('dialog', { name: 'Roll SYNTHETIC-SAMPLE back to v1?' })
    await dialog.getByLabel('Why roll back from v2?').fill('v2 is worse on new compounds')
    await dialog.getByRole('button', { name: 'Roll back to v1' }).click()
    await expect(message).toContainText(
      'Rolled SYNTHETIC-SAMPLE back to v1: it is the production model again, and v2 is archived.',
    )
    await expect(registry.getByTestId('model-v1')).toContainText('production')
    await expect(page.getByTestId('production-model')).toContainText('v1')
    await fitsItsCard(page, 1280, 800)
    expect(errors).toEqual([])
  })

  test('the train form keeps its feature set across screens', async ({ page, webHost }) => {
    await page.goto(webHost.url)
    await openModels(page)
    const featureSet = page.getByRole('radiogroup', { name: 'Feature set' })
    await featureSet.getByRole('radio', { name: 'Physchem' }).click()
    await page.getByTestId('train-learner').selectOption('rf')
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Data' })
      .click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data')
    await openModels(page)
    await expect(featureSet.getByRole('radio', { name: 'Physchem' })).toHaveAttribute(
      'aria-checked',
      'true',
    )
    await expect(page.getByTestId('train-learner')).toHaveValue('rf')
  })

  test('"Import a model…" is reached and used from the keyboard; the same bundle twice says it is already there', async ({
    page,
    webHost,
  }) => {
    await page.goto(webHost.url)
    await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
    await page.keyboard.press('Alt+3')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Models')
    await tabTo(page, 'Import a model…')
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.keyboard.press('Enter'),
    ])
    await chooser.setFiles(BASELINE)
    // the bundled baseline is v1 of this data folder already
    const message = page.getByTestId('registry-message')
    await expect(message).toContainText(
      'baseline-core4-gbdt.onnx is already in the registry as v1',
      { timeout: 20_000 },
    )
    await expect(message).toContainText('Nothing was added.')
    // focus is on the outcome, not dropped on the page
    await expect(message).toBeFocused()
    await expect(page.getByTestId('registry').locator('tbody tr')).toHaveCount(1)
  })
})

test.describe('in an empty data folder', () => {
  test('an imported model shows where it came from, and importing it again adds nothing', async ({
    page,
    webHost,
  }) => {
    await page.goto(webHost.url)
    await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Models' })
      .click()
    // a colleague's model can come before any data
    await expect(page.getByText('No models trained yet')).toBeVisible()
    const importModel = page.getByRole('button', { name: 'Import a model…' })
    const message = page.getByTestId('registry-message')
    for (const expected of [
      'Imported baseline-core4-gbdt.onnx as v1',
      'already in the registry as v1',
    ]) {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), importModel.click()])
      await chooser.setFiles(BASELINE)
      // an upload, a checksum and ONNX Runtime's check: give a busy machine time
      await expect(message).toContainText(expected, { timeout: 20_000 })
      await expect(message).toBeFocused()
      await expect(page.getByTestId('registry').locator('tbody tr')).toHaveCount(1)
    }
    await expect(page.getByTestId('model-v1')).toContainText('imported (v1 there)')
  })
})
