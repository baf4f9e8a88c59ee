import { randomBytes } from 'node:crypto'
import { safeSaveName } from './capabilities'

/** A file waiting for the browser to fetch it. */
export interface PendingDownload {
  name: string
  mime: string
  bytes: Uint8Array
}

/** How a download id looks: 128 random bits in hex, nothing a path or a guess can be. */
export const DOWNLOAD_ID = /^[0-9a-f]{32}$/

/**
 * Files the web host hands to the browser: the engine keeps the bytes under a one-time id, the
 * page asks for that id once, and it is gone. The page never names a path, so a download cannot
 * be turned into a read of another file; an id is 128 random bits, so it cannot be guessed.
 * Downloads nobody fetched are dropped after `ttlMs`, and the store never holds more than
 * `maxBytes` (oldest dropped first), so a long-running web host does not fill its memory.
 */
export class DownloadStore {
  private readonly pending = new Map<string, PendingDownload & { expires: number }>()
  private held = 0

  constructor(
    private readonly ttlMs = 15 * 60_000,
    private readonly maxBytes = 1024 ** 3,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps the bytes and returns the id that fetches them once. */
  put(download: PendingDownload): string {
    this.expire()
    const id = randomBytes(16).toString('hex')
    this.pending.set(id, {
      name: safeSaveName(download.name),
      mime: download.mime,
      bytes: download.bytes,
      expires: this.now() + this.ttlMs,
    })
    this.held += download.bytes.byteLength
    while (this.held > this.maxBytes && this.pending.size > 1) {
      const oldest = this.pending.keys().next().value as string
      this.drop(oldest)
    }
    return id
  }

  /** The download for `id`, removed as it is taken; null for an unknown, used or expired id. */
  take(id: string): PendingDownload | null {
    this.expire()
    if (!DOWNLOAD_ID.test(id)) return null
    const found = this.pending.get(id)
    if (!found) return null
    this.drop(id)
    return { name: found.name, mime: found.mime, bytes: found.bytes }
  }

  get size(): number {
    return this.pending.size
  }

  clear(): void {
    this.pending.clear()
    this.held = 0
  }

  private expire(): void {
    const now = this.now()
    for (const [id, d] of this.pending) if (d.expires <= now) this.drop(id)
  }

  private drop(id: string): void {
    const d = this.pending.get(id)
    if (!d) return
    this.pending.delete(id)
    this.held -= d.bytes.byteLength
  }
}
