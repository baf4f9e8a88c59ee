import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Download, Locator, Page } from '@playwright/test'
import { collectErrors, dropFile, expect, test } from './fixtures'

const SHOTS = '/work/shots/report-screen'
mkdirSync(SHOTS, { recursive: true })

// The bundled sample and its baseline model v1 are what a first-time user has: every kind of
// report can be made from them (a simulated drift check, a batch of a small file).
test.use({ sample: true })

/** A report takes seconds on a quiet machine; this one is shared by four builds. */
const SLOW = { timeout: 180_000 }

async function goTo(page: Page, screen: string) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: screen, exact: true })
    .click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(screen)
}

/** The viewer's frame, as the user sees it, once a report has arrived on the Reports screen. */
async function openedReport(page: Page, title: RegExp) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reports', SLOW)
  const viewer = page.getByTestId('report-viewer')
  await expect(viewer.getByRole('heading', { level: 2 })).toHaveText(title, SLOW)
  const frame = viewer.getByTestId('report-frame')
  await expect(frame).toBeVisible(SLOW)
  // the report's document has an origin of its own: the page cannot read it, nor it the page
  expect(await frame.evaluate((f) => (f as HTMLIFrameElement).contentDocument === null)).toBe(true)
  // an empty sandbox: no scripts, no forms, no popups, no navigating the app
  await expect(frame).toHaveAttribute('sandbox', '')
  return { viewer, body: page.frameLocator('[data-testid="report-frame"]').locator('body') }
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<[Download, Buffer]> {
  const [download] = await Promise.all([page.waitForEvent('download', SLOW), click()])
  const path = await download.path()
  return [download, readFileSync(path)]
}

/** The list's rows as [kind, title, model, made, size]. */
async function listRows(list: Locator): Promise<string[][]> {
  return list.locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) =>
      Array.from(r.querySelectorAll('td'))
        .slice(0, 5)
        .map((c) => (c.textContent ?? '').trim()),
    ),
  )
}

/**
 * The page's errors, less Chromium's note that the viewer's empty sandbox kept a report's own
 * script (the results table's sorting) from running: that is the sandbox doing its job.
 */
const BLOCKED_SCRIPT = /^Blocked script execution in 'about:srcdoc'/

function unexpectedErrors(page: Page): (() => string[]) & { blockedScripts(): number } {
  const all = collectErrors(page)
  return Object.assign(() => all.filter((e) => !BLOCKED_SCRIPT.test(e)), {
    blockedScripts: () => all.filter((e) => BLOCKED_SCRIPT.test(e)).length,
  })
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

test('each kind is made from its own screen, opened in the sandboxed viewer, saved as HTML and PDF, and one is deleted', async ({
  page,
  webHost,
}) => {
  test.setTimeout(900_000)
  const errors = unexpectedErrors(page)
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(webHost.url)

  // nothing made yet: the three kinds and where their buttons are
  await goTo(page, 'Reports')
  const empty = page.getByTestId('reports-empty')
  await expect(empty).toContainText('Model card')
  await expect(empty).toContainText('Drift report')
  await expect(empty).toContainText('Prediction report')
  await expect(empty).toContainText('Models screen')
  await page.screenshot({ path: join(SHOTS, '01-empty.png'), fullPage: true })

  // --- model card, from the registry ---
  await goTo(page, 'Models')
  await expect(page.getByTestId('model-v1')).toBeVisible()
  await page.getByTestId('model-v1').getByRole('button', { name: 'Show v1' }).click()
  const detail = page.getByTestId('model-result')
  await expect(detail).toContainText('v1')
  await detail.screenshot({ path: join(SHOTS, '01b-model-card-button.png') })
  await detail.getByRole('button', { name: 'Model card: make a report of model v1' }).click()
  const card = await openedReport(page, /Model card.*v1/)
  await expect(card.body).toContainText('v1', SLOW)
  await expect(card.body).toContainText('SYNTHETIC-SAMPLE')
  await page.screenshot({ path: join(SHOTS, '02-model-card-viewer.png') })

  // saved as HTML: the stored file, with the version in it
  const [htmlDownload, html] = await downloaded(page, () =>
    card.viewer.getByRole('button', { name: 'Save HTML' }).click(),
  )
  expect(htmlDownload.suggestedFilename()).toMatch(/\.html$/)
  expect(html.toString('utf8')).toMatch(/^<!DOCTYPE html>/i)
  expect(html.toString('utf8')).toContain('v1')
  await expect(page.getByTestId('report-save-message')).toContainText('downloading', SLOW)
  const modelCardBytes = html.byteLength

  // saved as PDF: the page size follows the browser's locale (Playwright's en-US: US Letter)
  expect(await page.evaluate(() => navigator.language)).toBe('en-US')
  await expect(card.viewer.getByLabel('PDF page size')).toHaveValue('Letter')
  const [pdfDownload, pdf] = await downloaded(page, () =>
    card.viewer.getByRole('button', { name: 'Save PDF' }).click(),
  )
  expect(pdfDownload.suggestedFilename()).toMatch(/\.pdf$/)
  await pdfDownload.saveAs(join(SHOTS, 'model-card.pdf'))
  expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF')
  // US Letter is 612 x 792 points; the page boxes say so
  expect(pdf.toString('latin1')).toMatch(/MediaBox\s*\[\s*0 0 612 792\s*\]/)
  await expect(page.getByTestId('report-save-message')).toContainText('PDF', SLOW)
  await expect(page.getByTestId('report-save-message')).toContainText('US Letter')
  await page.screenshot({ path: join(SHOTS, '03-model-card-saved.png') })
  await card.viewer.getByRole('button', { name: 'Close' }).click()
  await expect(page.getByTestId('report-list').locator('tbody tr')).toHaveCount(1)

  // --- drift report, from a simulated check ---
  await goTo(page, 'Drift')
  const simulate = page.getByTestId('drift-simulate')
  await simulate
    .getByLabel('Shift of the simulated data')
    .selectOption({ label: 'More lipophilic: AlogP + 1 standard deviation' })
  await simulate.getByLabel('Rows to simulate').fill('500')
  await simulate.getByRole('button', { name: 'Simulate and check' }).click()
  const check = page.getByTestId('drift-check')
  await expect(check).toBeVisible(SLOW)
  const checkTitle = (await check.getByRole('heading', { level: 2 }).first().textContent()) ?? ''
  const runId = /Check #(\d+)/.exec(checkTitle)?.[1]
  expect(runId).toBeTruthy()
  await page.screenshot({ path: join(SHOTS, '03b-drift-check-button.png') })
  await check
    .getByRole('button', { name: `Report: make a report of drift check #${runId}` })
    .click()
  const drift = await openedReport(page, /Drift/)
  await expect(drift.body).toContainText('v1', SLOW)
  await expect(drift.body).toContainText('alogp (drifted)')
  await page.screenshot({ path: join(SHOTS, '04-drift-viewer.png') })
  await drift.viewer.getByRole('button', { name: 'Close' }).click()

  // --- prediction report, from a batch whose compound IDs hold markup ---
  const file = join(tmpdir(), 'assay-e2e-report-batch.csv')
  writeFileSync(
    file,
    [
      // the bundled baseline was trained on MW, AlogP, HBA and HBD from a file: it scores those
      'molecule_chembl_id,canonical_smiles,mw_freebase,alogp,hba,hbd,standard_type,standard_relation,standard_value,standard_units',
      'CHEMBL25,CC(=O)Oc1ccccc1C(=O)O,180.16,1.31,3,1,IC50,=,1200,nM',
      'CHEMBL112,CC(=O)Nc1ccc(O)cc1,151.16,1.35,2,2,IC50,=,350,nM',
      '"<img src=x onerror=""parent.document.title=\'pwned\'"">",Cn1c(=O)c2c(ncn2C)n(C)c1=O,194.19,-1.03,6,0,IC50,=,80,nM',
      '"<script>parent.document.title=\'pwned\'</script> & co",CCO,46.07,-0.00,1,1,IC50,=,5000,nM',
    ].join('\n'),
  )
  await goTo(page, 'Predict')
  await dropFile(page, file, 'report-batch.csv')
  const results = page.getByTestId('batch-results')
  await expect(results).toBeVisible(SLOW)
  const batchTitle = (await results.getByRole('heading', { level: 2 }).textContent()) ?? ''
  const batchId = /Batch #(\d+)/.exec(batchTitle)?.[1]
  expect(batchId).toBeTruthy()
  await results.getByRole('heading', { level: 2 }).evaluate((h) => h.scrollIntoView())
  await page.screenshot({ path: join(SHOTS, '04b-batch-button.png') })
  const pageTitle = await page.title()
  await results
    .getByRole('button', { name: `Report: make a report of prediction batch #${batchId}` })
    .click()
  const batch = await openedReport(page, /Prediction|batch/i)
  await expect(batch.body).toContainText('v1', SLOW)
  // the markup shows as text, and nothing in it ran
  await expect(batch.body).toContainText('<img src=x onerror=')
  await expect(batch.body).toContainText("<script>parent.document.title='pwned'</script> & co")
  expect(await page.title()).toBe(pageTitle)
  // the report's own script (its table sorting) was refused by the sandbox, not run
  await expect.poll(() => errors.blockedScripts()).toBeGreaterThan(0)
  await page.screenshot({ path: join(SHOTS, '05-batch-viewer.png') })

  // a batch's PDF lists the rows asked for, here on A4
  await expect(batch.viewer.getByLabel('Rows the PDF lists')).toHaveValue('500')
  await batch.viewer.getByLabel('Rows the PDF lists').fill('2')
  await batch.viewer.getByLabel('PDF page size').selectOption('A4')
  const [batchPdfDownload, batchPdf] = await downloaded(page, () =>
    batch.viewer.getByRole('button', { name: 'Save PDF' }).click(),
  )
  expect(batchPdf.subarray(0, 4).toString('latin1')).toBe('%PDF')
  await batchPdfDownload.saveAs(join(SHOTS, 'batch.pdf'))
  // the rows asked for reached the printer: 2 of the batch's 4 rows listed, the rest counted
  const batchText = execFileSync('pdftotext', ['-layout', join(SHOTS, 'batch.pdf'), '-'], {
    encoding: 'utf8',
  })
  expect(batchText).toMatch(/\b2 of 4 rows\b/)
  expect(batchText).toContain('CHEMBL112')
  // A4 is 595.28 x 841.89 points (Chromium writes 595.92 x 842.88 at its 96 dpi grid)
  expect(batchPdf.toString('latin1')).toMatch(/MediaBox\s*\[\s*0 0 59\d(\.\d+)? 84\d(\.\d+)?\s*\]/)
  const [, batchHtml] = await downloaded(page, () =>
    batch.viewer.getByRole('button', { name: 'Save HTML' }).click(),
  )
  expect(batchHtml.toString('utf8')).toContain('v1')
  // the file escapes the markup: no live element carries the handler
  expect(batchHtml.toString('utf8')).not.toContain('<img src=x onerror')
  await batch.viewer.getByRole('button', { name: 'Close' }).click()

  // --- the list: newest first, sizes as the files' bytes, made today ---
  const list = page.getByTestId('report-list')
  await expect(list.locator('tbody tr')).toHaveCount(3)
  const rows = await listRows(list)
  expect(rows.map((r) => r[0])).toEqual(['Prediction report', 'Drift report', 'Model card'])
  expect(rows.map((r) => r[2])).toEqual(['v1', 'v1', 'v1'])
  expect(rows[0]?.[4]).toBe(kB(batchHtml.byteLength))
  expect(rows[2]?.[4]).toBe(kB(modelCardBytes))
  for (const r of rows) expect(r[3]).toMatch(/^\d{1,2} [A-Z][a-z]{2,3} \d{4} \d{2}:\d{2}$/)
  await page.screenshot({ path: join(SHOTS, '06-list.png'), fullPage: true })

  // a narrow window: the list and the viewer stay inside the screen's own area
  await page.setViewportSize({ width: 1024, height: 700 })
  const overflow = () => page.getByRole('main').evaluate((m) => m.scrollWidth - m.clientWidth)
  expect(await overflow()).toBeLessThanOrEqual(0)
  await page.screenshot({ path: join(SHOTS, '06b-list-1024.png'), fullPage: true })
  await list
    .getByRole('button', { name: /^Open / })
    .first()
    .click()
  await openedReport(page, /Prediction/)
  expect(await overflow()).toBeLessThanOrEqual(0)
  await page.screenshot({ path: join(SHOTS, '06c-viewer-1024.png') })
  await page.getByTestId('report-viewer').getByRole('button', { name: 'Close' }).click()
  await page.setViewportSize({ width: 1280, height: 900 })

  // --- delete the drift report with a reason: gone, and audited ---
  const driftRow = list.locator('tbody tr').nth(1)
  const driftReportId = Number(
    ((await driftRow.getAttribute('data-testid')) ?? '').replace('report-', ''),
  )
  await driftRow.getByRole('button', { name: /^Delete / }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toBeVisible()
  await dialog.getByRole('textbox').fill('made from a simulated check')
  await page.screenshot({ path: join(SHOTS, '07-delete-dialog.png') })
  await dialog.getByRole('button', { name: 'Delete the report' }).click()
  await expect(dialog).toBeHidden()
  await expect(list.locator('tbody tr')).toHaveCount(2)
  expect((await listRows(list)).map((r) => r[0])).toEqual(['Prediction report', 'Model card'])
  await expect(page.getByTestId('reports-message')).toContainText('audit log')
  await page.screenshot({ path: join(SHOTS, '08-after-delete.png'), fullPage: true })
  const db = new Database(join(webHost.dataDir, 'workbench.sqlite'), {
    readonly: true,
    fileMustExist: true,
  })
  try {
    const audit = db
      .prepare('SELECT entity_id AS id, action FROM audit_log WHERE reason = ?')
      .all('made from a simulated check') as { id: string; action: string }[]
    expect(audit).toHaveLength(1)
    expect(audit[0]?.id).toBe(String(driftReportId))
  } finally {
    db.close()
  }
  expect(errors()).toEqual([])
})

test('New report makes a model card from the chosen version and marks it in the list', async ({
  page,
  webHost,
}) => {
  test.setTimeout(300_000)
  const errors = unexpectedErrors(page)
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(webHost.url)
  await goTo(page, 'Reports')
  const form = page.getByTestId('new-report')
  await expect(form.getByLabel('Kind of report')).toHaveValue('model-card')
  await expect(form.getByLabel('What the report is about')).toContainText('v1 · SYNTHETIC-SAMPLE')
  // no checks or batches yet: the form says where they are made
  await form.getByLabel('Kind of report').selectOption('drift')
  await expect(form.getByLabel('What the report is about')).toContainText('Drift screen')
  await form.getByLabel('Kind of report').selectOption('batch')
  await expect(form.getByLabel('What the report is about')).toContainText('Predict screen')
  await expect(form.getByRole('button', { name: 'Make report' })).toBeDisabled()
  await form.getByLabel('Kind of report').selectOption('model-card')
  await form.getByRole('button', { name: 'Make report' }).click()
  const list = page.getByTestId('report-list')
  await expect(list.locator('tbody tr')).toHaveCount(1, SLOW)
  await expect(list.locator('tbody tr.selected')).toContainText('Model card')
  await page.screenshot({ path: join(SHOTS, '09-new-report.png'), fullPage: true })
  await list.getByRole('button', { name: /^Open / }).click()
  const { body } = await openedReport(page, /Model card.*v1/)
  await expect(body).toContainText('v1', SLOW)
  expect(errors()).toEqual([])
})

test.describe('without Chromium for printing', () => {
  // the web host started for this test inherits the setting; the test browser was launched
  // from the config's path already
  const before = process.env.CHROMIUM_PATH
  test.beforeAll(() => {
    process.env.CHROMIUM_PATH = '/nonexistent/chromium'
  })
  test.afterAll(() => {
    if (before === undefined) delete process.env.CHROMIUM_PATH
    else process.env.CHROMIUM_PATH = before
  })

  test('Save PDF says plainly that Chromium is missing, and Save HTML still works', async ({
    page,
    webHost,
  }) => {
    test.setTimeout(300_000)
    const errors = unexpectedErrors(page)
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(webHost.url)
    await goTo(page, 'Reports')
    await page.getByTestId('new-report').getByRole('button', { name: 'Make report' }).click()
    const list = page.getByTestId('report-list')
    await expect(list.locator('tbody tr')).toHaveCount(1, SLOW)
    await list.getByRole('button', { name: /^Open / }).click()
    const { viewer } = await openedReport(page, /Model card.*v1/)
    await viewer.getByRole('button', { name: 'Save PDF' }).click()
    const message = page.getByTestId('report-save-message')
    await expect(message).toHaveAttribute('role', 'alert', SLOW)
    await expect(message).toContainText('none was found at /nonexistent/chromium')
    await expect(message).toContainText('apt-get install chromium')
    await page.screenshot({ path: join(SHOTS, '10-pdf-unavailable.png') })
    const [, html] = await downloaded(page, () =>
      viewer.getByRole('button', { name: 'Save HTML' }).click(),
    )
    expect(html.toString('utf8')).toContain('v1')
    expect(errors()).toEqual([])
  })
})
