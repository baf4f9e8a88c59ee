import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers'
import { assay } from '../cli-helpers'
import { ACHE, AROMATASE, readTable } from '../reference-csv'

// `assay report` end to end in the CLI: a model trained on the aromatase export, a drift check
// and a batch of the AChE file, each made into a report and saved as HTML and as PDF. Sizes come
// from stat, page counts from poppler's pdfinfo.

const KEYS = ['reportId', 'kind', 'subject', 'out', 'bytes', 'pages']

function pdfinfo(file: string): { pages: number; width: number; height: number } {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(out)
  return {
    pages: Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]),
    width: Number(size?.[1]),
    height: Number(size?.[2]),
  }
}

describe('assay report', () => {
  const dir = tempDir('assay-cli-report-')
  const data = join(dir.path, 'data')
  const outDir = join(dir.path, 'out')
  let batchId: number
  let driftRunId: number

  beforeAll(async () => {
    mkdirSync(outDir)
    expect((await assay('import', AROMATASE, '--data-dir', data)).code).toBe(0)
    const trained = await assay(
      'train',
      '--features',
      'core4',
      '--learner',
      'ridge',
      '--json',
      '--data-dir',
      data,
    )
    expect(trained.code).toBe(0)
    const drift = await assay(
      'drift',
      '--model',
      'v1',
      '--input',
      ACHE,
      '--json',
      '--data-dir',
      data,
    )
    expect(drift.code).toBe(0)
    driftRunId = (JSON.parse(drift.stdout) as { driftRunId: number }).driftRunId
    const predicted = await assay(
      'predict',
      '--input',
      ACHE,
      '--model',
      'v1',
      '--json',
      '--data-dir',
      data,
    )
    expect(predicted.stderr).toBe('')
    expect(predicted.code).toBe(0)
    batchId = (JSON.parse(predicted.stdout) as { batchId: number }).batchId
  }, 600_000)
  afterAll(() => dir.remove())

  it('saves each kind as HTML and as PDF and prints the documented JSON line', async () => {
    const subjects: [string, string][] = [
      ['model-card', 'v1'],
      ['drift', String(driftRunId)],
      ['batch', String(batchId)],
    ]
    const ids = new Set<number>()
    for (const [kind, subject] of subjects)
      for (const ext of ['html', 'pdf']) {
        const out = join(outDir, `${kind}.${ext}`)
        const r = await assay('report', kind, subject, '--out', out, '--json', '--data-dir', data)
        expect(r.stderr).toBe('')
        expect(r.code).toBe(0)
        expect(r.stdout.trimEnd().split('\n')).toHaveLength(1)
        const line = JSON.parse(r.stdout) as Record<string, unknown>
        expect(Object.keys(line)).toEqual(KEYS)
        expect(line).toMatchObject({ kind, subject, out })
        expect(line.bytes).toBe(statSync(out).size)
        ids.add(line.reportId as number)
        if (ext === 'pdf') {
          expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-')
          expect(line.pages).toBe(pdfinfo(out).pages)
        } else {
          expect(line.pages).toBeNull()
          const html = readFileSync(out, 'utf8')
          expect(html.startsWith('<!doctype html>')).toBe(true)
          // the saved file is the stored one, byte for byte
          const stored = readdirSync(join(data, 'reports')).find((f) =>
            f.startsWith(`report-${line.reportId as number}-`),
          )
          expect(readFileSync(join(data, 'reports', stored as string), 'utf8')).toBe(html)
        }
      }
    // each command made and kept a report of its own
    expect(ids.size).toBe(6)
    const list = await assay(
      'report',
      'batch',
      String(batchId),
      '--out',
      join(outDir, 'b.html'),
      '--data-dir',
      data,
    )
    expect(list.code).toBe(0)
    expect(readdirSync(join(data, 'reports')).filter((f) => f.endsWith('.html'))).toHaveLength(7)
  }, 600_000)

  it('prints on the paper asked for, lists the rows asked for and reads well without --json', async () => {
    const out = join(outDir, 'batch-letter.pdf')
    const r = await assay(
      'report',
      'batch',
      String(batchId),
      '--out',
      out,
      '--page',
      'letter',
      '--pdf-rows',
      '20',
      '--data-dir',
      data,
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const info = pdfinfo(out)
    expect([Math.round(info.width), Math.round(info.height)]).toEqual([612, 792])
    expect(r.stdout).toMatch(
      new RegExp(
        `^Report #\\d+ \\(.*\\) saved to ${out}: [\\d,]+ bytes, ${info.pages} pages? \\(Letter\\)\\n$`,
      ),
    )
    const total = readTable(ACHE, ',').rows.length
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' })
    expect(text).toContain(`20 of ${total.toLocaleString('en-US')} rows listed`)
    expect(text.split('\n').filter((l) => /^\s*\d+\s+CHEMBL\d+/.test(l))).toHaveLength(20)
    const a4 = join(outDir, 'card-a4.pdf')
    expect(
      (await assay('report', 'model-card', 'v1', '--out', a4, '--page', 'A4', '--data-dir', data))
        .code,
    ).toBe(0)
    expect(Math.abs(pdfinfo(a4).width - 595.3)).toBeLessThan(1)
  }, 300_000)

  it('fails with one line and exit 1 for a bad subject, an unwritable path or a missing Chromium', async () => {
    const failures: [string[], RegExp][] = [
      [['model-card', 'v99', '--out', join(outDir, 'x.pdf')], /no model version v99/],
      [['drift', '999', '--out', join(outDir, 'x.html')], /no drift check #999/],
      [['batch', '999', '--out', join(outDir, 'x.pdf')], /no prediction batch #999/],
      [['model-card', 'v1', '--out', join(dir.path, 'missing-folder', 'x.pdf')], /does not exist/],
    ]
    const locked = join(dir.path, 'locked')
    mkdirSync(locked)
    chmodSync(locked, 0o500)
    // root writes anywhere: the permission case is only checked where it can be
    const isRoot = process.getuid?.() === 0
    if (!isRoot)
      failures.push([['model-card', 'v1', '--out', join(locked, 'x.pdf')], /permission denied/])
    // a folder nobody writes to, root included (the kernel's own)
    failures.push([
      ['model-card', 'v1', '--out', '/proc/assay-report.pdf'],
      /cannot write|could not be written/,
    ])
    // the data folder is refused too
    failures.push([['model-card', 'v1', '--out', join(data, 'x.html')], /data folder/i])
    for (const [args, message] of failures) {
      const r = await assay('report', ...args, '--data-dir', data)
      expect(r.code, args.join(' ')).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    }
    const saved = process.env.CHROMIUM_PATH
    process.env.CHROMIUM_PATH = '/nonexistent'
    try {
      const out = join(outDir, 'never.pdf')
      const r = await assay('report', 'model-card', 'v1', '--out', out, '--data-dir', data)
      expect(r.code).toBe(1)
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
      expect(r.stderr).toContain('/nonexistent')
      // the report was kept as HTML, and the line names that file
      const kept = /kept as HTML at (\S+\.html)/.exec(r.stderr)?.[1]
      expect(kept).toBeDefined()
      expect(kept?.startsWith(join(data, 'reports'))).toBe(true)
      expect(readFileSync(kept as string, 'utf8').startsWith('<!doctype html>')).toBe(true)
      expect(() => statSync(out)).toThrow()
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH
      else process.env.CHROMIUM_PATH = saved
    }
  }, 300_000)

  it('treats a mistyped command as a usage error (exit 2)', async () => {
    for (const args of [
      ['summary', 'v1', '--out', join(outDir, 'x.pdf')],
      ['model-card', 'v1', '--out', join(outDir, 'x.docx')],
      ['model-card', 'v1'],
      ['drift', 'abc', '--out', join(outDir, 'x.pdf')],
      ['model-card', 'v1', '--out', join(outDir, 'x.pdf'), '--page', 'a3'],
      ['model-card', 'v1', '--out', join(outDir, 'x.pdf'), '--pdf-rows', '10'],
      ['batch', String(batchId), '--out', join(outDir, 'x.pdf'), '--pdf-rows', '0'],
    ]) {
      const r = await assay('report', ...args, '--data-dir', data)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
    }
  })
})
