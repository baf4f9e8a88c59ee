import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import {
  closeServer,
  listen,
  readJsonBody,
  requireLocalHost,
  sameToken,
  sendFailure,
  sendJson,
} from '../../src-main/engine/http/http-helpers'

/** A server answering with the helpers as a listener would: JSON echo of a body of at most 16 bytes. */
async function echoServer() {
  let port = 0
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    ;(async () => {
      requireLocalHost(req, port)
      sendJson(res, 200, { ok: true, value: await readJsonBody(req, 16) })
    })().catch((error: unknown) => sendFailure(res, error, 'The test server'))
  })
  port = await listen(server, 0)
  return { server, port }
}

function post(port: number, body: string, host = `127.0.0.1:${port}`) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/', headers: { host } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('http helpers', () => {
  let close: (() => Promise<void>) | null = null
  afterEach(async () => {
    await close?.()
    close = null
  })

  it('answer JSON, 400 for a body that is not JSON, 413 past the limit, 421 for another host', async () => {
    const { server, port } = await echoServer()
    close = () => closeServer(server)
    expect(port).toBeGreaterThan(0)
    expect(await post(port, '{"a":1}')).toEqual({
      status: 200,
      json: { ok: true, value: { a: 1 } },
    })
    expect(await post(port, '{"a":')).toEqual({
      status: 400,
      json: {
        ok: false,
        error: { code: 'invalid-input', message: 'The request body is not JSON.' },
      },
    })
    // 17 bytes: one more than the limit
    expect(await post(port, `"${'x'.repeat(15)}"`)).toEqual({
      status: 413,
      json: {
        ok: false,
        error: { code: 'invalid-input', message: "A call's input may be at most 16 bytes." },
      },
    })
    const rebound = await post(port, '{}', `evil.example:${port}`)
    expect(rebound.status).toBe(421)
    expect(rebound.json).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
  })

  it('compare tokens exactly, whatever their length', () => {
    expect(sameToken('abc123', 'abc123')).toBe(true)
    expect(sameToken('abc124', 'abc123')).toBe(false)
    expect(sameToken('abc12', 'abc123')).toBe(false)
    expect(sameToken('', 'abc123')).toBe(false)
  })

  it('refuse a port already in use, and close a server with an open connection', async () => {
    const { server, port } = await echoServer()
    const second = createServer()
    await expect(listen(second, port)).rejects.toThrow(/EADDRINUSE/)
    // a kept-alive connection does not hold the close up
    await post(port, '{}')
    await closeServer(server)
    expect(server.listening).toBe(false)
  })
})
