import { describe, expect, it } from 'vitest'
import { DownloadStore } from '../../src-main/engine/host/downloads'

const bytes = (n: number) => new Uint8Array(n).fill(7)

describe('the download store', () => {
  it('gives each file a 128-bit id that fetches it once', () => {
    const store = new DownloadStore()
    const a = store.put({ name: 'a.pdf', mime: 'application/pdf', bytes: bytes(3) })
    const b = store.put({ name: 'a.pdf', mime: 'application/pdf', bytes: bytes(3) })
    expect(a).toMatch(/^[0-9a-f]{32}$/)
    expect(a).not.toBe(b)
    expect(store.take(a)?.bytes).toEqual(bytes(3))
    expect(store.take(a)).toBeNull()
    expect(store.size).toBe(1)
  })

  it('drops what nobody fetched in time', () => {
    let now = 0
    const store = new DownloadStore(1000, 1024, () => now)
    const id = store.put({ name: 'a.csv', mime: 'text/csv', bytes: bytes(1) })
    now = 999
    const kept = store.put({ name: 'b.csv', mime: 'text/csv', bytes: bytes(1) })
    now = 1000
    expect(store.take(id)).toBeNull()
    expect(store.take(kept)?.name).toBe('b.csv')
  })

  it('holds at most its byte limit, dropping the oldest first', () => {
    const store = new DownloadStore(60_000, 100)
    const first = store.put({ name: '1', mime: 'text/plain', bytes: bytes(60) })
    const second = store.put({ name: '2', mime: 'text/plain', bytes: bytes(60) })
    expect(store.size).toBe(1)
    expect(store.take(first)).toBeNull()
    expect(store.take(second)?.bytes.byteLength).toBe(60)
  })

  it('answers nothing for an id that is not one', () => {
    const store = new DownloadStore()
    store.put({ name: 'a', mime: 'text/plain', bytes: bytes(1) })
    for (const id of ['', '../workbench.sqlite', 'A'.repeat(32), '0'.repeat(31), '__proto__'])
      expect(store.take(id)).toBeNull()
    expect(store.size).toBe(1)
  })

  it('keeps names from naming folders', () => {
    const store = new DownloadStore()
    const id = store.put({ name: '../../.bashrc', mime: 'text/plain', bytes: bytes(1) })
    expect(store.take(id)?.name).toBe('bashrc')
  })
})
