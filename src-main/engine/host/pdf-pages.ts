/**
 * The number of pages in a PDF, read from its bytes (for `ReportExport.pages` and the CLI's
 * line), without a PDF library.
 *
 * The page tree's root says it: the trailer names the catalog (`/Root n g R`), the catalog names
 * the root of the page tree (`/Pages n g R`), and that node's `/Count` is the number of leaf pages
 * below it. Chromium nests page-tree nodes once a document has more than a few pages, so counting
 * `/Count` anywhere, or taking the first, would be wrong; following the references is not. A file
 * whose trailer sits in a compressed cross-reference stream (PDF 1.5 object streams, which
 * Chromium does not write) falls back to counting `/Type /Page` dictionaries. Null when neither
 * finds anything: the caller reports no count rather than a wrong one.
 */
export function pdfPageCount(bytes: Uint8Array): number | null {
  // latin1 maps each byte to one character, so offsets and binary streams survive as they are
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  if (!text.startsWith('%PDF-')) return null
  const fromTree = countFromPageTree(text)
  if (fromTree !== null) return fromTree
  const leaves = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0
  return leaves > 0 ? leaves : null
}

function countFromPageTree(text: string): number | null {
  // the last trailer wins: an incrementally updated file appends a newer one
  const trailers = [...text.matchAll(/trailer\s*<<([\s\S]*?)>>/g)]
  const trailer = trailers.at(-1)?.[1]
  const root = trailer && /\/Root\s+(\d+)\s+(\d+)\s+R/.exec(trailer)
  if (!root) return null
  const catalog = objectBody(text, root[1] as string, root[2] as string)
  const pages = catalog && /\/Pages\s+(\d+)\s+(\d+)\s+R/.exec(catalog)
  if (!pages) return null
  const tree = objectBody(text, pages[1] as string, pages[2] as string)
  const count = tree && /\/Count\s+(\d+)/.exec(tree)
  return count ? Number(count[1]) : null
}

/** The text of object `n g` up to its `endobj` (the last definition, as a reader would use). */
function objectBody(text: string, n: string, g: string): string | null {
  const heads = [...text.matchAll(new RegExp(`(?:^|[\\r\\n\\s])${n}\\s+${g}\\s+obj\\b`, 'g'))]
  const head = heads.at(-1)
  if (!head || head.index === undefined) return null
  const start = head.index + head[0].length
  const end = text.indexOf('endobj', start)
  return text.slice(start, end < 0 ? undefined : end)
}
