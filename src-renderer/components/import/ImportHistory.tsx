import { useEffect, useRef } from 'react'
import type { ImportRecord } from '../../../src-main/contract'
import { useImports } from '../../store/import-store'
import { fmtDate, fmtInt } from '../format'
import { FORMAT_LABELS } from './labels'
import { downloadRejections } from './rejections'

export function ImportHistory({ history }: { history: ImportRecord[] }) {
  // a link from the activity timeline marks its import and brings it into view
  const focused = useImports((s) => s.focusedImport)
  const focusedRow = useRef<HTMLTableRowElement>(null)
  const present = history.some((h) => h.id === focused)
  useEffect(() => {
    if (present) focusedRow.current?.scrollIntoView({ block: 'center' })
  }, [present, focused])
  if (history.length === 0) return null
  return (
    <section className="card wide" aria-labelledby="history">
      <h2 id="history">Import history</h2>
      <div className="table-scroll">
        <table className="table" data-testid="import-history">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">File</th>
              <th scope="col">Format</th>
              <th scope="col">Imported</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col" className="num">
                Accepted
              </th>
              <th scope="col" className="num">
                Rejected
              </th>
              <th scope="col" className="num">
                Already present
              </th>
              <th scope="col" className="num">
                New compounds
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr
                key={h.id}
                ref={h.id === focused ? focusedRow : undefined}
                className={h.id === focused ? 'focused-row' : undefined}
                aria-current={h.id === focused ? 'true' : undefined}
                data-testid={`import-row-${h.id}`}
              >
                <td className="num">{h.id}</td>
                <td>
                  {h.fileName}
                  {h.isSynthetic && <span className="tag">synthetic</span>}
                </td>
                {/* dates and formats on one line: wrapped, "2 Dec 2026 20:12" read as two dates */}
                <td className="nowrap">{FORMAT_LABELS[h.format] ?? h.format}</td>
                <td className="nowrap">{fmtDate(h.finishedAt)}</td>
                <td className="num">{fmtInt(h.rowsTotal)}</td>
                <td className="num">{fmtInt(h.rowsAccepted)}</td>
                <td className="num">{fmtInt(h.rowsRejected)}</td>
                <td
                  className="num"
                  title="Rows an earlier import had already stored: not added again"
                >
                  {fmtInt(h.alreadyPresent)}
                </td>
                <td className="num">{fmtInt(h.compoundsNew)}</td>
                <td>
                  {h.rowsRejected > 0 && (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => void downloadRejections(h.id, h.fileName)}
                    >
                      Rejected rows
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
