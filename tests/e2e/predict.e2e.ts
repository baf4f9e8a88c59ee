import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { REPO_ROOT, collectErrors, dropFile, expect, test } from './fixtures'

const SHOTS = join(REPO_ROOT, 'test-results/screens')
test.use({ sample: true })

test('first launch predicts from the bundled model: one compound, a dropped file, and the CSV', async ({
  page,
  webHost,
}) => {
  const errors = collectErrors(page)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(webHost.url)
  await expect(page.getByTestId('production-model')).toContainText('v1 (SYNTHETIC-SAMPLE, gbdt)')
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Predict' })
    .click()
  await expect(page.getByTestId('sample-banner')).toContainText('trained on synthetic sample data')

  // a typo is explained, not thrown
  await page.getByLabel('MW (g/mol)').fill('-350')
  await page.getByLabel('AlogP').fill('3.1')
  await page.getByLabel('HBA').fill('5')
  await page.getByLabel('HBD').fill('1')
  await page.getByTestId('predict-submit').click()
  await expect(page.getByRole('alert')).toContainText('MW must be a positive number below 5000')
  await page.getByLabel('MW (g/mol)').fill('350.4')
  await page.getByTestId('predict-submit').click()
  const answer = page.getByTestId('answer')
  await expect(answer).toContainText('pActivity')
  await expect(answer).toContainText('90% interval')
  await expect(answer).toContainText('Inside the applicability domain')
  await expect(answer).toContainText(
    'Model v1 for SYNTHETIC-SAMPLE, trained on synthetic sample data',
  )
  await page.screenshot({ path: join(SHOTS, 'predict-single.png') })

  await page.getByRole('radio', { name: 'SMILES' }).click()
  await page.getByLabel('SMILES').fill('C1CC(')
  await page.getByTestId('predict-submit').click()
  await expect(page.getByRole('alert')).toContainText('RDKit cannot read the SMILES')

  // a small file with measured values and one bad row
  const file = join(tmpdir(), 'assay-e2e-candidates.csv')
  writeFileSync(
    file,
    [
      'molecule_chembl_id,canonical_smiles,standard_type,standard_relation,standard_value,standard_units',
      'CHEMBL25,CC(=O)Oc1ccccc1C(=O)O,IC50,=,1200,nM',
      'CHEMBL112,CC(=O)Nc1ccc(O)cc1,IC50,=,350,nM',
      'CHEMBL113,Cn1c(=O)c2c(ncn2C)n(C)c1=O,IC50,=,80,nM',
      'BAD1,not a smiles,IC50,=,10,nM',
    ].join('\n'),
  )
  await dropFile(page, file, 'candidates.csv')
  const results = page.getByTestId('batch-results')
  await expect(results).toBeVisible({ timeout: 60_000 })
  await expect(results).toContainText('candidates.csv')
  await expect(page.getByTestId('batch-failures')).toContainText('1 SMILES RDKit cannot read')
  await expect(page.getByTestId('prediction-count')).toHaveText('4 rows')
  await expect(page.getByTestId('batch-scatter').locator('.scatterlayer .point')).toHaveCount(3)
  await expect(page.getByTestId('batch-history')).toContainText('candidates.csv')
  await page.screenshot({ path: join(SHOTS, 'predict-batch.png'), fullPage: true })

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    results.getByRole('button', { name: 'Export CSV' }).click(),
  ])
  expect(download.suggestedFilename()).toBe('candidates-predictions-v1.csv')
  const csv = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\r\n')
  expect(csv).toHaveLength(5)
  expect(csv[0]).toContain('p_activity')
  expect(csv.slice(1).every((l) => l.endsWith(',v1'))).toBe(true)

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(SHOTS, 'predict-batch-dark.png'), fullPage: true })

  // the bundled model is in the registry, marked as trained on synthetic data
  await page.emulateMedia({ colorScheme: 'light' })
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Models' })
    .click()
  await expect(page.getByTestId('model-v1')).toContainText('synthetic data')
  await expect(page.getByTestId('train-target')).toContainText('SYNTHETIC-SAMPLE')
  await page.getByTestId('model-v1').getByRole('button', { name: 'v1' }).click()
  await expect(page.getByTestId('model-result')).toContainText(
    'v1 · Gradient-boosted trees on core4',
  )
  await page.screenshot({ path: join(SHOTS, 'models-sample.png'), fullPage: true })
  expect(errors).toEqual([])
})
