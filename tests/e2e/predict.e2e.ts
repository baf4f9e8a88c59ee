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

  // the baseline reads four features, so the form asks for nothing else; a typed SMILES is for
  // descriptor models (structures.e2e.ts), and a file's rows without the four values are explained below
  await expect(page.getByLabel('SMILES')).toHaveCount(0)
  await expect(page.getByTestId('single-input-kind')).toContainText('v1 reads four features')
  await expect(page.getByTestId('answer-seed')).toContainText('Molecular weight (g/mol)350.40')

  // A small file with measured values. The baseline was trained on the sample file's own MW,
  // AlogP, HBA and HBD (the sample has no structures), so it predicts from those four values only:
  // a row with a SMILES and no values is refused with the reason, never scored from RDKit's values.
  const file = join(tmpdir(), 'assay-e2e-candidates.csv')
  writeFileSync(
    file,
    [
      'molecule_chembl_id,canonical_smiles,mw_freebase,alogp,hba,hbd,standard_type,standard_relation,standard_value,standard_units',
      'CHEMBL25,CC(=O)Oc1ccccc1C(=O)O,180.16,1.31,3,1,IC50,=,1200,nM',
      'CHEMBL112,CC(=O)Nc1ccc(O)cc1,151.16,1.35,2,2,IC50,=,350,nM',
      'CHEMBL113,Cn1c(=O)c2c(ncn2C)n(C)c1=O,194.19,-1.03,6,0,IC50,=,80,nM',
      'SMILES1,CCOc1ccc(C)cc1,,,,,IC50,=,10,nM',
    ].join('\n'),
  )
  await dropFile(page, file, 'candidates.csv')
  const results = page.getByTestId('batch-results')
  await expect(results).toBeVisible({ timeout: 60_000 })
  await expect(results).toContainText('candidates.csv')
  await expect(page.getByTestId('batch-failures')).toContainText(
    'the model was trained on file values',
  )
  await expect(page.getByTestId('prediction-count')).toHaveText('4 rows')
  // Plotly loads on the first chart: seconds on a busy machine
  await expect(page.getByTestId('batch-scatter').locator('.scatterlayer .point')).toHaveCount(3, {
    timeout: 30_000,
  })
  await expect(page.getByTestId('batch-history')).toContainText('candidates.csv')
  await page.screenshot({ path: join(SHOTS, 'predict-batch.png'), fullPage: true })

  const exportRows = async (button: string) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      results.getByRole('button', { name: button }).click(),
    ])
    const lines = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\r\n')
    return { name: download.suggestedFilename(), header: lines[0], rows: lines.slice(1) }
  }
  const all = await exportRows('Export all 4 rows (CSV)')
  expect(all.name).toBe('candidates-predictions-v1.csv')
  expect(all.rows).toHaveLength(4)
  expect(all.header).toContain('p_activity')
  expect(all.rows.every((l) => l.endsWith(',v1'))).toBe(true)

  // With a filter on, the export holds the rows shown: here the one row the model refused.
  await results.getByLabel('Show rows').selectOption('failed')
  await expect(page.getByTestId('prediction-count')).toHaveText('1 row')
  const shown = await exportRows('Export 1 shown row (CSV)')
  expect(shown.name).toBe('candidates-predictions-v1-filtered.csv')
  expect(shown.rows).toHaveLength(1)
  // row numbers are the file's line numbers: SMILES1 is on line 5, under the header
  expect(shown.rows[0]).toMatch(/^5,SMILES1,CCOc1ccc\(C\)cc1,/)
  // and every row is still one click away
  expect((await exportRows('Export all 4 rows (CSV)')).rows).toHaveLength(4)
  await results.getByLabel('Show rows').selectOption('all')

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
  await page.getByTestId('model-v1').getByRole('button', { name: 'Show v1' }).click()
  await expect(page.getByTestId('model-result')).toContainText(
    'v1 · Gradient-boosted trees on core4',
  )
  await page.screenshot({ path: join(SHOTS, 'models-sample.png'), fullPage: true })
  expect(errors).toEqual([])
})
