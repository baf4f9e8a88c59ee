import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { REPO_ROOT, collectErrors, dropFile, expect, test } from './fixtures'

const SHOTS = '/work/shots/drift'
mkdirSync(SHOTS, { recursive: true })

// The bundled sample (2,500 synthetic compounds) and its baseline model are what a first-time
// user has; simulated data is drawn from the same sample.
test.use({ sample: true })

/** AlogP's mean and standard deviation in the bundled sample file, read here, not from the app. */
function sampleAlogp(): { mean: number; sd: number } {
  const lines = readFileSync(
    join(REPO_ROOT, 'resources/sample/chembl-synthetic-sample.csv'),
    'utf8',
  )
    .trim()
    .split(/\r?\n/)
  const header = (lines[0] ?? '').split(';').map((h) => h.replace(/"/g, ''))
  const col = header.indexOf('AlogP')
  const values = lines.slice(1).map((l) => Number((l.split(';')[col] ?? '').replace(/"/g, '')))
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1))
  return { mean, sd }
}

async function openDrift(page: Page) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Drift' })
    .click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Drift')
}

async function simulate(page: Page, shift: string, rows: number) {
  const card = page.getByTestId('drift-simulate')
  await card.getByLabel('Shift of the simulated data').selectOption({ label: shift })
  await card.getByLabel('Rows to simulate').fill(String(rows))
  await card.getByRole('button', { name: 'Simulate and check' }).click()
  // the finished check opens by itself
  await expect(page.getByTestId('drift-check')).toBeVisible({ timeout: 120_000 })
}

/** The bars Plotly drew for a chart, as (x, y) per trace, read from the figure on the page. */
function chartTraces(page: Page, testId: string) {
  return page
    .getByTestId(testId)
    .evaluate((el) =>
      ((el as unknown as { data?: { name?: string; x: number[]; y: number[] }[] }).data ?? []).map(
        (t) => ({ name: t.name ?? '', x: [...t.x], y: [...t.y] }),
      ),
    )
}

const weightedMean = (x: number[], w: number[]) =>
  x.reduce((a, v, i) => a + v * (w[i] ?? 0), 0) / w.reduce((a, v) => a + v, 0)

/** Trains a model through the page's contract and waits for it; answers the job's final state. */
function trainThroughContract(page: Page, input: Record<string, unknown>): Promise<string> {
  return page.evaluate(async (input) => {
    type Answer = { ok: boolean; value?: unknown; error?: { message: string } }
    const api = (
      window as unknown as { workbench: { call(m: string, i: unknown): Promise<Answer> } }
    ).workbench
    const started = await api.call('models.train', input)
    if (!started.ok) return started.error?.message ?? 'not started'
    const { jobId } = started.value as { jobId: string }
    for (;;) {
      await new Promise((r) => setTimeout(r, 500))
      const jobs = (await api.call('jobs.list', {})).value as { id: string; state: string }[]
      const job = jobs.find((j) => j.id === jobId)
      if (job && job.state !== 'running') return job.state
    }
  }, input)
}

test('a simulated AlogP shift is flagged, its distributions open, and the timeline opens the check', async ({
  page,
  webHost,
}) => {
  test.setTimeout(240_000)
  const errors = collectErrors(page)
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(webHost.url)
  await openDrift(page)

  // a first-time user is offered a simulation before any check exists
  await expect(page.getByTestId('drift-empty')).toContainText('No checks of v1 yet')
  await simulate(page, 'More lipophilic: AlogP + 1 standard deviation', 1000)

  const check = page.getByTestId('drift-check')
  await expect(check.getByRole('heading', { level: 2 }).first()).toContainText('synthetic data')
  await expect(page.getByTestId('drift-compared')).toContainText('simulated data')
  // what the verdict means for the next step, in words
  await expect(page.getByTestId('drift-meaning')).toContainText(
    /differ from what the model learned from|fewer than it takes/,
  )
  await expect(check.getByText(/\b1,000\b/).first()).toBeVisible()

  // AlogP's row says drifted; the rows are read from the virtual table
  const table = page.getByRole('table', { name: 'Drift of each feature' })
  const alogpRow = table.getByRole('row', { name: 'Show the distributions of AlogP' })
  await expect(alogpRow.getByRole('cell').last()).toHaveText('drifted')
  // molecular weight was not shifted, and 1,000 rows of the sample's own distribution do not move it
  await expect(
    table
      .getByRole('row', { name: 'Show the distributions of Molecular weight (g/mol)' })
      .getByRole('cell')
      .last(),
  ).toHaveText('no')

  // opening AlogP shows both distributions; the checked rows sit about one sample sd higher
  await alogpRow.click()
  await expect(page.getByTestId('drift-distribution')).toContainText('AlogP')
  const chart = page.getByTestId('drift-feature-chart')
  await expect(chart.locator('.barlayer .trace')).toHaveCount(2, { timeout: 30_000 })
  const [reference, current] = await chartTraces(page, 'drift-feature-chart')
  expect(reference?.name).toBe('training rows')
  expect(current?.name).toBe('rows checked')
  const { mean, sd } = sampleAlogp()
  const refMean = weightedMean(reference?.x ?? [], reference?.y ?? [])
  const curMean = weightedMean(current?.x ?? [], current?.y ?? [])
  // binned means: within a quarter sd of the truth (bins are about a third of an sd wide)
  expect(Math.abs(refMean - mean)).toBeLessThan(0.25 * sd)
  expect((curMean - refMean) / sd).toBeGreaterThan(0.75)
  expect((curMean - refMean) / sd).toBeLessThan(1.25)
  // the shares are % of each side's rows
  for (const t of [reference, current])
    expect(Math.abs((t?.y ?? []).reduce((a, b) => a + b, 0) - 100)).toBeLessThan(0.01)
  await page.setViewportSize({ width: 1280, height: 2400 })
  await page.screenshot({ path: join(SHOTS, 'check-alogp-shift.png') })

  // back on the timeline, the one check is one point; clicking it opens the check again
  await page.setViewportSize({ width: 1280, height: 900 })
  await check.getByRole('button', { name: 'Back to the timeline' }).click()
  const timeline = page.getByTestId('drift-timeline')
  const point = timeline.locator('.scatterlayer .point').first()
  await expect(point).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('drift-history').locator('tbody tr')).toHaveCount(1)
  await page.screenshot({ path: join(SHOTS, 'timeline-one-check.png') })
  const box = await point.boundingBox()
  if (!box) throw new Error('the timeline point has no box')
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
  await expect(page.getByTestId('drift-check')).toBeVisible()
  expect(errors).toEqual([])
})

test('data drawn without a shift shows no dataset drift, and two checks make a timeline', async ({
  page,
  webHost,
}) => {
  test.setTimeout(240_000)
  const errors = collectErrors(page)
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(webHost.url)
  await openDrift(page)
  await simulate(page, 'No shift (looks like the sample)', 1000)
  await expect(page.getByTestId('drift-verdict')).toHaveText('No dataset drift')
  await page.getByRole('button', { name: 'Back to the timeline' }).click()
  await simulate(page, 'Compounds twice as heavy: molecular weight × 2', 1000)
  await expect(
    page
      .getByRole('table', { name: 'Drift of each feature' })
      .getByRole('row', { name: 'Show the distributions of Molecular weight (g/mol)' })
      .getByRole('cell')
      .last(),
  ).toHaveText('drifted')
  await page.getByRole('button', { name: 'Back to the timeline' }).click()
  await expect(page.getByTestId('drift-history').locator('tbody tr')).toHaveCount(2)
  await expect(
    page.getByTestId('drift-timeline').locator('.scatterlayer .point').first(),
  ).toBeVisible({
    timeout: 30_000,
  })
  await page.setViewportSize({ width: 1280, height: 1600 })
  await page.screenshot({ path: join(SHOTS, 'timeline-two-checks.png') })

  // a narrow window: nothing is wider than the screen's own area
  await page.setViewportSize({ width: 1024, height: 700 })
  const overflow = () => page.getByRole('main').evaluate((m) => m.scrollWidth - m.clientWidth)
  // charts follow the window once Plotly has heard of the resize
  await expect.poll(overflow, { timeout: 10_000 }).toBeLessThanOrEqual(0)
  // and the resized timeline still ends above the list of checks, not over it
  const svgBottom = async () => {
    const box = await page
      .getByTestId('drift-timeline')
      .locator('svg.main-svg')
      .first()
      .boundingBox()
    return box ? box.y + box.height : Infinity
  }
  const tableTop = async () =>
    (await page.getByTestId('drift-history').boundingBox())?.y ?? -Infinity
  expect(await svgBottom()).toBeLessThanOrEqual(await tableTop())
  await page.screenshot({ path: join(SHOTS, 'timeline-1024.png') })
  await page
    .getByRole('button', { name: /^Open check #/ })
    .first()
    .click()
  await expect(page.getByTestId('drift-check')).toBeVisible()
  await expect.poll(overflow, { timeout: 10_000 }).toBeLessThanOrEqual(0)
  await page.screenshot({ path: join(SHOTS, 'check-1024.png') })
  expect(errors).toEqual([])
})

test('the automatic drift check can be turned off in Settings, and stays off after a reload', async ({
  page,
  webHost,
}) => {
  await page.goto(webHost.url)
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Settings' })
    .click()
  const toggle = page.getByTestId('drift-auto-check')
  await expect(toggle).toBeChecked()
  // the box follows the stored setting, so it changes once the engine has answered
  await toggle.click()
  await expect(toggle).not.toBeChecked()
  // the page keeps nothing across a reload: what it shows now is what the engine stored
  await page.reload()
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Settings' })
    .click()
  await expect(page.getByTestId('drift-auto-check')).not.toBeChecked()
})

/**
 * `rows` of the sample's own compounds with AlogP raised by 3 log units (about two sample sds),
 * optionally under new molecule IDs, as a semicolon export like the sample itself.
 */
function lipophilicFile(name: string, rows: number, newIds: boolean): string {
  const lines = readFileSync(
    join(REPO_ROOT, 'resources/sample/chembl-synthetic-sample.csv'),
    'utf8',
  ).split(/\r?\n/)
  const header = (lines[0] ?? '').split(';')
  const alogp = header.indexOf('"AlogP"')
  const id = header.indexOf('"Molecule ChEMBL ID"')
  const shifted = lines.slice(1, rows + 1).map((l, k) => {
    const cells = l.split(';')
    cells[alogp] = `"${(Number((cells[alogp] ?? '').replace(/"/g, '')) + 3).toFixed(2)}"`
    if (newIds) cells[id] = `"SYNTH-LIPO-${k + 1}"`
    return cells.join(';')
  })
  const file = join(tmpdir(), name)
  writeFileSync(file, [lines[0], ...shifted].join('\n'))
  return file
}

const alogpCell = (page: Page) =>
  page
    .getByRole('table', { name: 'Drift of each feature' })
    .getByRole('row', { name: 'Show the distributions of AlogP' })
    .getByRole('cell')
    .last()

test('a prediction batch is checked by itself, its line opens the check, and it can be checked again by hand', async ({
  page,
  webHost,
}) => {
  test.setTimeout(240_000)
  const errors = collectErrors(page)
  const file = lipophilicFile('assay-e2e-drift-batch.csv', 300, false)
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(webHost.url)
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Predict' })
    .click()
  await dropFile(page, file, 'lipophilic.csv')
  const results = page.getByTestId('batch-results')
  await expect(results).toContainText('lipophilic.csv', { timeout: 60_000 })

  // the automatic check (on by default) reports in the batch view
  const line = results.getByTestId('drift-line')
  await expect(line).toContainText(/of 4 features drifted/, { timeout: 120_000 })
  await expect(line).toContainText('against model v1')
  await line.scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(SHOTS, 'batch-drift-line.png') })
  const link = line.getByRole('button', { name: /^Open drift check #\d+$/ })
  const id = /#(\d+)/.exec((await link.textContent()) ?? '')?.[1]
  await link.click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Drift')
  await expect(page.getByTestId('drift-check')).toContainText(`Check #${id}`)
  await expect(page.getByTestId('drift-compared')).toContainText('lipophilic.csv')
  await expect(page.getByTestId('drift-compared')).toContainText(
    'automatic, after a prediction batch',
  )
  await expect(alogpCell(page)).toHaveText('drifted')

  // the same batch checked by hand from "Run a check" is a second check on the timeline
  await page.getByRole('button', { name: 'Back to the timeline' }).click()
  const run = page.getByTestId('drift-run')
  await run.getByLabel('What to compare').selectOption({ label: 'One prediction batch' })
  await expect(run.getByLabel('Prediction batch to check')).toContainText('lipophilic.csv')
  await run.getByRole('button', { name: 'Run the check' }).click()
  await expect(page.getByTestId('drift-compared')).toContainText('run by hand', {
    timeout: 120_000,
  })
  await expect(alogpCell(page)).toHaveText('drifted')
  await page.getByRole('button', { name: 'Back to the timeline' }).click()
  await expect(page.getByTestId('drift-history').locator('tbody tr')).toHaveCount(2)

  // the predictions of a time window ending today (the window's last day counts whole)
  await run
    .getByLabel('What to compare')
    .selectOption({ label: 'Predictions made in a time window' })
  await run.getByLabel('Last day of the window').fill(new Date().toLocaleDateString('en-CA'))
  await run.getByRole('button', { name: 'Run the check' }).click()
  await expect(page.getByTestId('drift-compared')).toContainText('300 predictions', {
    timeout: 120_000,
  })
  await page.getByRole('button', { name: 'Back to the timeline' }).click()
  await expect(page.getByTestId('drift-history').locator('tbody tr')).toHaveCount(3)
  await page.setViewportSize({ width: 1280, height: 1500 })
  await page.screenshot({ path: join(SHOTS, 'timeline-three-checks.png') })
  expect(errors).toEqual([])
})

test('an import is checked by itself and its summary says what the check found', async ({
  page,
  webHost,
}) => {
  test.setTimeout(240_000)
  const errors = collectErrors(page)
  const file = lipophilicFile('assay-e2e-drift-import.csv', 200, true)
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(webHost.url)
  // a production model trained here, as the Models screen would (its own e2e tests cover it)
  const trained = await trainThroughContract(page, {
    target: 'SYNTHETIC-SAMPLE',
    learner: 'gbdt',
    promote: true,
    reason: 'a newer model to check imports against',
  })
  expect(trained).toBe('succeeded')

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Import' })
    .click()
  await dropFile(page, file, 'lipophilic-import.csv')
  await page.getByRole('button', { name: 'Import lipophilic-import.csv', exact: true }).click()
  const summary = page.getByTestId('import-summary')
  await expect(summary).toBeVisible({ timeout: 120_000 })
  const line = summary.getByTestId('drift-line')
  await expect(line).toContainText(/of 4 features drifted/, { timeout: 120_000 })
  await expect(line).toContainText('against model v2')
  await line.scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(SHOTS, 'import-drift-line.png') })
  await line.getByRole('button', { name: /^Open drift check #\d+$/ }).click()
  await expect(page.getByTestId('drift-compared')).toContainText('automatic, after an import')
  await expect(alogpCell(page)).toHaveText('drifted')
  expect(errors).toEqual([])
})

test("a model's own test for a feature is saved and used, and a deleted model's checks stay, marked deleted", async ({
  page,
  webHost,
}) => {
  test.setTimeout(240_000)
  const errors = collectErrors(page)
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(webHost.url)
  // a second version beside the baseline (not promoted, so it may be deleted later)
  const trained = await trainThroughContract(page, { target: 'SYNTHETIC-SAMPLE', learner: 'gbdt' })
  expect(trained).toBe('succeeded')
  await openDrift(page)
  await page.getByTestId('drift-model').selectOption({ value: 'v2' })

  // AlogP tested by KS at p <= 0.01, whatever the sizes would choose
  const settings = page.getByTestId('drift-settings')
  await settings.getByLabel('Feature to set a test for').selectOption({ label: 'AlogP' })
  await settings.getByRole('button', { name: 'Set its test' }).click()
  await settings.getByLabel('Test for AlogP').selectOption({ label: 'Kolmogorov–Smirnov' })
  await settings.getByLabel('Threshold for AlogP').fill('0.01')
  await settings.getByRole('button', { name: 'Save settings' }).click()
  await expect(settings.getByRole('status')).toContainText('Saved')

  await simulate(page, 'More lipophilic: AlogP + 1 standard deviation', 300)
  await expect(page.getByTestId('drift-check')).toContainText('model v2')
  const alogp = page
    .getByRole('table', { name: 'Drift of each feature' })
    .getByRole('row', { name: 'Show the distributions of AlogP' })
  await expect(alogp.getByRole('cell').nth(1)).toHaveText('KS test (your choice)')
  await expect(alogp.getByRole('cell').nth(3)).toHaveText('p ≤ 0.010')
  await expect(alogp.getByRole('cell').last()).toHaveText('drifted')

  // deleting v2 keeps its check, offered under the deleted version
  const deleted = await page.evaluate(async () => {
    const api = (
      window as unknown as {
        workbench: { call(m: string, i: unknown): Promise<{ ok: boolean }> }
      }
    ).workbench
    return (await api.call('models.delete', { version: 'v2', reason: 'no longer needed' })).ok
  })
  expect(deleted).toBe(true)
  await page.getByRole('button', { name: 'Back to the timeline' }).click()
  await page.getByTestId('drift-model').selectOption({ label: 'v2 · SYNTHETIC-SAMPLE · deleted' })
  await expect(page.getByRole('heading', { name: /Checks of v2 over time/ })).toContainText(
    'model deleted',
  )
  await expect(page.getByTestId('drift-run')).toHaveCount(0)
  await page
    .getByRole('button', { name: /^Open check #/ })
    .first()
    .click()
  await expect(page.getByTestId('drift-check').getByRole('heading').first()).toContainText(
    'model deleted',
  )
  expect(errors).toEqual([])
})

test('a dropped file is checked without being imported', async ({ page, webHost }) => {
  test.setTimeout(180_000)
  const errors = collectErrors(page)
  const file = lipophilicFile('assay-e2e-drift-file.csv', 250, true)
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(webHost.url)
  await openDrift(page)
  const run = page.getByTestId('drift-run')
  await run.getByLabel('What to compare').selectOption({ label: 'A file (nothing is imported)' })
  await dropFile(page, file, 'lipophilic-drop.csv')
  await expect(page.getByTestId('drift-file')).toContainText('lipophilic-drop.csv')
  await run.getByRole('button', { name: 'Run the check' }).click()
  await expect(page.getByTestId('drift-compared')).toContainText('lipophilic-drop.csv', {
    timeout: 120_000,
  })
  await expect(page.getByTestId('drift-compared')).toContainText('run by hand')
  await expect(alogpCell(page)).toHaveText('drifted')
  // 250 rows compared, and none of them imported: the sample's one import is still the only one
  await expect(page.getByTestId('drift-summary')).toContainText('250')
  const imports = await page.evaluate(async () => {
    const api = (
      window as unknown as {
        workbench: { call(m: string, i: unknown): Promise<{ ok: boolean; value?: unknown }> }
      }
    ).workbench
    return ((await api.call('imports.list', {})).value as unknown[]).length
  })
  expect(imports).toBe(1)
  expect(errors).toEqual([])
})
