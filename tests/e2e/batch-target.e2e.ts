import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { REPO_ROOT, collectErrors, dropFile, expect, test } from './fixtures'

const SHOTS = '/work/shots/dedupe'
test.use({ sample: true })

const HEADER =
  'molecule_chembl_id,canonical_smiles,mw_freebase,alogp,hba,hbd,standard_type,standard_relation,standard_value,standard_units,target_chembl_id,target_pref_name'

/** Six acetylcholinesterase rows as ChEMBL's web services give them (shared/data's dump). */
const ACHE_ROWS = [
  'CHEMBL133897,CCOc1nn(-c2cccc(OCc3ccccc3)c2)c(=O)o1,,,,,IC50,=,750.0,nM,CHEMBL220,Acetylcholinesterase',
  'CHEMBL336398,O=C(N1CCCCC1)n1nc(-c2ccc(Cl)cc2)nc1SCC1CC1,,,,,IC50,=,100.0,nM,CHEMBL220,Acetylcholinesterase',
  'CHEMBL130628,O=C(N1CCCCC1)n1nc(-c2ccc(Cl)cc2)nc1SCC(F)(F)F,,,,,IC50,=,300.0,nM,CHEMBL220,Acetylcholinesterase',
  'CHEMBL130478,CSc1nc(-c2ccc(OC(F)(F)F)cc2)nn1C(=O)N(C)C,,,,,IC50,=,800.0,nM,CHEMBL220,Acetylcholinesterase',
  'CHEMBL130112,CSc1nc(-c2ccc(C)cc2)nn1C(=O)N(C)c1ccccc1,,,,,IC50,=,2400.0,nM,CHEMBL220,Acetylcholinesterase',
  'CHEMBL130098,CSc1nc(-c2ccc(Cl)cc2)nn1C(=O)N(C)C,,,,,IC50,=,100.0,nM,CHEMBL220,Acetylcholinesterase',
]

/**
 * Ten compounds of the synthetic sample the baseline was trained on (IC50, '=', nM), five new
 * compounds on the same target, and the six acetylcholinesterase rows: 21 rows, 6 of another target.
 */
function writeBatchFile(): string {
  const sample = readFileSync(
    join(REPO_ROOT, 'resources/sample/chembl-synthetic-sample.csv'),
    'utf8',
  )
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(';').map((f) => f.replace(/^"|"$/g, '')))
    .filter((f) => f[6] === 'IC50' && f[7] === "'='" && f[9] === 'nM')
  const lines = [HEADER]
  for (const f of sample.slice(0, 10))
    lines.push(
      [
        f[0],
        '',
        f[2],
        f[3],
        f[4],
        f[5],
        'IC50',
        '=',
        f[8],
        'nM',
        'SYNTHETIC-SAMPLE',
        'Sample',
      ].join(','),
    )
  for (let i = 0; i < 5; i++)
    lines.push(
      [`NEW-${i + 1}`, '', 300 + 20 * i, 2 + 0.3 * i, 4, 1, 'IC50', '=', 50 * (i + 1), 'nM'].join(
        ',',
      ) + ',SYNTHETIC-SAMPLE,Sample',
    )
  lines.push(...ACHE_ROWS)
  const path = join(tmpdir(), 'assay-e2e-mixed-targets.csv')
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

test('a file naming other targets is flagged before scoring, with both choices', async ({
  page,
  webHost,
}) => {
  mkdirSync(SHOTS, { recursive: true })
  const errors = collectErrors(page)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(webHost.url)
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Predict' })
    .click()
  const file = writeBatchFile()

  await dropFile(page, file, 'mixed-targets.csv')
  const warning = page.getByTestId('batch-target-warning')
  await expect(warning).toBeVisible({ timeout: 30_000 })
  await expect(warning).toContainText('6 of 21 rows name other targets')
  await expect(warning).toContainText('CHEMBL220 Acetylcholinesterase (6)')
  await expect(warning).toContainText('This model (v1) predicts IC50 for SYNTHETIC-SAMPLE')
  await page.screenshot({ path: join(SHOTS, 'batch-target-warning.png'), fullPage: true })

  // only the model's target: 15 rows scored, 10 of them compounds the model was trained on
  await warning.getByRole('button', { name: 'Score only SYNTHETIC-SAMPLE rows' }).click()
  const results = page.getByTestId('batch-results')
  await expect(results).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('prediction-count')).toHaveText('15 rows')
  await expect(page.getByTestId('batch-other-targets')).toContainText(
    '6 rows naming other targets were not scored',
  )
  const split = page.getByTestId('batch-rmse-split')
  await expect(split).toContainText('(in-sample, 10 compounds the model was trained on)')
  await expect(split).toContainText('(out-of-sample, 5 new compounds)')
  await page.screenshot({ path: join(SHOTS, 'batch-target-only-model.png'), fullPage: true })

  // every row: 21 scored, the acetylcholinesterase rows not compared with
  await dropFile(page, file, 'mixed-targets.csv')
  await expect(warning).toBeVisible({ timeout: 30_000 })
  await warning.getByRole('button', { name: 'Score all rows' }).click()
  await expect(page.getByTestId('prediction-count')).toHaveText('21 rows', { timeout: 60_000 })
  await expect(page.getByTestId('batch-other-targets')).toContainText(
    '6 rows name other targets: scored, but their measured values are not compared',
  )
  await expect(split).toContainText('(in-sample, 10 compounds the model was trained on)')
  await page.screenshot({ path: join(SHOTS, 'batch-target-all.png'), fullPage: true })
  expect(errors).toEqual([])
})
