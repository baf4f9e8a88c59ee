import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storedCvRmse, storedRow } from '../report-subjects'
import type { BatchSummary, DriftCheck, ImportSummary, TrainResult } from '../../src-main/contract'
import { WorkbenchError } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { CHROMIUM_FLAGS, chromiumPath } from '../../src-main/engine/host/chromium-pdf'
import { gatherDriftReport, renderDriftReport } from '../../src-main/engine/reports/drift-report'
import { gatherModelCard, renderModelCard } from '../../src-main/engine/reports/model-card'
import {
  gatherPredictionReport,
  renderPredictionReport,
} from '../../src-main/engine/reports/prediction-report'
import type { SampleCopula } from '../../src-main/engine/sample/generate'
import { simulateSampleCsv } from '../../src-main/engine/sample/simulate'
import copulaJson from '../../resources/sample/copula.json'
import { fileRef, importOnce, runJob, tempDir, waitForFinished } from '../helpers'
import { ACHE, AROMATASE, readTable } from '../reference-csv'

// Reports from real data: the aromatase export, a model trained on it, a drift check of the AChE
// import and a batch of the AChE file. Expected numbers come from SQLite and from the files
// themselves; each document is opened in Chromium, which counts requests, dialogs and errors.

const SHOTS = '/work/shots/reports'
const META = { generatedAt: '2026-12-03T08:00:00.000Z', appVersion: '0.0.0-test' }
/** Written as an independent formatter: thousands with commas. */
const count = (n: number) => n.toLocaleString('en-US')

async function job<T>(engine: Engine, method: string, input: unknown): Promise<T> {
  const started = await engine.invoke(method as 'models.train', input)
  if (!started.ok) throw Object.assign(new Error(started.error.message), started.error)
  const finished = await waitForFinished(engine, (started.value as { jobId: string }).jobId)
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  return finished.result as T
}

const MARKUP_ID = '<script>alert(1)</script>'
const MARKUP_NAME = `<img src=x onerror=alert(1)> "double" 'single' & amp`
const SMILES = [
  'c1ccccc1O',
  'CC(=O)Oc1ccccc1C(=O)O',
  'c1ccc2ccccc2c1',
  'CCN(CC)CC',
  'O=C(O)c1ccccc1',
  'Cc1ccccc1',
  'Clc1ccccc1',
  'Nc1ccccc1',
  'CN1CCC[C@H]1c1cccnc1',
  'COc1ccc(CCN)cc1',
]

/** A file whose compound IDs and names hold markup, quotes and ampersands. */
function markupCsv(): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`
  const header =
    'molecule_chembl_id,molecule_pref_name,canonical_smiles,standard_type,standard_relation,standard_value,standard_units,target_chembl_id,target_pref_name'
  const lines = SMILES.map((smiles, k) =>
    [
      q(`${MARKUP_ID}-${k}`),
      q(`${MARKUP_NAME} ${k}`),
      q(smiles),
      'IC50',
      q('='),
      String(100 * (k + 1)),
      'nM',
      'CHEMBL1978',
      q('Cytochrome P450 19A1'),
    ].join(','),
  )
  return `${[header, ...lines].join('\n')}\n`
}

interface Inspection {
  dialogs: number
  requests: string[]
  errors: string[]
  scripts: number
  /** the text of every script element */
  scriptTexts: string[]
  images: number
  charts: { title: string; marks: number; rowsInCells: number }[]
  text: string
}

describe('reports as HTML from real data', () => {
  let engine: Engine
  importOnce(AROMATASE, {}, (e) => {
    engine = e
  })
  const scratch = tempDir('assay-report-files-')
  let browser: Browser
  let version: string
  let check: DriftCheck
  let acheBatch: BatchSummary
  let markupFileBatch: BatchSummary
  let markupDbBatch: BatchSummary
  let markupCheck: DriftCheck

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS })
    const trained = await job<TrainResult>(engine, 'models.train', {
      featureSet: 'core4',
      learner: 'gbdt',
      seed: 3,
      promote: true,
      reason: 'first model <b>& "best"</b>',
    })
    version = trained.modelVersion
    const imported = await runJob(engine, 'imports.start', { file: await fileRef(engine, ACHE) })
    if (imported.state !== 'succeeded') throw new Error(imported.error?.message)
    const acheImport = (imported.result as ImportSummary).importId as number
    check = await job<DriftCheck>(engine, 'drift.run', {
      model: version,
      source: { kind: 'import', importId: acheImport },
    })
    acheBatch = await job<BatchSummary>(engine, 'predictions.batch', {
      model: version,
      file: await fileRef(engine, ACHE),
    })
    const path = join(scratch.path, 'markup & <friends>.csv')
    writeFileSync(path, markupCsv())
    const markupImport = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, path),
    })
    if (markupImport.state !== 'succeeded') throw new Error(markupImport.error?.message)
    const markupImportId = (markupImport.result as ImportSummary).importId as number
    markupFileBatch = await job<BatchSummary>(engine, 'predictions.batch', {
      model: version,
      file: await fileRef(engine, path),
    })
    markupDbBatch = await job<BatchSummary>(engine, 'predictions.batch', {
      model: version,
      database: { importId: markupImportId },
    })
    markupCheck = await job<DriftCheck>(engine, 'drift.run', {
      model: version,
      source: { kind: 'import', importId: markupImportId },
    })
  }, 600_000)
  afterAll(async () => {
    await browser?.close()
    scratch.remove()
  })

  /**
   * Opens a document in Chromium with JavaScript on (so a script that slipped through would run)
   * and reports what happened. `withoutCsp` removes the policy first: escaping alone must hold.
   */
  async function inspect(
    doc: string,
    shot: string | null,
    options: { withoutCsp?: boolean } = {},
  ): Promise<Inspection> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
    const page = await context.newPage()
    const seen: Inspection = {
      dialogs: 0,
      requests: [],
      errors: [],
      scripts: 0,
      scriptTexts: [],
      images: 0,
      charts: [],
      text: '',
    }
    page.on('dialog', (d) => {
      seen.dialogs++
      void d.dismiss()
    })
    page.on('request', (r) => seen.requests.push(r.url()))
    page.on('console', (m) => {
      if (m.type() === 'error') seen.errors.push(m.text())
    })
    page.on('pageerror', (e) => seen.errors.push(e.message))
    const content = options.withoutCsp
      ? doc.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      : doc
    expect(content.includes('Content-Security-Policy')).toBe(!options.withoutCsp)
    await page.setContent(content, { waitUntil: 'load' })
    await page.waitForTimeout(200)
    Object.assign(
      seen,
      // evaluated in the page: a string, since the test's own types know no DOM
      (await page.evaluate(`(() => ({
        scripts: document.querySelectorAll('script').length,
        scriptTexts: [...document.querySelectorAll('script')].map((s) => s.textContent ?? ''),
        images: document.querySelectorAll('img').length,
        charts: [...document.querySelectorAll('svg.chart')].map((s) => ({
          title: s.querySelector('title')?.textContent ?? '',
          marks: s.querySelectorAll('.marks > *').length,
          rowsInCells: [...s.querySelectorAll('.marks > rect > title')]
            .map((t) => /^([\\d,]+) rows$/.exec(t.textContent ?? '')?.[1])
            .filter((n) => n !== undefined)
            .reduce((a, n) => a + Number(n.replace(/,/g, '')), 0),
        })),
        text: document.body.innerText,
      }))()`)) as Partial<Inspection>,
    )
    if (shot) {
      await page.screenshot({ path: join(SHOTS, shot), fullPage: true })
      // the document beside its picture, to print or open by hand
      if (!options.withoutCsp) writeFileSync(join(SHOTS, shot.replace(/\.png$/, '.html')), doc)
    }
    await context.close()
    return seen
  }

  /**
   * A prediction report carries exactly one script, the results table's sort, and the document's
   * CSP allows exactly that script by the SHA-256 of its text (computed here from the text the
   * browser parsed); the other reports carry none.
   */
  function expectClean(seen: Inspection, doc: string) {
    expect(seen.dialogs).toBe(0)
    expect(seen.requests).toEqual([])
    expect(seen.errors).toEqual([])
    const sortable = doc.includes('<table class="rows">')
    expect(seen.scripts).toBe(sortable ? 1 : 0)
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(doc)?.[1] ?? ''
    const scriptSrc = csp
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d.startsWith('script-src'))
    expect(scriptSrc).toHaveLength(1)
    expect(scriptSrc[0]).not.toMatch(/unsafe|\*|https?:|data:/)
    if (sortable) {
      const hash = createHash('sha256')
        .update(seen.scriptTexts[0] ?? '')
        .digest('base64')
      expect(scriptSrc[0]).toBe(`script-src 'sha256-${hash}'`)
    }
    expect(seen.images).toBe(0)
    expect(seen.charts.length).toBeGreaterThan(0)
    for (const c of seen.charts) expect(c.marks, c.title).toBeGreaterThan(0)
  }

  const stored = (sql: string, ...params: unknown[]) => storedRow(engine, sql, ...params)
  const cvRmse = () => storedCvRmse(engine, version)

  it('makes a model card with the version, the CV RMSE as stored and the rows used', async () => {
    const doc = renderModelCard(gatherModelCard(engine.context.db, version), META)
    const model = stored(
      'SELECT training_rows, onnx_sha256 FROM model_versions WHERE version = ?',
      version,
    )
    expect(doc).toMatch(new RegExp(`class="n cv-rmse"\\s*>\\s*${cvRmse()}\\s*<`))
    expect(doc).toMatch(
      new RegExp(
        `Rows used \\(one per compound\\)\\s*</dt>\\s*<dd>\\s*${count(model.training_rows as number)}\\s*<`,
      ),
    )
    expect(doc).toContain(model.onnx_sha256 as string)
    const seen = await inspect(doc, 'model-card.png')
    expectClean(seen, doc)
    expect(seen.text).toContain(`Model version\n${version}`)
    // the promotion's reason, from the audit log, shown as typed
    expect(seen.text).toContain('first model <b>& "best"</b>')
    expect(seen.text).toContain('chembl_aromatase_CHEMBL1978_export.csv')
    // predicted vs observed and residuals: above 2,000 training rows a density of cells that
    // together hold every training row, far fewer marks than points
    const rows = model.training_rows as number
    expect(rows).toBeGreaterThan(2000)
    const plots = seen.charts.filter((c) => /^(Predicted vs observed|Residuals)/.test(c.title))
    expect(plots).toHaveLength(2)
    for (const p of plots) {
      expect(p.title).toContain(`${count(rows)} rows, shown as density`)
      expect(p.rowsInCells).toBe(rows)
      expect(p.marks).toBeLessThan(rows / 2)
    }
  }, 120_000)

  it('makes a drift report of the AChE check with its stored counts and every feature', async () => {
    const doc = renderDriftReport(gatherDriftReport(engine.context.db, check.driftRunId), META)
    const run = stored(
      'SELECT reference_rows, current_rows, features_drifted, features_tested FROM drift_runs WHERE id = ?',
      check.driftRunId,
    )
    expect(doc).toContain(`CV RMSE ${cvRmse()} log units`)
    const seen = await inspect(doc, 'drift-report.png')
    expectClean(seen, doc)
    expect(seen.text).toContain(`the model's ${count(run.reference_rows as number)} training rows`)
    expect(seen.text).toContain(`: ${count(run.current_rows as number)} rows`)
    expect(seen.text).toContain(`Model version\n${version}`)
    expect(seen.text).toContain(
      `${run.features_drifted} of ${run.features_tested} tested features drifted`,
    )
    // the AChE compounds drifted (drift-check.test.ts): the verdict says so
    expect(seen.text).toContain('Dataset drifted')
    // one distribution per seed feature (4 features: all drifted or among the top 6)
    for (const f of ['mw_freebase', 'alogp', 'hba', 'hbd'])
      expect(seen.charts.map((c) => c.title)).toContain(
        check.features.find((x) => x.name === f)?.drifted ? `${f} (drifted)` : f,
      )
    expect(seen.charts.map((c) => c.title)).toContain('Drift share per check')
  }, 120_000)

  it('makes a prediction report of the AChE file listing every row of the file', async () => {
    const file = readTable(ACHE, ',')
    const batch = stored(
      'SELECT rows_scored, rows_failed FROM prediction_batches WHERE id = ?',
      acheBatch.batchId,
    )
    expect((batch.rows_scored as number) + (batch.rows_failed as number)).toBe(file.rows.length)
    const doc = renderPredictionReport(
      gatherPredictionReport(engine.context.db, acheBatch.batchId),
      META,
    )
    for (const [field, n] of [
      ['rows-total', file.rows.length],
      ['rows-scored', batch.rows_scored as number],
      ['rows-failed', batch.rows_failed as number],
    ] as const)
      expect(doc).toMatch(new RegExp(`<span class="${field}">\\s*${count(n)}\\s*</span>`))
    expect(doc).toContain(`CV RMSE ${cvRmse()} log units`)
    expect(doc.match(/\n<tr><td>/g)).toHaveLength(file.rows.length)
    expect(doc).not.toContain('rows left out')
    // the PDF's cut: the first 50 rows and the rest stated
    const cut = renderPredictionReport(
      gatherPredictionReport(engine.context.db, acheBatch.batchId, { maxRows: 50 }),
      META,
    )
    expect(cut.match(/\n<tr><td>/g)).toHaveLength(50)
    expect(cut).toContain(`${count(file.rows.length - 50)} rows left out`)
    const seen = await inspect(cut, 'prediction-report-first-50.png')
    expectClean(seen, cut)
    expect(seen.text).toContain(`Model version\n${version}`)
    expectClean(await inspect(doc, null), doc)
  }, 180_000)

  it('sorts the results table by the column whose header is clicked, numbers as numbers, empty last', async () => {
    const doc = renderPredictionReport(
      gatherPredictionReport(engine.context.db, acheBatch.batchId),
      META,
    )
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await page.setContent(doc, { waitUntil: 'load' })
    const column = async (head: string) =>
      (await page.evaluate(`(() => {
        const heads = [...document.querySelectorAll('table.rows thead th')].map((th) => th.textContent)
        const k = heads.indexOf(${JSON.stringify(head)})
        return [...document.querySelectorAll('table.rows tbody tr')].map((tr) => tr.cells[k].textContent.trim())
      })()`)) as string[]
    const header = (name: string) => page.locator('table.rows thead th', { hasText: name }).first()
    const file = readTable(ACHE, ',')
    const before = await column('Predicted pActivity')
    expect(before).toHaveLength(file.rows.length)
    // the stored order: most potent first, then the rows not scored (empty) in file order
    const numbers = (xs: string[]) => xs.filter((x) => x !== '').map(Number)
    const failed = before.filter((x) => x === '').length
    expect(failed).toBeGreaterThan(0)

    await header('Predicted pActivity').click()
    const up = await column('Predicted pActivity')
    expect(numbers(up)).toEqual([...numbers(before)].sort((a, b) => a - b))
    expect(up.slice(up.length - failed).every((x) => x === '')).toBe(true)
    expect(await header('Predicted pActivity').getAttribute('aria-sort')).toBe('ascending')

    await header('Predicted pActivity').click()
    const down = await column('Predicted pActivity')
    expect(numbers(down)).toEqual([...numbers(before)].sort((a, b) => b - a))
    expect(down.slice(down.length - failed).every((x) => x === '')).toBe(true)

    // "Row" holds the file's line numbers up to 7,027: sorted as numbers, not as text ("10"
    // after "9")
    const lines = (await column('Row')).map(Number)
    await header('Row').click()
    expect((await column('Row')).map(Number)).toEqual([...lines].sort((a, b) => a - b))
    // "Predicted nM" is written with thousands separators ("3,221"): still numbers
    await header('Predicted nM').click()
    const nm = numbers((await column('Predicted nM')).map((x) => x.replace(/,/g, '')))
    expect(nm).toEqual([...nm].sort((a, b) => a - b))
    await page.screenshot({ path: join(SHOTS, 'prediction-report-sorted-by-nm.png') })
    expect(errors).toEqual([])
    await context.close()
  }, 180_000)

  it('shows markup, quotes and ampersands from the data as text, and nothing runs', async () => {
    const db = engine.context.db
    const docs = {
      'markup-file-batch': renderPredictionReport(
        gatherPredictionReport(db, markupFileBatch.batchId),
        META,
      ),
      'markup-database-batch': renderPredictionReport(
        gatherPredictionReport(db, markupDbBatch.batchId),
        META,
      ),
      'markup-drift': renderDriftReport(gatherDriftReport(db, markupCheck.driftRunId), META),
    }
    expect(markupFileBatch.rowsScored).toBe(SMILES.length)
    for (const [name, doc] of Object.entries(docs)) {
      expect(doc, name).not.toContain('<script>alert')
      expect(doc, name).not.toContain('<img src=x')
      for (const withoutCsp of [false, true]) {
        const seen = await inspect(doc, withoutCsp ? null : `${name}.png`, { withoutCsp })
        expectClean(seen, doc)
      }
    }
    const file = await inspect(docs['markup-file-batch'], null, { withoutCsp: true })
    for (let k = 0; k < SMILES.length; k++) expect(file.text).toContain(`${MARKUP_ID}-${k}`)
    expect(file.text).toContain('markup & <friends>.csv')
    // the importer keeps ChEMBL ids upper-case and the names as written
    const database = await inspect(docs['markup-database-batch'], null, { withoutCsp: true })
    expect(database.text).toContain(`${MARKUP_ID.toUpperCase()}-0`)
    expect(database.text).toContain(`${MARKUP_NAME} 0`)
    // measured values in the file: predicted vs measured is drawn, one point per row
    expect(database.charts.find((c) => c.title === 'Predicted vs measured')?.marks).toBe(
      SMILES.length,
    )
    const drift = await inspect(docs['markup-drift'], null, { withoutCsp: true })
    expect(drift.text).toContain(`${MARKUP_ID.toUpperCase()}-`)
  }, 180_000)

  it('gives the same bytes for the same data apart from the generation time', () => {
    const db = engine.context.db
    const later = { ...META, generatedAt: '2027-01-15T13:45:10.000Z' }
    const strip = (doc: string) => doc.replace(/<time class="generated-at"[\s\S]*?<\/time\s*>/, '')
    const pairs: [string, string][] = [
      [
        renderModelCard(gatherModelCard(db, version), META),
        renderModelCard(gatherModelCard(db, version), later),
      ],
      [
        renderDriftReport(gatherDriftReport(db, check.driftRunId), META),
        renderDriftReport(gatherDriftReport(db, check.driftRunId), later),
      ],
      [
        renderPredictionReport(gatherPredictionReport(db, acheBatch.batchId), META),
        renderPredictionReport(gatherPredictionReport(db, acheBatch.batchId), later),
      ],
    ]
    for (const [a, b] of pairs) {
      expect(a).not.toBe(b)
      expect(strip(a)).toBe(strip(b))
      expect(strip(a)).not.toContain('2027-01-15')
    }
  })

  it('refuses an unknown subject with a clear not-found error', () => {
    const db = engine.context.db
    const attempts: [() => unknown, RegExp][] = [
      [() => gatherModelCard(db, 'v999'), /no model version v999/],
      [() => gatherDriftReport(db, 999_999), /no drift check #999999/],
      [() => gatherPredictionReport(db, 999_999), /no prediction batch 999999/],
    ]
    for (const [attempt, message] of attempts) {
      let error: unknown
      try {
        attempt()
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(WorkbenchError)
      expect((error as WorkbenchError).code).toBe('not-found')
      expect((error as Error).message).toMatch(message)
    }
  })

  it('keeps a 100,000-row batch report to a few MB', async () => {
    const rows = 100_000
    const path = join(scratch.path, 'simulated-100k.csv')
    writeFileSync(path, simulateSampleCsv(copulaJson as SampleCopula, [], rows, 1))
    const batch = await job<BatchSummary>(engine, 'predictions.batch', {
      model: version,
      file: await fileRef(engine, path),
    })
    expect(batch.rowsScored + batch.rowsFailed).toBe(rows)
    const started = performance.now()
    const doc = renderPredictionReport(
      gatherPredictionReport(engine.context.db, batch.batchId),
      META,
    )
    const ms = performance.now() - started
    const bytes = Buffer.byteLength(doc)
    console.log(
      `100,000-row prediction report: ${(bytes / 1e6).toFixed(2)} MB, gathered and rendered in ${ms.toFixed(0)} ms`,
    )
    expect(doc.match(/\n<tr><td>/g)).toHaveLength(rows)
    expect(bytes).toBeLessThan(8e6)
    const cut = renderPredictionReport(
      gatherPredictionReport(engine.context.db, batch.batchId, { maxRows: 1000 }),
      META,
    )
    expect(cut).toContain(`${count(rows - 1000)} rows left out`)
    const seen = await inspect(cut, 'prediction-report-100k-first-1000.png')
    expectClean(seen, cut)
  }, 600_000)
})
