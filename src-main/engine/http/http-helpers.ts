import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CallResult, ErrorCode } from '../../contract'

/**
 * The small HTTP toolkit the engine's listeners share (the web host, the metrics endpoint): a
 * failure with its status and error code, bodies with a size limit, JSON and text answers, the
 * token and Host-header checks, and listening on and closing a server.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** The failure answer every listener sends: the contract's error shape. */
export function failure(code: ErrorCode, message: string): CallResult<never> {
  return { ok: false, error: { code, message } }
}

/** Answers a request handler's failure: its own status for an HttpError, 500 for anything else. */
export function sendFailure(res: ServerResponse, error: unknown, who: string): void {
  if (error instanceof HttpError) sendJson(res, error.status, failure(error.code, error.message))
  else sendJson(res, 500, failure('internal', `${who} failed: ${String(error)}`))
}

/** Compares a presented token with the expected one in constant time. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Refuses a request that does not name this host and port in its Host header: a page on another
 * site that rebinds its DNS name to 127.0.0.1 sends its own name. Returns the Host header.
 */
export function requireLocalHost(req: IncomingMessage, port: number): string {
  const host = req.headers.host ?? ''
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    throw new HttpError(
      421,
      'unauthorized',
      `This server only answers requests for 127.0.0.1:${port}.`,
    )
  }
  return host
}

/** How much of an oversized body is read and dropped before the connection is cut. */
const MAX_DISCARDED_BYTES = 64 * 1024 ** 2

/** Reads a request body as UTF-8; more than `limit` bytes is a 413 `invalid-input`. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (tooLarge) {
        if (size > limit + MAX_DISCARDED_BYTES) req.destroy()
        return
      }
      if (size > limit) {
        // Answer now and read the rest without keeping it. Destroying the request here reset the
        // connection while the client was still sending, so it saw ECONNRESET instead of the 413.
        tooLarge = true
        chunks.length = 0
        reject(new HttpError(413, 'invalid-input', `A call's input may be at most ${limit} bytes.`))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Reads a JSON body; a body that is not JSON is a 400 `invalid-input`. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit)
  try {
    return JSON.parse(body) as unknown
  } catch {
    throw new HttpError(400, 'invalid-input', 'The request body is not JSON.')
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end()
    return
  }
  sendText(res, status, JSON.stringify(body), 'application/json; charset=utf-8')
}

export function sendText(res: ServerResponse, status: number, text: string, type: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  })
  res.end(text)
}

/** Listens on `host:port` (0 picks a free port) and returns the port it got. */
export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolveListen()
    })
  })
  return (server.address() as AddressInfo).port
}

/** Cuts every connection (kept-alive ones and event streams too) and waits for the server to close. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
}
