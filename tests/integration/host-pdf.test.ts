import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toErrorData } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { answerHostRequest, hostRequest } from '../../src-main/engine/host/capabilities'
import { remoteCapabilities } from '../../src-main/engine/host/remote-capabilities'
import { createHeadlessHost } from '../../src-main/engine/host/headless-host'
import { startTestEngine, tempDir } from '../helpers'

// The web host's and the CLI's PDF printer, run for real: playwright-core driving Debian's
// Chromium. What comes out is read back with poppler (pdfinfo, pdftotext, pdftoppm), a program
// of its own, not with the code under test.

const SHOTS = '/work/shots/host'

function pdfInfo(file: string): { pages: number; width: number; height: number } {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1])
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(out)
  return { pages, width: Number(size?.[1]), height: Number(size?.[2]) }
}

const pdfText = (file: string) =>
  execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })

/** Pixels of one colour (within 24 per channel) on the first page, rendered by pdftoppm at 50 dpi. */
function countColour(file: string, [r, g, b]: [number, number, number]): number {
  const ppm = execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', file])
  // P6 header: magic, width, height, maxval, each followed by whitespace
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 50).toString('latin1'))
  if (!header) throw new Error('pdftoppm did not write a P6 image')
  const pixels = ppm.subarray(header[0].length)
  let n = 0
  for (let i = 0; i + 2 < pixels.length; i += 3)
    if (
      Math.abs((pixels[i] ?? 0) - r) <= 24 &&
      Math.abs((pixels[i + 1] ?? 0) - g) <= 24 &&
      Math.abs((pixels[i + 2] ?? 0) - b) <= 24
    )
      n++
  return n
}

/** Process ids of the Chromiums started by this test process (the browser is our direct child). */
function ourChromiumPids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  })
  return out
    .split('\n')
    .filter((line) => /chrom/i.test(line))
    .map((line) => Number.parseInt(line.trim(), 10))
}

const ourChromiums = () => ourChromiumPids().length

const REPORT = `<!doctype html>
<html><head><meta charset="utf-8"><title>Aromatase report</title>
<style>
  body { font-family: sans-serif; }
  table { border-collapse: collapse; }
  td, th { border: 1px solid #888; padding: 2px 6px; }
  .page { break-after: page; }
  .page:last-child { break-after: auto; }
</style></head>
<body>
<section class="page">
  <h1>Aromatase model v3</h1>
  <table>
    <tr><th>Compound</th><th>pIC50</th><th>IC50 (nM)</th></tr>
    <tr><td>CHEMBL1200</td><td>7.42</td><td>38.0</td></tr>
    <tr><td>CHEMBL3353</td><td>5.10</td><td>7943</td></tr>
  </table>
</section>
<section class="page">
  <svg width="400" height="300" viewBox="0 0 400 300" xmlns="http://www.w3.org/2000/svg">
    <rect x="40" y="40" width="320" height="220" fill="#d62728"/>
    <text x="60" y="30" font-size="16">Predicted versus measured</text>
  </svg>
</section>
<section class="page"><p>Third page: interval coverage 0.91</p></section>
</body></html>`

describe('printing HTML to PDF with an installed Chromium', () => {
  const dir = tempDir()
  const host = createHeadlessHost({ kind: 'cli', dataDir: join(dir.path, 'data') })
  afterAll(async () => {
    await host.close()
    dir.remove()
  })

  it('prints a table and an inline SVG chart on A4, one page per section, with its text', async () => {
    const pdf = await host.printToPdf(REPORT, { pageSize: 'A4' })
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
    const file = join(dir.path, 'report.pdf')
    writeFileSync(file, pdf)
    const info = pdfInfo(file)
    expect(info.pages).toBe(3)
    // A4 is 210 x 297 mm = 595.28 x 841.89 pt; Chromium lays paper out in whole CSS pixels, so
    // it comes out within a point (0.35 mm) of that
    expect(Math.abs(info.width - 595.28)).toBeLessThan(1)
    expect(Math.abs(info.height - 841.89)).toBeLessThan(1)
    const text = pdfText(file)
    for (const s of ['Aromatase model v3', 'CHEMBL1200', '7.42', '7943', 'IC50 (nM)'])
      expect(text).toContain(s)
    expect(text).toContain('Predicted versus measured')
    expect(text).toContain('interval coverage 0.91')
    // the first page holds the table only: the chart's red is on page 2
    expect(countColour(file, [214, 39, 40])).toBe(0)
    const page2 = execFileSync('pdftoppm', ['-r', '50', '-f', '2', '-l', '2', '-png', file])
    mkdirSync(SHOTS, { recursive: true })
    writeFileSync(join(SHOTS, 'pdf-page2-chart.png'), page2)
    execFileSync('pdftoppm', [
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-png',
      file,
      join(SHOTS, 'pdf-a4'),
    ])
  }, 60_000)

  it('draws the inline SVG: its filled rectangle is on the page', async () => {
    const pdf = await host.printToPdf(REPORT.replace(/class="page"/g, ''), {
      pageSize: 'A4',
    })
    const file = join(dir.path, 'one-page.pdf')
    writeFileSync(file, pdf)
    expect(pdfInfo(file).pages).toBe(1)
    // 320 x 220 CSS px = 3.33 x 2.29 in; at 50 dpi 167 x 115 = 19,200 pixels
    const red = countColour(file, [214, 39, 40])
    expect(red).toBeGreaterThan(17_000)
    expect(red).toBeLessThan(21_000)
  }, 60_000)

  it('prints Letter in landscape when asked', async () => {
    const pdf = await host.printToPdf(REPORT, { pageSize: 'Letter', landscape: true })
    const file = join(dir.path, 'letter.pdf')
    writeFileSync(file, pdf)
    const info = pdfInfo(file)
    // Letter is 8.5 x 11 in = 612 x 792 pt; landscape turns it
    expect(info.width).toBeCloseTo(792, 0)
    expect(info.height).toBeCloseTo(612, 0)
    expect(info.pages).toBe(3)
  }, 60_000)

  it('keeps one browser for every print', async () => {
    await host.printToPdf('<p>one</p>', { pageSize: 'A4' })
    await host.printToPdf('<p>two</p>', { pageSize: 'A4' })
    expect(ourChromiums()).toBe(1)
  }, 60_000)

  it('starts a new browser when the one it kept has died', async () => {
    await host.printToPdf('<p>before</p>', { pageSize: 'A4' })
    const [pid] = ourChromiumPids()
    expect(pid).toBeGreaterThan(0)
    process.kill(pid as number, 'SIGKILL')
    await new Promise((r) => setTimeout(r, 500))
    const pdf = await host.printToPdf('<p>after the crash</p>', { pageSize: 'A4' })
    const file = join(dir.path, 'after.pdf')
    writeFileSync(file, pdf)
    expect(pdfText(file)).toContain('after the crash')
    expect(ourChromiumPids()).not.toContain(pid)
    expect(ourChromiums()).toBe(1)
  }, 60_000)
})

describe('a hostile document', () => {
  const dir = tempDir()
  const host = createHeadlessHost({ kind: 'cli', dataDir: join(dir.path, 'data') })
  const requests: string[] = []
  let server: Server
  let origin = ''
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`)
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<p>LEAKED-FROM-SERVER</p>')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await host.close()
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
    dir.remove()
  })

  it('makes no request, runs no script and reads no file', async () => {
    const html = `<!doctype html><html><head>
      <link rel="stylesheet" href="${origin}/style.css">
      <link rel="prefetch" href="${origin}/prefetch">
      <link rel="dns-prefetch" href="//example.com">
      <meta http-equiv="refresh" content="0;url=${origin}/refresh">
      <style>body { background: url(${origin}/background.png) } @import url(${origin}/import.css);</style>
    </head><body>
      <h1>Compound &lt;b&gt;X-1&lt;/b&gt; VISIBLEMARKER</h1>
      <img src="http://example.com/x"><img src="${origin}/image.png">
      <script>fetch('${origin}/fetch'); document.write('SCRIPT-RAN')</script>
      <iframe src="file:///etc/passwd"></iframe>
      <iframe src="${origin}/frame"></iframe>
      <object data="file:///etc/passwd" type="text/plain"></object>
      <embed src="${origin}/embed">
      <svg width="100" height="100"><image href="${origin}/svg-image.png" width="100" height="100"/></svg>
      <video poster="${origin}/poster.png"></video>
      <form action="${origin}/form"><input name="q" value="1"></form>
      <a href="${origin}/link">a link</a>
    </body></html>`
    const pdf = await host.printToPdf(html, { pageSize: 'A4' })
    // give anything the page might have started late a moment to arrive
    await new Promise((r) => setTimeout(r, 500))
    expect(requests).toEqual([])
    const file = join(dir.path, 'hostile.pdf')
    writeFileSync(file, pdf)
    const text = pdfText(file)
    expect(text).toContain('VISIBLEMARKER')
    expect(text).not.toContain('SCRIPT-RAN')
    expect(text).not.toContain('LEAKED-FROM-SERVER')
    // /etc/passwd always has root's line
    expect(readFileSync('/etc/passwd', 'utf8')).toContain('root:')
    expect(text).not.toContain('root:')
    expect(Buffer.from(pdf).toString('latin1')).not.toContain('root:x:0')
  }, 60_000)
})

describe('without Chromium', () => {
  it('refuses with pdf-unavailable and says how to install it', async () => {
    const dir = tempDir()
    const host = createHeadlessHost({
      kind: 'cli',
      dataDir: dir.path,
      chromiumPath: join(dir.path, 'no-chromium-here'),
    })
    try {
      const error = await host.printToPdf('<p>x</p>', { pageSize: 'A4' }).then(
        () => null,
        (e: unknown) => e as { code?: string; message?: string },
      )
      expect(error?.code).toBe('pdf-unavailable')
      expect(error?.message).toContain('apt-get install chromium')
      expect(error?.message).toContain('CHROMIUM_PATH')
    } finally {
      await host.close()
      dir.remove()
    }
  })

  it('the engine reads CHROMIUM_PATH and answers pdf-unavailable through its context', async () => {
    const dir = tempDir()
    const before = process.env.CHROMIUM_PATH
    process.env.CHROMIUM_PATH = join(dir.path, 'missing', 'chromium')
    let engine: Engine | null = null
    try {
      engine = startTestEngine(dir.path)
      const error = await engine.context.capabilities
        .printToPdf('<p>x</p>', { pageSize: 'Letter' })
        .then(
          () => null,
          (e: unknown) => e as { code?: string; message?: string },
        )
      expect(error?.code).toBe('pdf-unavailable')
      expect(error?.message).toContain(join(dir.path, 'missing', 'chromium'))
    } finally {
      if (before === undefined) delete process.env.CHROMIUM_PATH
      else process.env.CHROMIUM_PATH = before
      await engine?.close()
      dir.remove()
    }
  })
})

describe('the engine closes its browser', () => {
  it('when it closes, and prints nothing after', async () => {
    const dir = tempDir()
    const engine = startTestEngine(dir.path)
    try {
      const pdf = await engine.context.capabilities.printToPdf('<p>x</p>', { pageSize: 'A4' })
      expect(Buffer.from(pdf.subarray(0, 4)).toString('latin1')).toBe('%PDF')
      expect(ourChromiums()).toBe(1)
    } finally {
      await engine.close()
      dir.remove()
    }
    expect(ourChromiums()).toBe(0)
    const after = await engine.context.capabilities.printToPdf('<p>y</p>', { pageSize: 'A4' }).then(
      () => null,
      (e: unknown) => e as { code?: string },
    )
    expect(after?.code).toBe('pdf-unavailable')
  }, 60_000)
})

describe('through the process protocol, as the desktop engine asks main', () => {
  it('a request crosses as a structured clone, passes main’s check and comes back as the PDF', async () => {
    const dir = tempDir()
    const host = createHeadlessHost({ kind: 'cli', dataDir: dir.path })
    // What Electron does between the utility process and main: the V8 serializer both ways, and
    // main's schema check before it answers.
    const remote = remoteCapabilities((id, request) => {
      const arrived = hostRequest.parse(structuredClone(request))
      void answerHostRequest(host, arrived).then(
        (value) => remote.receive(id, structuredClone({ ok: true as const, value })),
        (error: unknown) => remote.receive(id, { ok: false, error: toErrorData(error) }),
      )
    })
    try {
      const pdf = await remote.capabilities.printToPdf(REPORT, { pageSize: 'Letter' })
      const file = join(dir.path, 'remote.pdf')
      writeFileSync(file, pdf)
      expect(pdfInfo(file)).toMatchObject({ pages: 3, width: 612, height: 792 })
      expect(pdfText(file)).toContain('CHEMBL3353')
      const refused = await remote.capabilities.openFile('/etc/passwd').then(
        () => null,
        (e: unknown) => e as { code?: string },
      )
      expect(refused?.code).toBe('not-allowed')
    } finally {
      await remote.capabilities.close()
      await host.close()
      dir.remove()
    }
  }, 60_000)
})
