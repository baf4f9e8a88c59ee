import { join } from 'node:path'
import { REPO_ROOT, collectErrors, dropFile, expect, test } from './fixtures'
import { cutOffSelects, lineCounts } from './layout'

const AROMATASE = join(REPO_ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv')
const SHOTS = join(REPO_ROOT, 'test-results/screens')

test('a dropped ChEMBL export is previewed, imported with progress, summarised, and fills the Data screen', async ({
  page,
  webHost,
}) => {
  // the import alone may take a minute on a busy machine: more than the default 60 s for it all
  test.setTimeout(240_000)
  const errors = collectErrors(page)
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')

  await dropFile(page, AROMATASE, 'chembl_aromatase_CHEMBL1978_export.csv')
  const card = page.getByTestId('import-card')
  await expect(card).toContainText('ChEMBL web export')
  await expect(card).toContainText('semicolon-separated')
  await expect(card).toContainText('47 columns')
  await expect(card.getByLabel('Field for column Molecule ChEMBL ID')).toHaveValue(
    'molecule_chembl_id',
  )
  await expect(card.getByLabel('Field for column Molecular Weight')).toHaveValue('mw_freebase')
  // the preview shows every row it read (20), and each mapping select shows its whole field name
  await expect(card.locator('.preview-table tbody tr')).toHaveCount(20)
  for (const [width, height] of [
    [1280, 800],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width, height })
    expect(await cutOffSelects(card.locator('.preview-table select'))).toEqual([])
    await page.screenshot({ path: join(SHOTS, `import-preview-${width}.png`), fullPage: true })
  }
  await page.setViewportSize({ width: 1280, height: 800 })

  await card
    .getByRole('button', { name: 'Import chembl_aromatase_CHEMBL1978_export.csv', exact: true })
    .click()
  await expect(card.getByTestId('import-progress')).toBeVisible()
  await expect(page.getByTestId('running-job')).toContainText('Import')
  await page.screenshot({ path: join(SHOTS, 'import-running.png') })

  const summary = card.getByTestId('import-summary')
  await expect(summary).toBeVisible({ timeout: 90_000 })
  // 6,099 rows in the file (shared/data/README.md); 265 have no value, and all but 5 of those
  // say why in their comment: 111 Not Active and 16 "Inactivation not observed", 78 Not Determined
  await expect(summary).toContainText('6,099rows read')
  await expect(summary).toContainText('5 no value')
  await expect(card.getByTestId('import-qualitative')).toContainText('127 inactive (no value)')
  await expect(card.getByTestId('import-qualitative')).toContainText('78 inconclusive (no value)')
  // "Outside typical range" (152 rows in the file) marks the values that are otherwise usable
  await expect(card.getByTestId('import-flagged')).toContainText('ChEMBL: outside typical range')
  await expect(page.getByTestId('import-history')).toContainText(
    'chembl_aromatase_CHEMBL1978_export.csv',
  )
  // the history's format and date read on one line (a wrapped date read as two)
  const historyRow = page.getByTestId('import-history').locator('tbody tr').first()
  expect(await lineCounts(historyRow.locator('td:nth-child(3), td:nth-child(4)'))).toEqual([1, 1])
  await page.screenshot({ path: join(SHOTS, 'import-summary.png'), fullPage: true })

  await summary.getByRole('button', { name: 'View data' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data')
  await expect(
    page.getByRole('table', { name: 'Activities' }).getByRole('row').nth(1),
  ).toContainText('CHEMBL')
  await page.getByLabel('Standard type').selectOption('IC50')
  await page.getByLabel('Relation').selectOption('=')
  await expect(page.getByTestId('row-count')).not.toHaveText('0 activities')
  // Plotly (3 MB) loads on the first chart: seconds on a busy machine
  await expect(page.getByTestId('histogram-mw_freebase').locator('.main-svg').first()).toBeVisible({
    timeout: 30_000,
  })
  await expect(page.getByTestId('histogram-p_activity').locator('.main-svg').first()).toBeVisible({
    timeout: 30_000,
  })
  await page.screenshot({ path: join(SHOTS, 'data-filled.png'), fullPage: true })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(SHOTS, 'data-filled-dark.png'), fullPage: true })
  await page.emulateMedia({ colorScheme: 'light' })

  // A censored value keeps its qualifier on both scales. The file's first '>' row is CHEMBL2111947,
  // IC50 > 50,000 nM; pActivity 9 - log10(50,000) = 9 - 4.699 = 4.30, and "> nM" is "< pActivity".
  await page.getByLabel('Relation').selectOption('>')
  const censored = page.getByRole('table', { name: 'Activities' }).getByRole('row').nth(1)
  await expect(censored).toContainText('CHEMBL2111947')
  // cells after the structure, molecule, type, relation, value and units
  await expect(censored.getByRole('cell').nth(6)).toHaveText('> 50.0 µM')
  await expect(censored.getByRole('cell').nth(7)).toHaveText('< 4.30')
  await page.getByLabel('Relation').selectOption('=')

  // inactive rows are data: the Training filter finds them, and the table says what they are
  await page.getByLabel('Standard type').selectOption('')
  await page.getByLabel('Relation').selectOption('')
  await page.getByTestId('filter-training').selectOption('inactive')
  await expect(page.getByTestId('row-count')).toHaveText('127 activities')
  await expect(page.getByRole('table', { name: 'Activities' })).toContainText('inactive (no value)')
  await page.screenshot({ path: join(SHOTS, 'data-inactive.png'), fullPage: true })
  await page.getByTestId('filter-training').selectOption('')

  // scrolling deep into the table fetches the rows that come into view (the molecule cell, after
  // the structure)
  const body = page.locator('.vt-body')
  await body.evaluate((el) => (el.scrollTop = el.scrollHeight))
  await expect(
    page
      .getByRole('table', { name: 'Activities' })
      .locator('.vt-row .vt-cell:nth-child(2)')
      .first(),
  ).not.toHaveText('')

  await page.getByLabel('Search').fill('CHEMBL3349931')
  await expect(page.getByTestId('row-count')).toHaveText(/^\d+ activities$/)
  await page.getByRole('tab', { name: 'Compounds' }).click()
  await expect(page.getByTestId('row-count')).toHaveText('1 compounds')
  await expect(page.getByRole('table', { name: 'Compounds' })).toContainText('343.47')
  await expect(page.getByRole('alert')).toHaveCount(0)
  expect(errors).toEqual([])
})

test('a file the importer cannot read by itself can be mapped by hand and imported', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer()
    dt.items.add(
      new File(['Structure Code,Potency (pIC50)\nCCO,5.5\nc1ccccc1O,6.25\n'], 'colleague.csv', {
        type: 'text/csv',
      }),
    )
    return dt
  })
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer })
  const card = page.getByTestId('import-card')
  await expect(card.getByRole('alert').first()).toContainText('No column identifies the molecules')
  const importButton = card.getByRole('button', { name: 'Import colleague.csv', exact: true })
  await expect(importButton).toBeDisabled()
  await card.getByLabel('Field for column Structure Code').selectOption('smiles')
  await card.getByLabel('Field for column Potency (pIC50)').selectOption('pchembl_value')
  await expect(card.getByRole('alert')).toHaveCount(0)
  // from the keyboard: the button goes when the job starts, and the focus must not fall to the page
  await importButton.focus()
  await page.keyboard.press('Enter')
  const summary = card.getByTestId('import-summary')
  await expect(summary).toBeVisible({ timeout: 30_000 })
  await expect(card.getByTestId('import-outcome')).toBeFocused()
  await expect(summary).toContainText('2rows read')
  await expect(summary).toContainText('2accepted')
})
