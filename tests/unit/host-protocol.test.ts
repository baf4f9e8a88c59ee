import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CallResult } from '../../src-main/contract'
import { type HostRequest, hostRequest } from '../../src-main/engine/host/capabilities'
import { remoteCapabilities } from '../../src-main/engine/host/remote-capabilities'
import { REPORT_CSP, withReportCsp } from '../../src-main/engine/host/report-csp'
import { SORT_SCRIPT } from '../../src-main/engine/reports/sort-script'

const TIMEOUTS = { printToPdf: 50, saveFile: 50, notify: 50, openFile: 50 }

const failure = (e: unknown) => e as { code?: string; message?: string }

describe("the engine's side of the host protocol", () => {
  it('sends each request with its own id and settles it with the answer of that id', async () => {
    const sent: { id: number; request: HostRequest }[] = []
    const remote = remoteCapabilities((id, request) => sent.push({ id, request }), TIMEOUTS)
    const pdf = remote.capabilities.printToPdf('<p>x</p>', { pageSize: 'A4' })
    const note = remote.capabilities.notify({ title: 'Done', body: 'v3 trained' })
    expect(sent.map((s) => s.request.capability)).toEqual(['printToPdf', 'notify'])
    const [first, second] = sent
    expect(first?.id).not.toBe(second?.id)
    // every request the engine sends passes main's schema
    for (const s of sent) expect(hostRequest.safeParse(s.request).success).toBe(true)
    // answered out of order: each goes to its own request
    remote.receive(second?.id as number, { ok: true, value: { shown: true } })
    remote.receive(first?.id as number, { ok: true, value: new Uint8Array([37, 80, 68, 70]) })
    expect(await note).toEqual({ shown: true })
    expect(Array.from(await pdf)).toEqual([37, 80, 68, 70])
    // an answer nobody waits for is dropped
    remote.receive(999, { ok: true, value: null })
  })

  it("passes the host's error on with its code", async () => {
    let id = 0
    const remote = remoteCapabilities((i) => (id = i), TIMEOUTS)
    const saving = remote.capabilities.saveFile({
      suggestedName: 'r.pdf',
      bytes: new Uint8Array(1),
      mime: 'application/pdf',
    })
    remote.receive(id, { ok: false, error: { code: 'pdf-unavailable', message: 'no printer' } })
    const error = await saving.then(() => null, failure)
    expect(error?.code).toBe('pdf-unavailable')
    expect(error?.message).toBe('no printer')
  })

  it('refuses an answer of the wrong shape', async () => {
    let id = 0
    const remote = remoteCapabilities((i) => (id = i), TIMEOUTS)
    const pdf = remote.capabilities.printToPdf('<p>x</p>', { pageSize: 'Letter' })
    remote.receive(id, { ok: true, value: 'not bytes' } as CallResult<unknown>)
    expect((await pdf.then(() => null, failure))?.code).toBe('internal')
    const open = remote.capabilities.openFile('/tmp/r.pdf')
    remote.receive(id, { ok: true, value: { opened: 'yes' } })
    expect((await open.then(() => null, failure))?.code).toBe('internal')
  })

  it('gives up with host-unavailable when no answer comes in time', async () => {
    const remote = remoteCapabilities(() => undefined, TIMEOUTS)
    const error = await remote.capabilities.openFile('/tmp/r.pdf').then(() => null, failure)
    expect(error?.code).toBe('host-unavailable')
    expect(error?.message).toContain('open a file')
  })

  it('fails what is pending when the engine closes, and sends nothing after', async () => {
    const sent: number[] = []
    const remote = remoteCapabilities((id) => sent.push(id), { ...TIMEOUTS, saveFile: 60_000 })
    const saving = remote.capabilities.saveFile({
      suggestedName: 'r.pdf',
      bytes: new Uint8Array(1),
      mime: 'application/pdf',
    })
    await remote.capabilities.close()
    expect((await saving.then(() => null, failure))?.code).toBe('host-unavailable')
    const after = await remote.capabilities
      .notify({ title: 't', body: 'b' })
      .then(() => null, failure)
    expect(after?.code).toBe('host-unavailable')
    expect(sent).toHaveLength(1)
  })
})

describe("main's check of a host request", () => {
  it('refuses unknown capabilities, extra fields and wrong types', () => {
    for (const bad of [
      { capability: 'runShell', command: 'rm -rf /' },
      { capability: 'openFile', path: '' },
      { capability: 'openFile', path: '/tmp/x', extra: 1 },
      { capability: 'printToPdf', html: '<p>', options: { pageSize: 'A3' } },
      { capability: 'saveFile', file: { suggestedName: 'x', bytes: [1, 2], mime: 'text/plain' } },
      { capability: 'saveFile', file: { suggestedName: 'x', bytes: new Uint8Array(1), mime: 'x' } },
      { capability: 'notify', note: { title: '', body: 'b' } },
      null,
      'printToPdf',
    ])
      expect(hostRequest.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
  })
})

describe('the policy a printed file carries', () => {
  it('comes first in the document, after the doctype', () => {
    const meta = `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`
    expect(withReportCsp('<!DOCTYPE html><html><head><img src=x>')).toBe(
      `<!DOCTYPE html>${meta}<html><head><img src=x>`,
    )
    expect(withReportCsp('<p>no doctype</p>')).toBe(`${meta}<p>no doctype</p>`)
    expect(REPORT_CSP).toContain("default-src 'none'")
    expect(REPORT_CSP).not.toMatch(
      /https?:|file:|unsafe-inline'[^;]*;?\s*$|'unsafe-eval'|'unsafe-hashes'/,
    )
    // scripts: exactly one source, the hash of the results table's sort script
    const scriptSrc = REPORT_CSP.split(';')
      .map((d) => d.trim())
      .filter((d) => d.startsWith('script-src'))
    expect(scriptSrc).toEqual([
      `script-src 'sha256-${createHash('sha256').update(SORT_SCRIPT).digest('base64')}'`,
    ])
  })
})
