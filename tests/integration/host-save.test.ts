import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CHROMIUM_FLAGS, chromiumPath } from '../../src-main/engine/host/chromium-pdf'
import type { WorkbenchApi } from '../../src-main/contract'
import { type Engine, createEngine } from '../../src-main/engine/engine'
import { createHeadlessHost } from '../../src-main/engine/host/headless-host'
import { type WebHost, startWebHost } from '../../src-main/hosts/web-host'
import { WORKER_SOURCE, tempDir } from '../helpers'

/** A raw GET, so the path is sent exactly as written (fetch would resolve `..` first). */
function get(
  port: number,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

describe('saving in the web host: a one-time browser download', () => {
  let dir: ReturnType<typeof tempDir>
  let engine: Engine
  let host: WebHost
  beforeEach(async () => {
    dir = tempDir()
    const renderer = join(dir.path, 'renderer')
    mkdirSync(renderer, { recursive: true })
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head></head></html>')
    engine = createEngine({
      dataDir: join(dir.path, 'data'),
      host: 'web',
      workerPath: WORKER_SOURCE,
    })
    host = await startWebHost({ engine, rendererDir: renderer, uploadDir: join(dir.path, 'up') })
  })
  afterEach(async () => {
    await host.close()
    await engine.close()
    dir.remove()
  })

  const save = async (name: string, bytes: Uint8Array, mime = 'application/pdf') => {
    const outcome = await engine.context.capabilities.saveFile({ suggestedName: name, bytes, mime })
    expect(outcome.saved).toBe(true)
    expect(outcome.path).toBeUndefined()
    expect(outcome.downloadId).toMatch(/^[0-9a-f]{32}$/)
    return outcome.downloadId as string
  }
  const url = (id: string, token = host.token) => `/api/download/${id}?token=${token}`

  it('serves the saved bytes once, as an attachment with its name, then never again', async () => {
    const bytes = randomBytes(70_000)
    const id = await save('aromatase report.pdf', bytes)
    const first = await get(host.port, url(id))
    expect(first.status).toBe(200)
    expect(Buffer.compare(first.body, bytes)).toBe(0)
    expect(first.headers['content-type']).toBe('application/pdf')
    expect(first.headers['content-length']).toBe(String(bytes.length))
    expect(first.headers['content-disposition']).toBe(
      `attachment; filename="aromatase report.pdf"; filename*=UTF-8''aromatase%20report.pdf`,
    )
    expect(first.headers['cache-control']).toBe('no-store')
    const again = await get(host.port, url(id))
    expect(again.status).toBe(404)
    expect(again.body.toString()).toContain('already fetched')
  })

  it('keeps a name from naming folders', async () => {
    const id = await save('../../etc/cron.d/evil.csv', Buffer.from('a,b\n'), 'text/csv')
    const reply = await get(host.port, url(id))
    expect(reply.status).toBe(200)
    expect(reply.headers['content-disposition']).toContain('filename="evil.csv"')
  })

  it('refuses a wrong token, an unknown id and any path in place of an id', async () => {
    const id = await save('r.pdf', Buffer.from('%PDF-1.4'))
    expect((await get(host.port, url(id, 'f'.repeat(48)))).status).toBe(401)
    expect((await get(host.port, `/api/download/${id}`)).status).toBe(401)
    expect((await get(host.port, url(randomBytes(16).toString('hex')))).status).toBe(404)
    for (const path of [
      '..%2F..%2F..%2Fetc%2Fpasswd',
      '../../../etc/passwd',
      '%2Fetc%2Fpasswd',
      `${id}%2F..%2F..%2Fdata%2Fworkbench.sqlite`,
      `${id.toUpperCase()}`,
      `${id}x`,
    ]) {
      const reply = await get(host.port, url(path))
      expect([401, 404], path).toContain(reply.status)
      expect(reply.body.toString(), path).not.toContain('root:')
    }
    // none of that used the real download up
    const reply = await get(host.port, url(id))
    expect(reply.status).toBe(200)
    expect(reply.body.toString()).toBe('%PDF-1.4')
  })

  it("the page's bridge turns a download id into the browser's own download, once", async () => {
    const bytes = randomBytes(5000)
    const id = await save('predictions v3.pdf', bytes)
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS })
    try {
      const page = await browser.newPage({ acceptDownloads: true })
      await page.goto(host.url)
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.evaluate(
          (downloadId) =>
            (globalThis as unknown as { workbench: WorkbenchApi }).workbench.download(downloadId),
          id,
        ),
      ])
      expect(download.suggestedFilename()).toBe('predictions v3.pdf')
      const saved = join(dir.path, 'downloaded.pdf')
      await download.saveAs(saved)
      expect(Buffer.compare(readFileSync(saved), bytes)).toBe(0)
      // the id was spent by that download
      expect(engine.takeDownload(id)).toBeNull()
    } finally {
      await browser.close()
    }
  }, 60_000)

  it('forgets downloads when the engine closes', async () => {
    const id = await save('r.pdf', Buffer.from('x'))
    expect(engine.context.downloads.size).toBe(1)
    await engine.close()
    expect(engine.takeDownload(id)).toBeNull()
  })
})

describe('saving in the CLI: the path the user gave, never the data folder', () => {
  const dir = tempDir()
  const dataDir = join(dir.path, 'data')
  const out = join(dir.path, 'out')
  beforeAll(() => {
    mkdirSync(dataDir, { recursive: true })
    mkdirSync(out, { recursive: true })
  })
  afterAll(() => dir.remove())

  it('writes the file the user named, or the suggested name in the folder they named', async () => {
    const named = createHeadlessHost({ kind: 'cli', dataDir, saveTo: join(out, 'mine.pdf') })
    const bytes = randomBytes(1000)
    const outcome = await named.saveFile({ suggestedName: 'x.pdf', bytes, mime: 'application/pdf' })
    expect(outcome).toEqual({ saved: true, path: join(out, 'mine.pdf') })
    expect(Buffer.compare(readFileSync(join(out, 'mine.pdf')), bytes)).toBe(0)
    // a file it wrote may be "opened": the CLI has no viewer and says so
    expect(await named.openFile(join(out, 'mine.pdf'))).toEqual({ opened: false })
    await named.close()

    const folder = createHeadlessHost({ kind: 'cli', dataDir, saveTo: out })
    const inFolder = await folder.saveFile({
      suggestedName: '../report.pdf',
      bytes,
      mime: 'application/pdf',
    })
    expect(inFolder.path).toBe(join(out, 'report.pdf'))
    await folder.close()
  })

  it('refuses the data folder and the database, and opens nothing it did not write', async () => {
    writeFileSync(join(dataDir, 'workbench.sqlite'), 'stand-in')
    for (const saveTo of [
      dataDir,
      join(dataDir, 'report.pdf'),
      join(dataDir, 'workbench.sqlite'),
    ]) {
      const host = createHeadlessHost({ kind: 'cli', dataDir, saveTo })
      const error = await host
        .saveFile({ suggestedName: 'r.pdf', bytes: Buffer.from('x'), mime: 'application/pdf' })
        .then(
          () => null,
          (e: unknown) => e as { code?: string },
        )
      expect(error?.code, saveTo).toBe('file-not-allowed')
      const refused = await host.openFile('/etc/passwd').then(
        () => null,
        (e: unknown) => e as { code?: string },
      )
      expect(refused?.code).toBe('not-allowed')
      await host.close()
    }
    expect(readFileSync(join(dataDir, 'workbench.sqlite'), 'utf8')).toBe('stand-in')
  })

  it('shows no notification', async () => {
    const host = createHeadlessHost({ kind: 'cli', dataDir })
    expect(await host.notify({ title: 'Training finished', body: 'v4' })).toEqual({ shown: false })
    await host.close()
  })
})
