import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pdfPageCount } from '../../src-main/engine/host/pdf-pages'

// Page counts read from a PDF's bytes, checked against poppler's pdfinfo (a reader of its own)
// on files built here by hand, so the expected counts are known by construction, and on files
// poppler's own writer (pdfunite, pdfseparate) made from them.

const dir = mkdtempSync(join(tmpdir(), 'assay-pdf-pages-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * A valid PDF with `pages` blank pages, in a page tree nested `depth` levels deep (Chromium nests
 * its tree too), with a correct cross-reference table so no reader has to repair it. Each
 * intermediate node holds its share of the pages and says so in its own `/Count`.
 */
function handMadePdf(pages: number, perNode: number): Buffer {
  const objects: string[] = []
  const add = (body: string) => {
    objects.push(body)
    return objects.length
  }
  const catalog = add('') // filled in below
  const leaves: number[] = []
  const nodes: number[] = []
  for (let start = 0; start < pages; start += perNode) {
    const node = add('')
    nodes.push(node)
    // the parent is the root, whose number is known once every page exists: patched below
    const kids: number[] = []
    for (let k = start; k < Math.min(pages, start + perNode); k++) {
      const page = add(`<< /Type /Page /Parent ${node} 0 R /MediaBox [0 0 595 842] >>`)
      kids.push(page)
      leaves.push(page)
    }
    objects[node - 1] =
      `<< /Type /Pages /Parent ROOT 0 R /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`
  }
  // the root comes last, so the first `/Count` in the file is an intermediate node's
  const root = add(
    `<< /Type /Pages /Kids [${nodes.map((k) => `${k} 0 R`).join(' ')}] /Count ${leaves.length} >>`,
  )
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${root} 0 R >>`
  for (const n of nodes) objects[n - 1] = (objects[n - 1] as string).replace('ROOT', String(root))
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((body, k) => {
    offsets.push(out.length)
    out += `${k + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

function pdfinfoPages(file: string): number {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  return Number(/^Pages:\s+(\d+)/m.exec(out)?.[1])
}

describe('pdfPageCount', () => {
  it('counts the pages of a nested page tree as pdfinfo does', () => {
    for (const [pages, perNode] of [
      [1, 1],
      [7, 3],
      [40, 6],
    ] as const) {
      const file = join(dir, `hand-${pages}.pdf`)
      writeFileSync(file, handMadePdf(pages, perNode))
      expect(pdfinfoPages(file)).toBe(pages)
      expect(pdfPageCount(readFileSync(file))).toBe(pages)
    }
  })

  it('agrees with pdfinfo on files poppler wrote itself', () => {
    const a = join(dir, 'a.pdf')
    const b = join(dir, 'b.pdf')
    writeFileSync(a, handMadePdf(7, 3))
    writeFileSync(b, handMadePdf(40, 6))
    const joined = join(dir, 'joined.pdf')
    execFileSync('pdfunite', [a, b, joined])
    expect(pdfinfoPages(joined)).toBe(47)
    expect(pdfPageCount(readFileSync(joined))).toBe(47)
    execFileSync('pdfseparate', ['-f', '3', '-l', '3', joined, join(dir, 'one-%d.pdf')])
    expect(pdfPageCount(readFileSync(join(dir, 'one-3.pdf')))).toBe(
      pdfinfoPages(join(dir, 'one-3.pdf')),
    )
  })

  it('reads the newest trailer of an incrementally updated file', () => {
    // an update appended to a 3-page file that points the catalog at a 1-page tree
    const base = handMadePdf(3, 3).toString('latin1')
    const at = base.length
    const update = `9 0 obj\n<< /Type /Catalog /Pages 10 0 R >>\nendobj\n10 0 obj\n<< /Type /Pages /Kids [4 0 R] /Count 1 >>\nendobj\n`
    const xref = at + update.length
    const body =
      base +
      update +
      `xref\n9 2\n${String(at).padStart(10, '0')} 00000 n \n${String(at + update.indexOf('10 0 obj')).padStart(10, '0')} 00000 n \n` +
      `trailer\n<< /Size 11 /Root 9 0 R /Prev ${base.lastIndexOf('xref')} >>\nstartxref\n${xref}\n%%EOF\n`
    const file = join(dir, 'updated.pdf')
    writeFileSync(file, Buffer.from(body, 'latin1'))
    expect(pdfinfoPages(file)).toBe(1)
    expect(pdfPageCount(readFileSync(file))).toBe(1)
  })

  it('gives no count for bytes that are not a PDF', () => {
    expect(pdfPageCount(Buffer.from('<!doctype html><p>not a PDF</p>'))).toBeNull()
    expect(pdfPageCount(new Uint8Array(0))).toBeNull()
    expect(pdfPageCount(Buffer.from('%PDF-1.7\n% nothing else\n'))).toBeNull()
  })
})
