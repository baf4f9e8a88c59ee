import { call } from '../../api/client'
import { downloadFile, toCsv } from '../csv'

/** Saves an import's rejected rows (line, reason, detail, raw line) as CSV. */
export async function downloadRejections(importId: number, fileName: string) {
  const rows: unknown[][] = []
  for (let offset = 0; ; offset += 50_000) {
    const page = await call('imports.rejections', { importId, offset, limit: 50_000 })
    rows.push(...page.rows.map((r) => [r.line, r.reason, r.detail, r.rawLine]))
    if (offset + page.rows.length >= page.total || page.rows.length === 0) break
  }
  downloadFile(
    `${fileName.replace(/\.[^.]+$/, '')}-rejected-rows.csv`,
    toCsv(['line', 'reason', 'detail', 'raw_line'], rows),
  )
}
