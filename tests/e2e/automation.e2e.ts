import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Page } from '@playwright/test'
import { REPO_ROOT, collectErrors, expect, test } from './fixtures'

const AROMATASE = join(REPO_ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv')
const SHOTS = '/work/shots/automation'

/** The export's header and its data lines [from, to): every field is quoted and none spans lines. */
function slice(from: number, to: number): { text: string; rows: number } {
  const lines = readFileSync(AROMATASE, 'utf8').split('\n')
  const data = lines.slice(1 + from, 1 + to).filter((l) => l.trim() !== '')
  return { text: `${[lines[0], ...data].join('\n')}\n`, rows: data.length }
}

const fmt = (n: number) => n.toLocaleString('en')

async function openScreen(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
}

/** How far the main area is wider than the window (0 or less: nothing overflows sideways). */
const overflow = (page: Page) =>
  page.getByRole('main').evaluate((m) => m.scrollWidth - m.clientWidth)

test('a watched folder set in Settings imports a dropped export, checks it for drift, rejects a bad file, and the Activity timeline and the policy panel show it', async ({
  page,
  webHost,
}) => {
  test.setTimeout(420_000)
  mkdirSync(SHOTS, { recursive: true })
  const errors = collectErrors(page)
  const folder = mkdtempSync(join(tmpdir(), 'assay-watched-'))
  try {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(webHost.url)
    await expect(page.getByTestId('engine-status')).toContainText('Engine ready')

    // Settings: the folder, move handled files aside, a short stable time, then on
    await openScreen(page, 'Settings')
    const card = page.getByTestId('watch-card')
    await expect(card.getByRole('heading', { name: 'Watched folder' })).toBeVisible()
    await expect(card.getByTestId('watch-enabled')).not.toBeChecked()
    await expect(card.getByTestId('watch-status')).toHaveText('Off: no folder is watched.')
    for (const p of ['csv', 'tsv', 'txt'])
      await expect(card.getByTestId(`watch-pattern-${p}`)).toBeChecked()
    await card.getByTestId('watch-folder').fill(folder)
    await card.getByTestId('watch-folder').press('Enter')
    // the choices follow the saved settings, so they change once saved: click, then wait
    await card.getByTestId('watch-after-move').click()
    await expect(card.getByTestId('watch-after-move')).toHaveAttribute('aria-checked', 'true')
    await card.getByTestId('watch-stable').fill('0.5')
    await card.getByTestId('watch-stable').press('Enter')
    await expect(card.getByTestId('watch-stable')).toHaveValue('0.5')
    await card.getByTestId('watch-enabled').click()
    await expect(card.getByTestId('watch-enabled')).toBeChecked()
    await expect(card.getByTestId('watch-status')).toContainText(`Watching ${folder}`)
    await expect(page.getByTestId('watch-watching')).toHaveText(`watching ${basename(folder)}`)

    // a folder that does not exist is refused (or not watched) with the engine's reason
    await card.getByTestId('watch-folder').fill(join(folder, 'no-such-folder'))
    await card.getByTestId('watch-folder').press('Enter')
    await expect(card.locator('.error').first()).toBeVisible()
    await card.getByTestId('watch-folder').fill(folder)
    await card.getByTestId('watch-folder').press('Enter')
    await expect(card.getByTestId('watch-status')).toContainText(`Watching ${folder}`)
    await expect(card.locator('.error')).toHaveCount(0)
    // the folder's problem raised the banner only while it lasted
    await expect(page.getByTestId('automation-banner')).toHaveCount(0)
    await card.screenshot({ path: `${SHOTS}/settings-watched-folder.png` })
    await card.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/settings-1280x800.png` })
    expect(await overflow(page)).toBeLessThanOrEqual(0)

    // a first export lands in the folder: imported once complete, then moved to imported/
    const first = slice(0, 1500)
    writeFileSync(join(folder, 'aromatase-part1.csv'), first.text)
    await openScreen(page, 'Activity')
    const imported1 = page
      .locator('[data-kind="file-imported"]')
      .filter({ hasText: 'aromatase-part1.csv' })
    await expect(imported1).toHaveCount(1, { timeout: 120_000 })
    await expect(imported1).toContainText(`of ${fmt(first.rows)} rows accepted`)
    await expect.poll(() => existsSync(join(folder, 'imported', 'aromatase-part1.csv'))).toBe(true)
    expect(existsSync(join(folder, 'aromatase-part1.csv'))).toBe(false)

    // the import link opens that import in the Import screen's history, with the file's rows
    await imported1.getByRole('button', { name: /^Import #\d+$/ }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import')
    const focused = page.locator('tr.focused-row')
    await expect(focused).toContainText('aromatase-part1.csv')
    await expect(focused).toContainText(fmt(first.rows))
    await page.screenshot({ path: `${SHOTS}/import-linked-1280x800.png` })

    // a production model of the target, so the next file is checked for drift against it
    await openScreen(page, 'Models')
    await page.getByTestId('train-learner').selectOption('ridge')
    await page.getByRole('button', { name: 'Train', exact: true }).click()
    await expect(page.getByTestId('model-result')).toContainText('v1 · Ridge', { timeout: 120_000 })
    await page.getByTestId('model-v1').getByRole('button', { name: 'Promote v1' }).click()
    const dialog = page.getByRole('dialog', { name: 'Promote v1 to production?' })
    await dialog.getByLabel('Why promote v1?').fill('first aromatase model')
    await dialog.getByRole('button', { name: 'Promote v1' }).click()
    await expect(page.getByTestId('model-v1')).toContainText('production')

    const second = slice(1500, 3000)
    writeFileSync(join(folder, 'aromatase-part2.csv'), second.text)
    await openScreen(page, 'Activity')
    const imported2 = page
      .locator('[data-kind="file-imported"]')
      .filter({ hasText: 'aromatase-part2.csv' })
    await expect(imported2).toHaveCount(1, { timeout: 120_000 })
    await expect(imported2).toContainText(`of ${fmt(second.rows)} rows accepted`)
    const check = page.locator('[data-kind="drift-checked"]').first()
    await expect(check).toBeVisible({ timeout: 120_000 })
    await expect(check).toContainText('CHEMBL1978')
    await expect(check.getByRole('button', { name: 'Model v1' })).toBeVisible()
    // the check link opens that check on the Drift screen
    await check.getByRole('button', { name: /^Drift check #\d+$/ }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Drift')
    await openScreen(page, 'Activity')

    // a file that is no export: rejected with its reason, moved to rejected/, banner raised
    writeFileSync(join(folder, 'notes.txt'), 'just a note\nnothing to import here\n')
    const rejected = page.locator('[data-kind="file-rejected"]')
    await expect(rejected).toHaveCount(1, { timeout: 60_000 })
    await expect(rejected).toContainText('notes.txt')
    // the reason as a sentence, without the error's code
    await expect(rejected).toContainText('No column identifies the molecules')
    await expect(rejected).not.toContainText('missing-columns')
    await expect.poll(() => existsSync(join(folder, 'rejected', 'notes.txt'))).toBe(true)
    const banner = page.getByTestId('automation-banner')
    await expect(banner).toBeVisible()
    await expect(banner).toContainText('notes.txt')
    await page.screenshot({ path: `${SHOTS}/banner-rejected.png` })

    // the same bytes again under another name: recognised as already imported
    copyFileSync(
      join(folder, 'imported', 'aromatase-part1.csv'),
      join(folder, 'aromatase-part1-again.csv'),
    )
    await expect(
      page.locator('[data-kind="file-duplicate"]').filter({ hasText: 'aromatase-part1-again.csv' }),
    ).toHaveCount(1, { timeout: 60_000 })
    await expect(page.locator('[data-kind="file-imported"]')).toHaveCount(2)

    // the filters: checks only, then files of the target
    await page.getByRole('radio', { name: 'Drift checks' }).click()
    await expect(page.locator('[data-kind="file-imported"]')).toHaveCount(0)
    await expect(page.locator('[data-kind="drift-checked"]').first()).toBeVisible()
    await page.getByRole('radio', { name: 'Files' }).click()
    await expect(page.locator('[data-kind="file-imported"]')).toHaveCount(2)
    await expect(page.locator('[data-kind="drift-checked"]')).toHaveCount(0)
    await page.getByRole('radio', { name: 'Everything' }).click()
    await banner.getByRole('button', { name: 'Dismiss this message' }).click()
    await expect(banner).toHaveCount(0)
    await page.screenshot({ path: `${SHOTS}/activity-1280x800.png` })
    await page.screenshot({ path: `${SHOTS}/activity-full.png`, fullPage: true })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: `${SHOTS}/activity-dark.png` })
    await page.emulateMedia({ colorScheme: 'light' })
    expect(await overflow(page)).toBeLessThanOrEqual(0)

    // the model link opens the Models screen on v1, with the target's retraining policy
    await page
      .locator('[data-kind="drift-checked"]')
      .first()
      .getByRole('button', { name: 'Model v1' })
      .click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Models')
    const panel = page.getByTestId('policy-panel')
    await expect(panel).toContainText('Retraining policy · CHEMBL1978')
    await expect(panel.getByTestId('policy-enabled')).not.toBeChecked()
    // the second file drifted and brought new measurements: those triggers stand fired now
    const triggers = panel.getByTestId('policy-triggers')
    await expect(triggers.locator('li[data-fired="true"]')).not.toHaveCount(0)
    await expect(triggers).toContainText('New measurements')

    // switched on (promotion not allowed) and saved with a reason
    await panel.getByTestId('policy-enabled').check()
    await panel.getByTestId('policy-save').click()
    const save = page.getByRole('dialog', { name: 'Save the retraining policy of CHEMBL1978' })
    await expect(save).toContainText('only ever kept as a candidate')
    await save.getByLabel('Why this change? (kept in the audit log)').fill('monthly exports')
    await save.getByRole('button', { name: 'Save policy' }).click()
    await expect(save).toBeHidden()
    await expect(panel).toContainText('Saved: the policy is on.')
    await expect(panel.getByTestId('policy-save')).toBeDisabled()

    // a dry run says what would be trained, and trains nothing
    await panel.getByTestId('policy-dry-run').click()
    const outcome = panel.getByTestId('policy-outcome')
    await expect(outcome).toContainText('Dry run', { timeout: 60_000 })
    await expect(outcome).toContainText('Would train')
    await expect(page.getByTestId('model-v2')).toHaveCount(0)
    await panel.scrollIntoViewIfNeeded()
    await panel.screenshot({ path: `${SHOTS}/models-policy-dry-run.png` })
    await page.screenshot({ path: `${SHOTS}/models-policy-1280x800.png` })
    expect(await overflow(page)).toBeLessThanOrEqual(0)

    // Retrain now trains a challenger and compares it; without leave to promote, v1 stays
    await panel.getByTestId('policy-retrain').click()
    await expect(outcome.getByRole('button', { name: 'Challenger v2' })).toBeVisible({
      timeout: 120_000,
    })
    await expect(outcome).toContainText('Kept as a candidate')
    await expect(panel.getByTestId('policy-comparison')).toContainText('95% interval')
    await expect(page.getByTestId('model-v1')).toContainText('production')
    await expect(page.getByTestId('model-v2')).toContainText('candidate')
    // the decision raised the banner (a challenger kept); dismissed so the panel shows whole
    await expect(page.getByTestId('automation-banner')).toContainText('Challenger v2')
    await page
      .getByTestId('automation-banner')
      .getByRole('button', { name: 'Dismiss this message' })
      .click()
    await panel.screenshot({ path: `${SHOTS}/models-policy-retrained.png` })
    await openScreen(page, 'Activity')
    await expect(page.locator('[data-kind="retrain-decided"]').first()).toContainText('CHEMBL1978')
    await expect(page.locator('[data-kind="policy-saved"]')).toHaveCount(1)
    await page.screenshot({ path: `${SHOTS}/activity-after-retrain.png` })

    expect(errors).toEqual([])
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})
