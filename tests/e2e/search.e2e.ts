import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT, collectErrors, dropFile, expect, test } from './fixtures'

const AROMATASE = join(REPO_ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv')
const SHOTS = '/work/shots/search'
const LETROZOLE = 'N#Cc1ccc(C(c2ccc(C#N)cc2)n2cncn2)cc1'

/** The export's header, its first 800 rows, and every row of letrozole (CHEMBL1444). */
function aromataseSlice(): string {
  const dir = mkdtempSync(join(tmpdir(), 'assay-search-e2e-'))
  const [header, ...rows] = readFileSync(AROMATASE, 'utf8').split('\n').filter(Boolean)
  const picked = new Set([...rows.slice(0, 800), ...rows.filter((r) => r.includes('"CHEMBL1444"'))])
  const path = join(dir, 'aromatase-slice.csv')
  writeFileSync(path, [header, ...picked].join('\n') + '\n')
  return path
}

test('structure search on the Data screen: similar compounds with a threshold, substructures, a bad query', async ({
  page,
  webHost,
}) => {
  test.setTimeout(180_000)
  const errors = collectErrors(page)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  await dropFile(page, aromataseSlice(), 'aromatase-slice.csv')
  const card = page.getByTestId('import-card')
  await card.getByRole('button', { name: 'Import aromatase-slice.csv', exact: true }).click()
  const summary = card.getByTestId('import-summary')
  await expect(summary).toBeVisible({ timeout: 90_000 })
  await summary.getByRole('button', { name: 'View data' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data')

  await page.getByRole('tab', { name: 'Search structures' }).click()
  await expect(page.getByLabel('Similarity threshold')).toHaveValue('0.7')
  await page.getByLabel('Query SMILES').fill(LETROZOLE)
  await page.getByRole('button', { name: 'Search structures' }).click()
  const results = page.getByTestId('search-results')
  await expect(results).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('search-summary')).toContainText('with Tanimoto ≥ 0.70')
  const table = page.getByTestId('search-table')
  // letrozole itself first, identical to the query
  await expect(table.locator('tbody tr').first()).toContainText('CHEMBL1444')
  await expect(table.getByTestId('hit-similarity').first()).toHaveText('1.00')
  const at07 = await table.locator('tbody tr').count()
  await page.screenshot({ path: join(SHOTS, 'similarity-0.70.png'), fullPage: true })

  // lowering the threshold runs the search again: more hits, still most similar first
  const slider = page.getByLabel('Similarity threshold')
  await slider.focus()
  for (let i = 0; i < 8; i++) await slider.press('ArrowLeft')
  await expect(slider).toHaveValue('0.3')
  await expect(page.getByTestId('search-summary')).toContainText('with Tanimoto ≥ 0.30', {
    timeout: 30_000,
  })
  const sims = (await table.getByTestId('hit-similarity').allTextContents()).map(Number)
  expect(sims.length).toBeGreaterThan(at07)
  expect(sims).toEqual([...sims].sort((a, b) => b - a))
  expect(Math.min(...sims)).toBeGreaterThanOrEqual(0.3)
  await page.screenshot({ path: join(SHOTS, 'similarity-0.30.png'), fullPage: true })

  // a substructure: the 1,2,4-triazole of letrozole and its analogues
  await page.getByRole('radio', { name: 'Contains substructure' }).click()
  await expect(page.getByLabel('Similarity threshold')).toHaveCount(0)
  await page.getByLabel('Query SMARTS or SMILES').fill('c1ncnn1')
  await page.getByRole('button', { name: 'Search structures' }).click()
  await expect(page.getByTestId('search-summary')).toContainText('containing the substructure', {
    timeout: 30_000,
  })
  await expect(table.locator('tbody tr').filter({ hasText: 'CHEMBL1444' })).toHaveCount(1)
  await expect(page.getByTestId('search-scope')).toContainText('compared')
  await page.screenshot({ path: join(SHOTS, 'substructure.png'), fullPage: true })

  // a query RDKit cannot read says so, naming it
  await page.getByLabel('Query SMARTS or SMILES').fill('c1ccc(')
  await page.getByRole('button', { name: 'Search structures' }).click()
  await expect(page.getByTestId('search-error')).toContainText(
    'RDKit cannot read the SMARTS query "c1ccc("',
  )
  await expect(results).toHaveCount(0)
  await page.screenshot({ path: join(SHOTS, 'bad-query.png'), fullPage: true })
  expect(errors).toEqual([])
})
