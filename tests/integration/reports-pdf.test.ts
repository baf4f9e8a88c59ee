import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storedCvRmse, storedRow } from '../report-subjects'
import type {
  BatchSummary,
  DriftCheck,
  ImportSummary,
  PageSize,
  ReportExport,
  ReportRecord,
  ReportSubject,
  TrainResult,
} from '../../src-main/contract'
import { type Engine, createEngine } from '../../src-main/engine/engine'
import { ChromiumPdfPrinter } from '../../src-main/engine/host/chromium-pdf'
import { createHeadlessHost } from '../../src-main/engine/host/headless-host'
import { gatherDriftReport, renderDriftReport } from '../../src-main/engine/reports/drift-report'
import {
  type ExportHost,
  hostPageSize,
  startReportExport,
} from '../../src-main/engine/reports/export'
import { gatherModelCard, renderModelCard } from '../../src-main/engine/reports/model-card'
import {
  gatherPredictionReport,
  renderPredictionReport,
} from '../../src-main/engine/reports/prediction-report'
import { reportsDir, storeReport } from '../../src-main/engine/reports/store'
import type { SampleCopula } from '../../src-main/engine/sample/generate'
import { simulateSampleCsv } from '../../src-main/engine/sample/simulate'
import copulaJson from '../../resources/sample/copula.json'
import {
  WORKER_SOURCE,
  fileRef,
  importOnce,
  recordEvents,
  runJob,
  tempDir,
  waitForFinished,
} from '../helpers'
import { ACHE, AROMATASE, readTable } from '../reference-csv'

// Stored reports printed to PDF by the real printer (playwright-core driving Debian's Chromium)
// from real data: the aromatase export, a model trained on it, a drift check of the AChE import
// and a batch of the AChE file. What comes out is read back with poppler (pdfinfo, pdftotext,
// pdftoppm); expected numbers come from SQLite and from the files themselves.

const SHOTS = '/work/shots/report-pdf'
/** Written as an independent formatter: thousands with commas. */
const count = (n: number) => n.toLocaleString('en-US')

async function job<T>(engine: Engine, method: string, input: unknown): Promise<T> {
  const started = await engine.invoke(method as 'models.train', input)
  if (!started.ok) throw Object.assign(new Error(started.error.message), started.error)
  const finished = await waitForFinished(engine, (started.value as { jobId: string }).jobId)
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  return finished.result as T
}

function pdfInfo(file: string): { pages: number; width: number; height: number } {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(out)
  return {
    pages: Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]),
    width: Number(size?.[1]),
    height: Number(size?.[2]),
  }
}

const pdfText = (file: string, layout = false) =>
  execFileSync('pdftotext', [...(layout ? ['-layout'] : []), file, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 ** 2,
  })

/** One text line of a page with its box in PDF points (pdftotext -bbox-layout). */
interface TextLine {
  page: number
  text: string
  xMin: number
  yMin: number
  xMax: number
  yMax: number
}

function textLines(file: string): TextLine[] {
  const xml = execFileSync('pdftotext', ['-bbox-layout', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 ** 2,
  })
  const lines: TextLine[] = []
  let page = 0
  for (const chunk of xml.split(/<page /).slice(1)) {
    page++
    for (const m of chunk.matchAll(
      /<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g,
    )) {
      const words = [...(m[5] as string).matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) =>
        (w[1] as string)
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&apos;/g, "'")
          .replace(/&amp;/g, '&'),
      )
      lines.push({
        page,
        text: words.join(' '),
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
      })
    }
  }
  return lines
}

/**
 * A page rendered by pdftoppm at `dpi` (a binary PPM, read here directly). Charts are drawn in
 * colour (blue, orange, red, green marks) and text in near-black and grey, so the share of
 * coloured pixels in a box tells a drawn chart from an empty frame or a paragraph.
 */
function renderedPage(file: string, page: number, dpi = 50) {
  const ppm = execFileSync('pdftoppm', ['-r', String(dpi), '-f', `${page}`, '-l', `${page}`, file])
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 50).toString('latin1'))
  if (!header) throw new Error('pdftoppm did not write a P6 image')
  const width = Number(header[1])
  const height = Number(header[2])
  const pixels = ppm.subarray(header[0].length)
  expect(pixels.length).toBe(width * height * 3)
  /** Share of coloured pixels (channels apart by more than 40) in a box given in PDF points. */
  const colourShare = (x0: number, y0: number, x1: number, y1: number) => {
    const s = dpi / 72
    let coloured = 0
    let all = 0
    for (let y = Math.max(0, Math.floor(y0 * s)); y < Math.min(height, Math.ceil(y1 * s)); y++)
      for (let x = Math.max(0, Math.floor(x0 * s)); x < Math.min(width, Math.ceil(x1 * s)); x++) {
        const i = (y * width + x) * 3
        const [r, g, b] = [pixels[i] ?? 0, pixels[i + 1] ?? 0, pixels[i + 2] ?? 0]
        all++
        if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++
      }
    return all ? coloured / all : 0
  }
  return { width, height, colourShare }
}

/** Every page renders, and the PNGs are kept to look at. */
function renderShots(file: string, name: string, pages: number) {
  mkdirSync(SHOTS, { recursive: true })
  for (const f of readdirSync(SHOTS)) if (f.startsWith(`${name}-`)) rmSync(join(SHOTS, f))
  execFileSync('pdftoppm', ['-png', '-r', '60', file, join(SHOTS, name)])
  const shots = readdirSync(SHOTS).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'))
  expect(shots).toHaveLength(pages)
  for (const s of shots) expect(statSync(join(SHOTS, s)).size).toBeGreaterThan(1000)
}

/**
 * The chart drawn above a caption is not blank: the box of its plot (the 120 pt above the
 * caption's first line, as wide as a figure) holds coloured marks. An empty frame, axes only,
 * or text would hold next to none. Returns the share for the record.
 */
function expectChartAbove(file: string, lines: TextLine[], caption: string): number {
  const line = lines.find((l) => l.text.startsWith(caption))
  expect(line, `caption "${caption}"`).toBeDefined()
  const l = line as TextLine
  const share = renderedPage(file, l.page).colourShare(
    l.xMin,
    l.yMin - 130,
    l.xMin + 300,
    l.yMin - 10,
  )
  expect(share, caption).toBeGreaterThan(0.01)
  return share
}

/** "Page k of N" on every page, N = pdfinfo's count. */
function expectPageFooters(text: string, pages: number) {
  for (let k = 1; k <= pages; k++) expect(text).toContain(`Page ${k} of ${pages}`)
  expect(text).not.toContain(`Page ${pages + 1} of`)
}

function expectPaper(file: string, pageSize: PageSize) {
  const { width, height } = pdfInfo(file)
  // A4 is 210 x 297 mm = 595.3 x 841.9 pt; Letter 8.5 x 11 in = 612 x 792 pt (Chromium rounds
  // to its own units, within a point)
  const [w, h] = pageSize === 'A4' ? [595.3, 841.9] : [612, 792]
  expect(Math.abs(width - w)).toBeLessThan(1)
  expect(Math.abs(height - h)).toBeLessThan(1)
}

const MARKUP_ID = '<script>alert(1)</script>'
const MARKUP_NAME = `<img src=x onerror=alert(1)> "double" 'single' & amp`
const SMILES = ['c1ccccc1O', 'CC(=O)Oc1ccccc1C(=O)O', 'c1ccc2ccccc2c1', 'CCN(CC)CC', 'Cc1ccccc1']

function markupCsv(): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`
  const header =
    'molecule_chembl_id,molecule_pref_name,canonical_smiles,standard_type,standard_relation,standard_value,standard_units,target_chembl_id,target_pref_name'
  return `${[
    header,
    ...SMILES.map((smiles, k) =>
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
    ),
  ].join('\n')}\n`
}

describe('stored reports printed to PDF', () => {
  let engine: Engine
  let dataDir: string
  importOnce(AROMATASE, {}, (e, _s, dir) => {
    engine = e
    dataDir = dir
  })
  const scratch = tempDir('assay-report-pdf-')
  let version: string
  let check: DriftCheck
  let acheBatch: BatchSummary
  let markupBatch: BatchSummary

  beforeAll(async () => {
    const trained = await job<TrainResult>(engine, 'models.train', {
      featureSet: 'core4',
      learner: 'gbdt',
      seed: 3,
      promote: true,
    })
    version = trained.modelVersion
    const imported = await runJob(engine, 'imports.start', { file: await fileRef(engine, ACHE) })
    if (imported.state !== 'succeeded') throw new Error(imported.error?.message)
    check = await job<DriftCheck>(engine, 'drift.run', {
      model: version,
      source: { kind: 'import', importId: (imported.result as ImportSummary).importId as number },
    })
    acheBatch = await job<BatchSummary>(engine, 'predictions.batch', {
      model: version,
      file: await fileRef(engine, ACHE),
    })
    const path = join(scratch.path, 'markup & <friends>.csv')
    writeFileSync(path, markupCsv())
    // from the database, so the compound names (held only there) are listed too
    const markupImport = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, path),
    })
    if (markupImport.state !== 'succeeded') throw new Error(markupImport.error?.message)
    markupBatch = await job<BatchSummary>(engine, 'predictions.batch', {
      model: version,
      database: { importId: (markupImport.result as ImportSummary).importId as number },
    })
  }, 600_000)
  afterAll(() => scratch.remove())

  const META = () => ({ generatedAt: new Date().toISOString(), appVersion: '0.0.0-test' })

  /** Stores a rendered report as the app keeps it (file in reports/, row with its SHA-256). */
  function store(subject: ReportSubject, title: string, html: string): Promise<ReportRecord> {
    return storeReport(engine.context, {
      subject,
      title,
      modelVersion: version,
      createdAt: new Date().toISOString(),
      options: {},
      bytes: Buffer.from(html, 'utf8'),
    })
  }

  /** Exports through the job, with a host that writes the file to `out`. */
  async function exportTo(
    out: string,
    input: {
      reportId: number
      format: 'html' | 'pdf'
      pageSize?: PageSize
      pdfRows?: number
    },
    printer?: ExportHost['printToPdf'],
  ): Promise<ReportExport> {
    const writer = createHeadlessHost({ kind: 'cli', dataDir, saveTo: out })
    try {
      const { jobId } = startReportExport(engine.context, input, {
        printToPdf: printer ?? ((h, o) => engine.context.capabilities.printToPdf(h, o)),
        saveFile: (f) => writer.saveFile(f),
      })
      const { info, result } = await engine.context.jobs.waitFor('reports.export', jobId)
      if (info.state !== 'succeeded' || !result)
        throw Object.assign(new Error(info.error?.message), info.error)
      return result
    } finally {
      await writer.close()
    }
  }

  const stored = (sql: string, ...params: unknown[]) => storedRow(engine, sql, ...params)
  const cvRmse = () => storedCvRmse(engine, version)

  it('prints a model card on A4 with its running header, footer, numbers and charts', async () => {
    const title = `Model card — ${version} · CHEMBL1978 Cytochrome P450 19A1`
    const record = await store(
      { kind: 'model-card', version },
      title,
      renderModelCard(gatherModelCard(engine.context.db, version), META()),
    )
    const out = join(scratch.path, 'model-card.pdf')
    const exported = await exportTo(out, {
      reportId: record.reportId,
      format: 'pdf',
      pageSize: 'A4',
    })
    const info = pdfInfo(out)
    expect(exported).toMatchObject({
      reportId: record.reportId,
      format: 'pdf',
      saved: true,
      path: out,
      pageSize: 'A4',
      pages: info.pages,
      bytes: statSync(out).size,
    })
    expectPaper(out, 'A4')
    const text = pdfText(out)
    const rows = stored('SELECT training_rows FROM model_versions WHERE version = ?', version)
      .training_rows as number
    expect(text).toContain(version)
    expect(text).toContain(cvRmse())
    expect(text).toContain(count(rows))
    // the running header on every page: the title and the model version
    const lines = textLines(out)
    for (let p = 1; p <= info.pages; p++) {
      const top = lines.filter((l) => l.page === p && l.yMax < 60).map((l) => l.text)
      expect(top.join(' | '), `page ${p}`).toContain(title)
      expect(top.join(' | '), `page ${p}`).toContain(`Model ${version}`)
    }
    expectPageFooters(text, info.pages)
    expect(text).toContain('Assay Workbench')
    renderShots(out, 'model-card', info.pages)
    const shares = [
      'Each point a training compound',
      'Out-of-fold residuals against',
      'The features the model relies on most',
    ].map((c) => expectChartAbove(out, lines, c))
    // the measure tells a chart from text: the box above the closing note holds a table of text
    const note = lines.find((l) => l.text.startsWith('Made by Assay Workbench')) as TextLine
    expect(
      renderedPage(out, note.page).colourShare(
        note.xMin,
        note.yMin - 130,
        note.xMin + 300,
        note.yMin - 10,
      ),
    ).toBeLessThan(0.002)
    console.log(
      `model card: ${info.pages} pages, coloured share ${shares.map((s) => s.toFixed(3))}`,
    )
  }, 180_000)

  it('prints a drift report on US Letter with its counts, every drifted feature and the header', async () => {
    const title = `Drift report — check #${check.driftRunId} of ${version}`
    const record = await store(
      { kind: 'drift', driftRunId: check.driftRunId },
      title,
      renderDriftReport(gatherDriftReport(engine.context.db, check.driftRunId), META()),
    )
    const out = join(scratch.path, 'drift.pdf')
    const exported = await exportTo(out, {
      reportId: record.reportId,
      format: 'pdf',
      pageSize: 'Letter',
    })
    const info = pdfInfo(out)
    expect(exported.pages).toBe(info.pages)
    expect(exported.pageSize).toBe('Letter')
    expectPaper(out, 'Letter')
    const run = stored(
      'SELECT reference_rows, current_rows, features_drifted, features_tested FROM drift_runs WHERE id = ?',
      check.driftRunId,
    )
    const text = pdfText(out)
    expect(text).toContain(version)
    expect(text).toContain(`CV RMSE ${cvRmse()} log units`)
    expect(text).toContain(count(run.reference_rows as number))
    expect(text).toContain(count(run.current_rows as number))
    expect(text).toContain(
      `${run.features_drifted} of ${run.features_tested} tested features drifted`,
    )
    expectPageFooters(text, info.pages)
    const lines = textLines(out)
    for (let p = 1; p <= info.pages; p++)
      expect(
        lines
          .filter((l) => l.page === p && l.yMax < 60)
          .map((l) => l.text)
          .join(' | '),
      ).toContain(title)
    renderShots(out, 'drift-report', info.pages)
    for (const f of ['mw_freebase', 'alogp', 'hba', 'hbd']) expectChartAbove(out, lines, `${f}: `)
  }, 180_000)

  it('prints the first 500 rows of the AChE batch and states the rest; the stored file keeps all', async () => {
    const file = readTable(ACHE, ',')
    const total = file.rows.length
    const html = renderPredictionReport(
      gatherPredictionReport(engine.context.db, acheBatch.batchId),
      META(),
    )
    const record = await store(
      { kind: 'batch', batchId: acheBatch.batchId },
      `Prediction report — Batch #${acheBatch.batchId} · chembl_ache_CHEMBL220_api_dump.csv`,
      html,
    )
    const out = join(scratch.path, 'batch.pdf')
    // no page size given: the host's locale picks it (tests/unit/print-templates.test.ts)
    const exported = await exportTo(out, { reportId: record.reportId, format: 'pdf' })
    const info = pdfInfo(out)
    expect(exported.pages).toBe(info.pages)
    expect(exported.pageSize).toBe(hostPageSize())
    expectPaper(out, hostPageSize())
    const text = pdfText(out)
    const layout = pdfText(out, true)
    expect(text).toContain(version)
    expect(text).toContain(`CV RMSE ${cvRmse()} log units`)
    expect(text).toContain(
      `500 of ${count(total)} rows listed; the other ${count(total - 500)} are in the HTML file`,
    )
    // the rows listed: a row number, then the compound's ChEMBL id, one line each in the layout
    const listed = layout.split('\n').filter((l) => /^\s*\d+\s+CHEMBL\d+/.test(l))
    expect(listed).toHaveLength(500)
    expectPageFooters(text, info.pages)
    renderShots(out, 'batch-first-500', info.pages)
    expectChartAbove(out, textLines(out), 'Distribution of the')
    // the stored file is untouched and still lists every row
    const kept = readFileSync(join(reportsDir(dataDir), record.fileName), 'utf8')
    expect(kept).toBe(html)
    expect(kept.match(/\n<tr><td>/g)).toHaveLength(total)
    expect(kept).not.toContain('rows listed; the other')
    // a smaller cut, as asked
    const fifty = join(scratch.path, 'batch-50.pdf')
    await exportTo(fifty, { reportId: record.reportId, format: 'pdf', pdfRows: 50 })
    expect(
      pdfText(fifty, true)
        .split('\n')
        .filter((l) => /^\s*\d+\s+CHEMBL\d+/.test(l)),
    ).toHaveLength(50)
    expect(pdfText(fifty)).toContain(
      `50 of ${count(total)} rows listed; the other ${count(total - 50)}`,
    )
  }, 240_000)

  it('answers reports.export through the contract: the web host hands the PDF over as a download', async () => {
    const record = await store(
      { kind: 'drift', driftRunId: check.driftRunId },
      'Drift report',
      renderDriftReport(gatherDriftReport(engine.context.db, check.driftRunId), META()),
    )
    // a second engine on the same folder, as the web host runs it: saving is a one-time download
    const web = createEngine({ dataDir, host: 'web', workerPath: WORKER_SOURCE })
    try {
      const events = recordEvents(web)
      const started = await web.invoke('reports.export', {
        reportId: record.reportId,
        format: 'pdf',
        pageSize: 'A4',
      })
      if (!started.ok) throw new Error(started.error.message)
      const finished = await waitForFinished(web, started.value.jobId)
      expect(finished.state).toBe('succeeded')
      const result = finished.result as ReportExport
      expect(result).toMatchObject({ reportId: record.reportId, format: 'pdf', saved: true })
      const download = web.takeDownload(result.downloadId as string)
      expect(download?.mime).toBe('application/pdf')
      expect(download?.name).toBe(record.fileName.replace(/\.html$/, '.pdf'))
      const file = join(scratch.path, 'download.pdf')
      writeFileSync(file, download?.bytes as Uint8Array)
      expect(result.bytes).toBe(statSync(file).size)
      expect(result.pages).toBe(pdfInfo(file).pages)
      expectPaper(file, 'A4')
      const phases = events
        .filter((e) => e.event === 'job.progress')
        .map((e) => (e.payload as { phase: string }).phase)
      expect(phases).toContain('printing')
      // an unknown report: the job fails with not-found, the call itself is answered
      const missing = await web.invoke('reports.export', { reportId: 987_654, format: 'html' })
      if (!missing.ok) throw new Error(missing.error.message)
      const failed = await waitForFinished(web, missing.value.jobId)
      expect(failed.state).toBe('failed')
      expect(failed.error?.code).toBe('not-found')
    } finally {
      await web.close()
    }
  }, 120_000)

  it('saves the HTML file byte for byte as it is stored', async () => {
    const html = renderModelCard(gatherModelCard(engine.context.db, version), META())
    const record = await store({ kind: 'model-card', version }, 'Model card', html)
    const out = join(scratch.path, 'card.html')
    const exported = await exportTo(out, { reportId: record.reportId, format: 'html' })
    const bytes = readFileSync(out)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(record.sha256)
    expect(exported).toMatchObject({ format: 'html', saved: true, path: out, bytes: bytes.length })
    expect(exported.pages).toBeUndefined()
  })

  it('prints markup from the data as literal text', async () => {
    const record = await store(
      { kind: 'batch', batchId: markupBatch.batchId },
      `Prediction report — Batch #${markupBatch.batchId} · from markup & <friends>.csv`,
      renderPredictionReport(
        gatherPredictionReport(engine.context.db, markupBatch.batchId),
        META(),
      ),
    )
    const out = join(scratch.path, 'markup.pdf')
    const exported = await exportTo(out, { reportId: record.reportId, format: 'pdf' })
    const info = pdfInfo(out)
    expect(exported.pages).toBe(info.pages)
    const text = pdfText(out)
    // pdftotext keeps a long cell's wrapped lines apart: compare with whitespace taken out
    const flat = text.replace(/\s+/g, '')
    // the importer keeps ChEMBL ids upper-case and the names as written
    for (let k = 0; k < SMILES.length; k++) {
      expect(flat).toContain(`${MARKUP_ID.toUpperCase()}-${k}`.replace(/\s+/g, ''))
      expect(flat).toContain(`${MARKUP_NAME} ${k}`.replace(/\s+/g, ''))
    }
    // the running header shows the file name as typed, escaped into its template
    expect(text).toContain('markup & <friends>.csv')
    renderShots(out, 'markup-batch', info.pages)
  }, 120_000)

  it('names the stored HTML file when Chromium is missing', async () => {
    const record = await store(
      { kind: 'model-card', version },
      'Model card',
      renderModelCard(gatherModelCard(engine.context.db, version), META()),
    )
    const missing = new ChromiumPdfPrinter('/nonexistent/chromium')
    let error: unknown
    try {
      await exportTo(
        join(scratch.path, 'never.pdf'),
        { reportId: record.reportId, format: 'pdf' },
        (h, o) => missing.print(h, o),
      )
    } catch (e) {
      error = e
    }
    const path = join(reportsDir(dataDir), record.fileName)
    expect(statSync(path).isFile()).toBe(true)
    expect((error as { code?: string }).code).toBe('pdf-unavailable')
    expect((error as Error).message).toContain('/nonexistent/chromium')
    expect((error as Error).message).toContain(`kept as HTML at ${path}`)
    expect((error as Error).message).toContain('open that file in a browser')
    expect((error as Error).message).not.toContain('\n')
    expect(() => statSync(join(scratch.path, 'never.pdf'))).toThrow()
    await missing.close()
  })

  it('refuses an unknown report with not-found', async () => {
    let error: unknown
    try {
      await exportTo(join(scratch.path, 'nothing.pdf'), { reportId: 987_654, format: 'pdf' })
    } catch (e) {
      error = e
    }
    expect((error as { code?: string }).code).toBe('not-found')
  })

  it('prints a 100,000-row batch report with the rows left out stated', async () => {
    const rows = 100_000
    const path = join(scratch.path, 'simulated-100k.csv')
    writeFileSync(path, simulateSampleCsv(copulaJson as SampleCopula, [], rows, 1))
    const batch = await job<BatchSummary>(engine, 'predictions.batch', {
      model: version,
      file: await fileRef(engine, path),
    })
    expect(batch.rowsScored + batch.rowsFailed).toBe(rows)
    const html = renderPredictionReport(
      gatherPredictionReport(engine.context.db, batch.batchId),
      META(),
    )
    const record = await store(
      { kind: 'batch', batchId: batch.batchId },
      `Prediction report — Batch #${batch.batchId} · simulated-100k.csv`,
      html,
    )
    const out = join(scratch.path, 'batch-100k.pdf')
    const started = performance.now()
    const exported = await exportTo(out, {
      reportId: record.reportId,
      format: 'pdf',
      pageSize: 'A4',
    })
    const seconds = (performance.now() - started) / 1000
    const info = pdfInfo(out)
    expect(exported.pages).toBe(info.pages)
    const text = pdfText(out)
    expect(text).toContain(
      `500 of ${count(rows)} rows listed; the other ${count(rows - 500)} are in the HTML file`,
    )
    expectPageFooters(text, info.pages)
    renderShots(out, 'batch-100k', info.pages)
    console.log(
      `100,000-row batch: HTML ${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB; PDF ${(exported.bytes / 1e6).toFixed(2)} MB, ${info.pages} pages, exported in ${seconds.toFixed(1)} s`,
    )
  }, 600_000)
}, 900_000)
