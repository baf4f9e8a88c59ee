import { join } from 'node:path'
import { REPO_ROOT, collectErrors, dropFile, expect, test } from './fixtures'

const AROMATASE = join(REPO_ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv')
const SHOTS = join(REPO_ROOT, 'test-results/screens')

test('a model is trained with progress, evaluated, promoted and exported from the Models screen', async ({
  page,
  webHost,
}) => {
  // the import alone may take a minute on a busy machine: more than the default 60 s for it all
  test.setTimeout(240_000)
  const errors = collectErrors(page)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  await dropFile(page, AROMATASE, 'chembl_aromatase_CHEMBL1978_export.csv')
  const card = page.getByTestId('import-card')
  await card
    .getByRole('button', { name: 'Import chembl_aromatase_CHEMBL1978_export.csv', exact: true })
    .click()
  await expect(card.getByTestId('import-summary')).toBeVisible({ timeout: 90_000 })

  await page.getByRole('navigation').getByText('Models').click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Models')
  // 2,332 molecules have IC50 / nM / '=' values (shared/data/README.md); 2,285 of them have one
  // ChEMBL's curators do not doubt (no data validity comment, not a potential duplicate)
  await expect(page.getByTestId('training-set')).toContainText('2,285 compounds')
  await page.getByTestId('train-include-flagged').check()
  await expect(page.getByTestId('training-set')).toContainText('2,332 compounds')
  await page.getByTestId('train-include-flagged').uncheck()
  await expect(page.getByTestId('training-set')).toContainText('2,285 compounds')
  // potencies are offered; Km is offered as what it is; % inhibition is not offered at all
  const types = page.getByRole('group').filter({ hasText: 'Standard types' })
  await expect(types).toContainText('kinetic, not potency')
  await expect(types).not.toContainText('Inhibition')
  await expect(page.getByTestId('train-target')).toContainText('CHEMBL1978')
  await page.getByTestId('train-learner').selectOption('gbdt')
  await page.getByRole('button', { name: 'Train', exact: true }).click()
  await expect(page.getByTestId('train-progress')).toBeVisible()
  await page.screenshot({ path: join(SHOTS, 'models-training.png') })

  const result = page.getByTestId('model-result')
  await expect(result).toBeVisible({ timeout: 90_000 })
  await expect(result).toContainText('v1 · Gradient-boosted trees on core4')
  await expect(result).toContainText('RMSE')
  // Plotly loads on the first chart: seconds on a busy machine
  await expect(page.getByTestId('oof-scatter').locator('.scatterlayer .point').first()).toBeVisible(
    { timeout: 30_000 },
  )
  await expect(page.getByTestId('runs')).toContainText('Gradient-boosted trees')
  await expect(page.getByTestId('all-runs')).toContainText('gbdt · core4')
  const row = page.getByTestId('model-v1')
  await expect(row).toContainText('candidate')
  await row.getByRole('button', { name: 'Promote v1' }).click()
  const dialog = page.getByRole('dialog', { name: 'Promote v1 to production?' })
  await dialog.getByLabel('Why promote v1?').fill('first model of aromatase')
  await dialog.getByRole('button', { name: 'Promote v1' }).click()
  await expect(dialog).toBeHidden()
  await expect(row).toContainText('production')
  await expect(page.getByTestId('production-model')).toContainText('v1')
  await page.screenshot({ path: join(SHOTS, 'models-result.png'), fullPage: true })

  const downloads: string[] = []
  page.on('download', (d) => downloads.push(d.suggestedFilename()))
  await row.getByRole('button', { name: 'Export v1' }).click()
  await expect.poll(() => downloads.sort()).toEqual(['CHEMBL1978-v1.json', 'CHEMBL1978-v1.onnx'])

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(SHOTS, 'models-result-dark.png'), fullPage: true })
  expect(errors).toEqual([])
})
