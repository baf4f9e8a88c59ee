import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CallResult } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { LATEST_SCHEMA_VERSION } from '../../src-main/engine/db/migrations'
import { CSP_HEADER } from '../../src-main/contract/content-security-policy'
import { type WebHost, startWebHost } from '../../src-main/hosts/web-host'
import { startTestEngine, tempDir } from '../helpers'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request, so tests can send any Host header (fetch would not let them). */
function send(
  port: number,
  options: {
    method?: string
    path: string
    headers?: Record<string, string>
    /** one string or buffer; an array is sent as separate chunks (chunked encoding, no length) */
    body?: string | Buffer | Buffer[]
  },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    req.on('error', reject)
    const parts = Array.isArray(options.body)
      ? options.body
      : options.body === undefined
        ? []
        : [options.body]
    for (const part of parts) req.write(part)
    req.end()
  })
}

describe('web host', () => {
  let dir: ReturnType<typeof tempDir>
  let engine: Engine
  let host: WebHost
  const uploads = () => join(dir.path, 'data', 'uploads')

  beforeEach(async () => {
    dir = tempDir()
    const renderer = join(dir.path, 'renderer')
    mkdirSync(join(renderer, 'assets'), { recursive: true })
    writeFileSync(
      join(renderer, 'index.html'),
      '<!doctype html><html><head><title>t</title></head><body></body></html>',
    )
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(dir.path, 'secret.txt'), 'not for the browser')
    engine = startTestEngine(join(dir.path, 'data'))
    host = await startWebHost({
      engine,
      rendererDir: renderer,
      uploadDir: uploads(),
      maxUploadBytes: 4096,
      maxCallBytes: 64 * 1024,
    })
  })
  afterEach(async () => {
    await host.close()
    await engine.close()
    dir.remove()
  })

  const ok = () => ({
    host: `127.0.0.1:${host.port}`,
    'x-workbench-token': host.token,
    'content-type': 'application/json',
  })
  const callBody = (method: string, input: unknown = {}) => JSON.stringify({ method, input })

  it('binds to 127.0.0.1 and prints a URL with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    expect(host.token).toMatch(/^[0-9a-f]{48}$/)
  })

  it('serves the renderer with the bridge script and a strict CSP', async () => {
    const page = await send(host.port, { path: '/', headers: { host: `127.0.0.1:${host.port}` } })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<script src="/workbench-bridge.js"></script>')
    expect(page.headers['content-security-policy']).toBe(CSP_HEADER)
    expect(CSP_HEADER).not.toMatch(/https?:|unsafe-eval/)
    const bridge = await send(host.port, {
      path: '/workbench-bridge.js',
      headers: { host: `localhost:${host.port}` },
    })
    expect(bridge.status).toBe(200)
    expect(bridge.body).toContain('window.workbench')
  })

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt']) {
      const r = await send(host.port, { path, headers: { host: `127.0.0.1:${host.port}` } })
      expect(r.status, path).toBe(404)
      expect(r.body).not.toContain('not for the browser')
    }
  })

  it('answers calls that carry the token', async () => {
    const r = await send(host.port, {
      method: 'POST',
      path: '/api/call',
      headers: ok(),
      body: callBody('app.status'),
    })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toMatchObject({
      ok: true,
      value: { schemaVersion: LATEST_SCHEMA_VERSION, host: 'test' },
    })
  })

  it('refuses requests without the token or with a wrong one', async () => {
    const { 'x-workbench-token': _omit, ...noToken } = ok()
    const missing = await send(host.port, {
      method: 'POST',
      path: '/api/call',
      headers: noToken,
      body: callBody('app.status'),
    })
    expect(missing.status).toBe(401)
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    const wrong = await send(host.port, {
      method: 'POST',
      path: '/api/call',
      headers: { ...ok(), 'x-workbench-token': 'f'.repeat(48) },
      body: callBody('app.status'),
    })
    expect(wrong.status).toBe(401)
    const events = await send(host.port, {
      path: '/api/events?token=nope',
      headers: { host: `127.0.0.1:${host.port}` },
    })
    expect(events.status).toBe(401)
  })

  it('refuses a foreign Host header, token or not', async () => {
    for (const h of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`]) {
      const r = await send(host.port, {
        method: 'POST',
        path: '/api/call',
        headers: { ...ok(), host: h },
        body: callBody('app.status'),
      })
      expect(r.status, h).toBe(421)
      const page = await send(host.port, { path: '/', headers: { host: h } })
      expect(page.status, h).toBe(421)
    }
  })

  it('passes engine errors through as data: unknown method, wrong input type, bad JSON', async () => {
    const unknown = await send(host.port, {
      method: 'POST',
      path: '/api/call',
      headers: ok(),
      body: callBody('files.delete'),
    })
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    const wrongType = await send(host.port, {
      method: 'POST',
      path: '/api/call',
      headers: ok(),
      body: callBody('settings.set', { key: 'theme', value: 7 }),
    })
    expect(JSON.parse(wrongType.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
    const notJson = await send(host.port, {
      method: 'POST',
      path: '/api/call',
      headers: ok(),
      body: '{"method": ',
    })
    expect(notJson.status).toBe(400)
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })

  const upload = async (name: string, content: string) => {
    const r = await send(host.port, {
      method: 'POST',
      path: `/api/upload?name=${encodeURIComponent(name)}`,
      headers: { ...ok(), 'content-type': 'application/octet-stream' },
      body: content,
    })
    expect(r.status).toBe(200)
    return JSON.parse(r.body).value as Record<string, unknown>
  }
  const call = async (method: string, input: unknown) => {
    const r = await send(host.port, {
      method: 'POST',
      path: '/api/call',
      headers: ok(),
      body: callBody(method, input),
    })
    return { status: r.status, body: r.body, result: JSON.parse(r.body) as CallResult<unknown> }
  }

  it('saves an upload into the data folder and returns a handle to it, never its path', async () => {
    const content = 'a;b\n1;2\n'
    const ref = await upload('../../evil name.csv', content)
    expect(ref).toEqual({
      handle: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'evil name.csv',
      size: content.length,
    })
    const saved = readdirSync(uploads())
    expect(saved).toHaveLength(1)
    expect(JSON.stringify(ref)).not.toContain(saved[0])
    const preview = await call('imports.preview', { file: ref })
    expect(preview.result).toMatchObject({
      ok: true,
      value: { header: ['a', 'b'], rows: [['1', '2']], file: { name: 'evil name.csv' } },
    })
  })

  it('reads no file the page names, and no handle it did not hand out', async () => {
    for (const path of ['/etc/passwd', 'uploads/../../../../etc/passwd', '/etc/shadow']) {
      const r = await call('imports.preview', { file: { path, name: 'x.csv', size: 100 } })
      expect(r.result, path).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
      expect(r.body).not.toContain('root:')
    }
    const forged = { handle: 'f'.repeat(32), name: 'x.csv', size: 1 }
    expect((await call('imports.preview', { file: forged })).result).toMatchObject({
      ok: false,
      error: { code: 'file-not-allowed' },
    })
    // an upload named like the database is the page's own copy, not the database
    const copy = await upload('workbench.sqlite', 'a,b\n1,2\n')
    const preview = await call('imports.preview', { file: copy })
    expect(preview.result).toMatchObject({ ok: true, value: { header: ['a', 'b'] } })
  })

  it('answers an oversized call with a 413 it can read, and goes on answering', async () => {
    const big = callBody('app.status', { padding: 'x'.repeat(1024 * 1024) })
    const r = await send(host.port, { method: 'POST', path: '/api/call', headers: ok(), body: big })
    expect(r.status).toBe(413)
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect((await call('app.status', {})).status).toBe(200)
  })

  it('answers a malformed address with 400, not a server error', async () => {
    for (const path of ['/%', '/%E0%A4%A', '/assets/%zz.js']) {
      const r = await send(host.port, { path, headers: { host: `127.0.0.1:${host.port}` } })
      expect(r.status, path).toBe(400)
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
  })

  it('refuses an oversized upload and keeps no part of it', async () => {
    const big = Buffer.alloc(10_000, 65)
    const declared = await send(host.port, {
      method: 'POST',
      path: '/api/upload?name=big.csv',
      headers: ok(),
      body: big,
    })
    expect(declared.status).toBe(413)
    expect(JSON.parse(declared.body)).toMatchObject({
      ok: false,
      error: { code: 'upload-too-large' },
    })
    // Without a Content-Length the limit is enforced while streaming.
    const streamed = await send(host.port, {
      method: 'POST',
      path: '/api/upload?name=big2.csv',
      headers: { ...ok(), 'transfer-encoding': 'chunked' },
      body: Array.from({ length: 10 }, () => Buffer.alloc(1000, 66)),
    })
    expect(streamed.status).toBe(413)
    let left: string[] = []
    try {
      left = readdirSync(uploads())
    } catch {
      left = []
    }
    expect(left).toEqual([])
  })

  it('streams job events to the browser as Server-Sent Events', async () => {
    const received: string[] = []
    const done = new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: `/api/events?token=${host.token}`,
          headers: { host: `127.0.0.1:${host.port}` },
        },
        (res) => {
          expect(res.headers['content-type']).toMatch(/text\/event-stream/)
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            received.push(chunk)
            if (chunk.includes('event: job.finished')) {
              req.destroy()
              resolve()
            }
          })
        },
      )
      req.on('error', (e) => (received.join('').includes('job.finished') ? resolve() : reject(e)))
      req.end()
    })
    await new Promise((r) => setTimeout(r, 50))
    const start = await send(host.port, {
      method: 'POST',
      path: '/api/call',
      headers: ok(),
      body: callBody('app.selfTest', { smiles: ['CCO', 'c1ccccc1'] }),
    })
    const { jobId } = JSON.parse(start.body).value as { jobId: string }
    await done
    const text = received.join('')
    expect(text).toContain('event: job.progress')
    const finished = text.split('\n\n').find((frame) => frame.startsWith('event: job.finished'))
    const payload = JSON.parse(finished!.split('data: ')[1]!) as { jobId: string; state: string }
    expect(payload).toMatchObject({ jobId, state: 'succeeded' })
  })
})
