import { randomBytes, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, rm, stat } from 'node:fs/promises'
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import { basename, extname, join, normalize, resolve, sep } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FileRef } from '../contract'
import { CSP_HEADER } from '../contract/content-security-policy'
import type { Engine } from '../engine/engine'
import {
  HttpError,
  closeServer,
  listen,
  readJsonBody,
  requireLocalHost,
  sameToken,
  sendFailure,
  sendJson,
  sendText,
} from '../engine/http/http-helpers'
import bridgeScript from './web/bridge.js?raw'

export interface WebHostOptions {
  engine: Engine
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** Uploads are saved here before the engine reads them. */
  uploadDir: string
  /** 0 picks a free port. */
  port?: number
  maxUploadBytes?: number
  maxCallBytes?: number
}

export interface WebHost {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3
const DEFAULT_MAX_CALL_BYTES = 1024 ** 2
const BRIDGE_PATH = '/workbench-bridge.js'
/** `GET /api/download/<id>?token=...`: a file the engine saved for the browser, once. */
export const DOWNLOAD_PREFIX = '/api/download/'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

/**
 * Serves the built renderer and the contract on 127.0.0.1 for the browser: calls as POST, events
 * as Server-Sent Events, uploads as streamed POSTs. Every API request needs the per-start token,
 * and every request must name this host and port in its Host header (a page on another site that
 * rebinds its DNS name to 127.0.0.1 sends its own name, and is refused).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(24).toString('hex')
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES
  const maxCallBytes = options.maxCallBytes ?? DEFAULT_MAX_CALL_BYTES
  const rendererDir = resolve(options.rendererDir)
  const eventStreams = new Set<ServerResponse>()
  let port = 0

  const unsubscribe = options.engine.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const res of eventStreams) res.write(frame)
  })

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendFailure(res, error, 'The web host'))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    const host = requireLocalHost(req, port)
    const url = new URL(req.url ?? '/', `http://${host}`)

    if (url.pathname.startsWith('/api/')) {
      // An EventSource and a download link cannot send headers: those two carry it in the query.
      const given =
        url.pathname === '/api/events' || url.pathname.startsWith(DOWNLOAD_PREFIX)
          ? url.searchParams.get('token')
          : req.headers['x-workbench-token']
      if (typeof given !== 'string' || !sameToken(given, token)) {
        throw new HttpError(
          401,
          'unauthorized',
          'Missing or wrong access token: open the address the web host printed.',
        )
      }
      if (url.pathname === '/api/call' && req.method === 'POST') return handleCall(req, res)
      if (url.pathname === '/api/events' && req.method === 'GET') return handleEvents(req, res)
      if (url.pathname === '/api/upload' && req.method === 'POST')
        return handleUpload(req, res, url)
      if (url.pathname.startsWith(DOWNLOAD_PREFIX) && req.method === 'GET')
        return handleDownload(url.pathname.slice(DOWNLOAD_PREFIX.length), res)
      throw new HttpError(404, 'not-found', `No API route ${req.method} ${url.pathname}.`)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpError(405, 'invalid-input', 'Only GET is served here.')
    if (url.pathname === BRIDGE_PATH)
      return sendText(res, 200, bridgeScript, CONTENT_TYPES['.js'] as string)
    return serveStatic(url.pathname, res)
  }

  async function handleCall(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = await readJsonBody(req, maxCallBytes)
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      typeof (parsed as { method?: unknown }).method !== 'string'
    ) {
      throw new HttpError(
        400,
        'invalid-input',
        'The request body must be {"method": "...", "input": {...}}.',
      )
    }
    const { method, input } = parsed as { method: string; input?: unknown }
    sendJson(res, 200, await options.engine.call(method, input))
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    })
    res.write(': connected\n\n')
    eventStreams.add(res)
    req.on('close', () => eventStreams.delete(res))
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? Number.NaN)
    if (declared > maxUploadBytes) {
      req.resume()
      throw new HttpError(413, 'upload-too-large', uploadTooLarge(maxUploadBytes))
    }
    const name = safeFileName(url.searchParams.get('name') ?? 'upload.csv')
    await mkdir(options.uploadDir, { recursive: true })
    const path = join(options.uploadDir, `${randomUUID()}-${name}`)
    let received = 0
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length
        if (received > maxUploadBytes)
          callback(new HttpError(413, 'upload-too-large', uploadTooLarge(maxUploadBytes)))
        else callback(null, chunk)
      },
    })
    try {
      await pipeline(req, limit, createWriteStream(path, { flags: 'wx' }))
    } catch (error) {
      // A refused or broken upload leaves no partial file behind.
      await rm(path, { force: true })
      req.resume()
      throw error instanceof HttpError
        ? error
        : new HttpError(400, 'file-not-readable', `The upload was interrupted: ${String(error)}`)
    }
    // The page gets a handle for this upload only: the engine resolves no other path for it.
    let ref: FileRef
    try {
      ref = await options.engine.grantFile(path, { name, upload: true })
    } catch (error) {
      await rm(path, { force: true })
      throw error
    }
    sendJson(res, 200, { ok: true, value: ref })
  }

  /**
   * A file the engine saved for the browser, by the one-time id its `saveFile` returned: served
   * once, then gone. The page names only the id, never a path.
   */
  function handleDownload(id: string, res: ServerResponse): void {
    const download = options.engine.takeDownload(id)
    if (!download)
      throw new HttpError(
        404,
        'not-found',
        'This download is not available: it was already fetched, has expired, or never existed. Save the file again.',
      )
    res.writeHead(200, {
      'content-type': download.mime,
      'content-length': download.bytes.byteLength,
      'content-disposition': contentDisposition(download.name),
      'cache-control': 'no-store',
      // Whatever the file holds (an HTML report), it is never run as a page of this origin.
      'content-security-policy': "sandbox; default-src 'none'",
    })
    res.end(download.bytes)
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : decodePath(pathname).replace(/^\/+/, '')
    const file = resolve(rendererDir, normalize(relative))
    if (file !== rendererDir && !file.startsWith(rendererDir + sep))
      throw new HttpError(404, 'not-found', 'Not found.')
    const info = await stat(file).catch(() => null)
    if (!info?.isFile()) throw new HttpError(404, 'not-found', `Not found: ${pathname}`)
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'
    if (extname(file) === '.html') {
      res.setHeader('Content-Security-Policy', CSP_HEADER)
      const html = (await readFile(file, 'utf8')).replace(
        '<head>',
        `<head>\n    <script src="${BRIDGE_PATH}"></script>`,
      )
      return sendText(res, 200, html, type)
    }
    res.writeHead(200, {
      'content-type': type,
      'content-length': info.size,
      'cache-control': 'no-cache',
    })
    res.end(await readFile(file))
  }

  port = await listen(server, options.port ?? 0)

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe()
      for (const res of eventStreams) res.end()
      eventStreams.clear()
      await closeServer(server)
    },
  }
}

function uploadTooLarge(limit: number): string {
  return `The file is larger than the upload limit of ${(limit / 1024 ** 2).toFixed(0)} MB.`
}

/** A file name that cannot climb out of the upload folder or hide as a dotfile. */
function safeFileName(name: string): string {
  const cleaned = basename(name)
    .replace(/[^\w.\- ]+/g, '_')
    .replace(/^\.+/, '')
  return cleaned.slice(0, 120) || 'upload'
}

/** An attachment with its name, ASCII for old clients and UTF-8 (RFC 6266) for the rest. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** `GET /%` is a malformed address (400), not a failure of the host (it was a 500 URIError). */
function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname)
  } catch {
    throw new HttpError(400, 'invalid-input', `The address ${pathname.slice(0, 200)} is not valid.`)
  }
}
