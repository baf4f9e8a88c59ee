import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT, collectErrors, dropFile, expect, test } from './fixtures'

const AROMATASE = join(REPO_ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv')
const SHOTS = process.env.INTERVAL_SHOTS ?? join(REPO_ROOT, 'test-results/screens')
mkdirSync(SHOTS, { recursive: true })

/** The export's header and first 1,500 rows: enough IC50 compounds for five calibration bins. */
function aromataseSubset(): string {
  const lines = readFileSync(AROMATASE, 'utf8').split('\n')
  const path = join(tmpdir(), 'aromatase-1500.csv')
  writeFileSync(path, `${lines.slice(0, 1501).join('\n')}\n`)
  return path
}

test.use({ sample: true })

test('adaptive intervals: held-out coverage on the model page, each compound its own width and both domain numbers on Predict', async ({
  page,
  webHost,
}) => {
  test.setTimeout(480_000)
  const errors = collectErrors(page)
  await page.setViewportSize({ width: 1440, height: 1000 })
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')

  await dropFile(page, aromataseSubset(), 'aromatase-1500.csv')
  const card = page.getByTestId('import-card')
  await card.getByRole('button', { name: 'Import aromatase-1500.csv', exact: true }).click()
  await expect(card.getByTestId('import-summary')).toBeVisible({ timeout: 120_000 })

  await page.getByRole('navigation').getByRole('button', { name: 'Models' }).click()
  await page.getByTestId('train-target').selectOption('CHEMBL1978')
  await page
    .getByRole('radiogroup', { name: 'Feature set' })
    .getByRole('radio', { name: 'Physchem', exact: false })
    .first()
    .click()
  await page.getByTestId('train-learner').selectOption('gbdt')
  await expect(page.getByTestId('training-set')).toContainText('compounds')
  const result = page.getByTestId('model-result')
  const trainButton = page.getByRole('button', { name: 'Train', exact: true })
  await expect(async () => {
    if (await trainButton.isVisible()) await trainButton.click()
    await expect(result).toContainText('on physchem', { timeout: 20_000 })
  }).toPass({ timeout: 300_000 })
  const coverage = page.getByTestId('interval-coverage')
  await expect(coverage).toContainText('Nested cross-validation')
  await expect(coverage).toContainText('Tanimoto similarity below')
  await coverage.scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(SHOTS, 'model-interval-coverage.png') })

  const version = (await result.textContent())?.match(/\b(v\d+) ·/)?.[1] as string
  const row = page.getByTestId(`model-${version}`)
  const dialog = page.getByRole('dialog', { name: `Promote ${version} to production?` })
  // the row's buttons can move while the list refreshes after training: retry until promoted
  await expect(async () => {
    if (!(await dialog.isVisible()))
      await row.getByRole('button', { name: `Promote ${version}` }).click()
    await dialog.getByLabel(`Why promote ${version}?`).fill('adaptive intervals')
    await dialog.getByRole('button', { name: `Promote ${version}` }).click()
    await expect(row).toContainText('production', { timeout: 10_000 })
  }).toPass({ timeout: 60_000 })

  await page.getByRole('navigation').getByRole('button', { name: 'Predict' }).click()
  // a perfluoroalkane: nothing like an aromatase inhibitor
  await page.getByLabel('SMILES').fill('FC(F)(F)C(F)(F)C(F)(F)C(F)(F)F')
  await page.getByTestId('predict-submit').click()
  const answer = page.getByTestId('answer')
  await expect(answer).toContainText("its width is this compound's own")
  await expect(page.getByTestId('answer-domain')).toContainText(
    'Similarity to the nearest training compound',
  )
  await expect(answer).toContainText('Outside the applicability domain')
  await page.screenshot({ path: join(SHOTS, 'predict-adaptive-single.png') })

  const file = join(tmpdir(), 'assay-e2e-interval-candidates.csv')
  writeFileSync(
    file,
    [
      'molecule_chembl_id,canonical_smiles',
      'LETROZOLE,N#Cc1ccc(C(c2ccc(C#N)cc2)n2cncn2)cc1',
      'ANASTROZOLE,CC(C)(C#N)c1cc(Cn2cncn2)cc(C(C)(C)C#N)c1',
      'PERFLUOROBUTANE,FC(F)(F)C(F)(F)C(F)(F)C(F)(F)F',
      'GLUCOSE,OCC1OC(O)C(O)C(O)C1O',
      'ASPIRIN,CC(=O)Oc1ccccc1C(=O)O',
    ].join('\n'),
  )
  await dropFile(page, file, 'candidates.csv')
  const results = page.getByTestId('batch-results')
  await expect(results).toContainText('LETROZOLE', { timeout: 60_000 })
  await results.scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(SHOTS, 'predict-adaptive-batch.png') })
  expect(errors).toEqual([])
})
