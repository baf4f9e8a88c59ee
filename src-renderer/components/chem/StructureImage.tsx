import { type ReactNode, useEffect, useRef, useState } from 'react'
import type { Depiction } from '../../../src-main/contract'
import { call } from '../../api/client'

interface Props {
  /** a stored compound (its SMILES is looked up by the engine) */
  compoundId?: number
  /** or a structure as SMILES, for compounds not stored (a typed SMILES, a file's row) */
  smiles?: string | null
  /** width in CSS pixels; the height follows the drawing's 300 × 220 shape */
  size?: number
  /** the image's accessible name, e.g. the compound's ChEMBL ID */
  title?: string
}

/**
 * Drawings already asked for, by compound or SMILES, most recently used last. A virtual table
 * mounts a row's image again each time it scrolls back into view; the engine keeps drawings too,
 * but a call per scroll would still cross the bridge for every row.
 */
const KEEP = 500
const drawings = new Map<string, Promise<Depiction>>()

function drawing(key: string, input: { compoundId: number } | { smiles: string }) {
  const hit = drawings.get(key)
  if (hit) {
    drawings.delete(key)
    drawings.set(key, hit)
    return hit
  }
  const promise = call('compounds.depict', input)
  drawings.set(key, promise)
  // a failed call (engine busy restarting) is not remembered: the next mount asks again
  promise.catch(() => drawings.delete(key))
  while (drawings.size > KEEP) drawings.delete(drawings.keys().next().value as string)
  return promise
}

/** The SVG as an image: an <img> never runs scripts in what it shows, unlike markup in the page. */
function dataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

/**
 * A compound's 2D structure drawn by RDKit, asked for only once the image is on screen (rows of a
 * long table far below are never drawn), with a placeholder while it loads and a plain "no
 * structure" when there is none.
 */
export function StructureImage({ compoundId, smiles, size = 120, title }: Props) {
  const box = useRef<HTMLDivElement>(null)
  const [visible, setVisible] = useState(false)
  const key =
    compoundId !== undefined ? `c:${compoundId}` : smiles && smiles.trim() ? `s:${smiles}` : null
  const [result, setResult] = useState<{ key: string; depiction: Depiction } | null>(null)

  useEffect(() => {
    const element = box.current
    if (!element || visible) return
    if (typeof IntersectionObserver === 'undefined') {
      setVisible(true)
      return
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setVisible(true)
          observer.disconnect()
        }
      },
      { rootMargin: '100px' },
    )
    observer.observe(element)
    return () => observer.disconnect()
  }, [visible])

  useEffect(() => {
    if (!visible || key === null) return
    let stale = false
    const input = compoundId !== undefined ? { compoundId } : { smiles: (smiles as string).trim() }
    drawing(key, input).then(
      (depiction) => !stale && setResult({ key, depiction }),
      (error: Error) =>
        !stale && setResult({ key, depiction: { svg: null, error: error.message } }),
    )
    return () => {
      stale = true
    }
  }, [visible, key, compoundId, smiles])

  const height = Math.round((size * 220) / 300)
  const current = result && result.key === key ? result.depiction : null
  const label = title ? `Structure of ${title}` : 'Structure'
  let body: ReactNode
  if (key === null) body = <span className="structure-none">no structure</span>
  else if (!current)
    body = <span className="structure-loading" role="img" aria-label={`${label} (loading)`} />
  else if (current.svg === null)
    body = (
      <span className="structure-none" title={current.error}>
        no structure
      </span>
    )
  else body = <img src={dataUrl(current.svg)} alt={label} width={size} height={height} />
  return (
    <div
      ref={box}
      className="structure"
      style={{ width: size, height }}
      data-testid="structure"
      data-state={key === null || current?.svg === null ? 'none' : current ? 'drawn' : 'loading'}
    >
      {body}
    </div>
  )
}
