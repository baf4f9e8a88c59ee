import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT, collectErrors, dropFile, expect, test } from './fixtures'

const AROMATASE = join(REPO_ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv')
const SHOTS = '/work/shots/dedupe'

test('a file overlapping an earlier import says how many rows were already present', async ({
  page,
  webHost,
}) => {
  test.setTimeout(180_000)
  mkdirSync(SHOTS, { recursive: true })
  const errors = collectErrors(page)
  // Rows sure to be measurements (IC50 in nM, '=', a value): the first 40, then rows 21-60, so the
  // second file repeats 20 rows of the first (more if one of its new rows equals an earlier one).
  const [header, ...body] = readFileSync(AROMATASE, 'utf8').trim().split('\n')
  const cells = (l: string) => l.split('";"').map((c) => c.replace(/^"|"$/g, ''))
  const sure = body.filter((l) => {
    const c = cells(l)
    return c[8] === 'IC50' && c[9] === "'='" && c[11] === 'nM' && Number(c[10]) > 0
  })
  // compound, type, relation, value, units, pChEMBL, assay, document
  const key = (l: string) => [0, 8, 9, 10, 11, 12, 21, 38].map((i) => cells(l)[i]).join('|')
  const first = sure.slice(0, 40)
  const second = sure.slice(20, 60)
  const firstKeys = new Set(first.map(key))
  const present = second.filter((l) => firstKeys.has(key(l))).length
  expect(present).toBeGreaterThanOrEqual(20)
  const write = (name: string, rows: string[]) => {
    const path = join(tmpdir(), `assay-e2e-${name}`)
    writeFileSync(path, [header, ...rows].join('\n') + '\n')
    return path
  }
  const firstPath = write('aromatase-first.csv', first)
  const secondPath = write('aromatase-second.csv', second)

  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(webHost.url)
  await expect(page.getByTestId('engine-status')).toContainText('Engine ready')
  for (const [path, name] of [
    [firstPath, 'aromatase-first.csv'],
    [secondPath, 'aromatase-second.csv'],
  ] as const) {
    await dropFile(page, path, name)
    // each file gets a card of its own, the newest last
    const card = page.getByTestId('import-card').last()
    await card.getByRole('button', { name: `Import ${name}`, exact: true }).click()
    await expect(card.getByTestId('import-summary')).toBeVisible({ timeout: 60_000 })
  }
  const summary = page.getByTestId('import-summary').last()
  await expect(summary.getByTestId('import-already-present')).toHaveText(
    `${present}already present`,
  )
  await expect(summary.getByTestId('import-already-present-note')).toContainText(
    `${present} of the accepted rows were already in the database from an earlier import`,
  )
  await expect(summary.getByTestId('import-already-present-note')).toContainText(
    `${40 - present} new measurements were added`,
  )
  const history = page.getByTestId('import-history')
  await expect(history.locator('tbody tr').first()).toContainText('aromatase-second.csv')
  await expect(history.locator('tbody tr').first().locator('td').nth(7)).toHaveText(`${present}`)
  await page.screenshot({ path: join(SHOTS, 'import-already-present.png'), fullPage: true })
  await history.scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(SHOTS, 'import-history-already-present.png') })
  expect(errors).toEqual([])
})
