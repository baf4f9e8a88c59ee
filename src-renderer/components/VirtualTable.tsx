import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react'

export interface Column<Row> {
  key: string
  label: string
  width: number
  align?: 'left' | 'right'
  /** an extra class for this column's cells */
  className?: string
  render(row: Row): ReactNode
  title?(row: Row): string | undefined
}

interface Props<Row> {
  columns: Column<Row>[]
  total: number
  /** Fetches rows [offset, offset + limit); called once per page. */
  fetchPage(offset: number, limit: number): Promise<Row[]>
  /** Changing it drops every cached page (new filters). */
  queryKey: string
  height?: number
  label: string
  /** taller rows for tables that show structures */
  rowHeight?: number
  /** makes rows open something (a compound's page) on click or Enter; names what they open */
  onOpen?: { open(row: Row): void; label(row: Row): string; can?(row: Row): boolean }
}

const ROW_HEIGHT = 28
const PAGE = 200
const OVERSCAN = 10

/**
 * A table that renders only the rows in view and fetches pages as they scroll into it, so a
 * million rows scroll as smoothly as a hundred.
 */
export function VirtualTable<Row>({
  columns,
  total,
  fetchPage,
  queryKey,
  height = 420,
  label,
  rowHeight = ROW_HEIGHT,
  onOpen,
}: Props<Row>) {
  const [scrollTop, setScrollTop] = useState(0)
  // Pages are kept with the query they answer. A new query (another filter, or the other tab of
  // the Data screen, whose rows have other fields) renders before the reset effect runs: rows
  // fetched for the old query must not reach the new columns in that render ("Cannot read
  // properties of undefined (reading 'mw_freebase')" blanked the whole app).
  const [cache, setCache] = useState<{ key: string; pages: Map<number, Row[]> }>(() => ({
    key: queryKey,
    pages: new Map(),
  }))
  const pages = cache.key === queryKey ? cache.pages : null
  const loading = useRef(new Set<number>())
  const generation = useRef(0)
  const body = useRef<HTMLDivElement>(null)

  useEffect(() => {
    generation.current++
    loading.current.clear()
    setScrollTop(0)
    if (body.current) body.current.scrollTop = 0
  }, [queryKey])

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN)
  const last = Math.min(total, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN)

  const ensure = useCallback(
    (page: number) => {
      if (loading.current.has(page)) return
      loading.current.add(page)
      const gen = generation.current
      const key = queryKey
      void fetchPage(page * PAGE, PAGE).then(
        (rows) => {
          if (gen !== generation.current) return
          setCache((old) => ({
            key,
            pages: new Map(old.key === key ? old.pages : []).set(page, rows),
          }))
        },
        () => loading.current.delete(page),
      )
    },
    [fetchPage, queryKey],
  )

  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) {
      if (!pages?.has(p)) ensure(p)
    }
  }, [first, last, pages, ensure])

  const widths = columns.map((c) => `${c.width}px`).join(' ')
  const rows: ReactNode[] = []
  for (let i = first; i < last; i++) {
    const row = pages?.get(Math.floor(i / PAGE))?.[i % PAGE]
    const opener =
      row !== undefined && onOpen && (onOpen.can?.(row) ?? true) ? { row, ...onOpen } : null
    rows.push(
      <div
        key={i}
        role="row"
        aria-rowindex={i + 2}
        className={opener ? 'vt-row openable' : 'vt-row'}
        style={{ top: i * rowHeight, height: rowHeight, gridTemplateColumns: widths }}
        {...(opener
          ? {
              tabIndex: 0,
              'aria-label': opener.label(opener.row),
              onClick: () => opener.open(opener.row),
              onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault()
                  opener.open(opener.row)
                }
              },
            }
          : {})}
      >
        {columns.map((c) => (
          <div
            key={c.key}
            role="cell"
            className={[
              'vt-cell',
              ...(c.align === 'right' ? ['num'] : []),
              ...(c.className ? [c.className] : []),
            ].join(' ')}
            title={row ? c.title?.(row) : undefined}
          >
            {row ? c.render(row) : <span className="vt-placeholder" />}
          </div>
        ))}
      </div>,
    )
  }

  const minWidth = columns.reduce((a, c) => a + c.width, 0)
  return (
    <div className="vt" role="table" aria-label={label} aria-rowcount={total + 1}>
      <div
        ref={body}
        className="vt-body"
        style={{ height }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        tabIndex={0}
      >
        <div
          className="vt-head"
          role="row"
          aria-rowindex={1}
          style={{ gridTemplateColumns: widths, minWidth }}
        >
          {columns.map((c) => (
            <div
              key={c.key}
              role="columnheader"
              className={c.align === 'right' ? 'vt-cell num' : 'vt-cell'}
            >
              {c.label}
            </div>
          ))}
        </div>
        <div className="vt-spacer" style={{ height: total * rowHeight, minWidth }}>
          {rows}
        </div>
      </div>
    </div>
  )
}
