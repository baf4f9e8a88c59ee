import type { Locator } from '@playwright/test'

/** How many lines each matched element's text takes on screen (1 = it does not wrap). */
export function lineCounts(cells: Locator): Promise<number[]> {
  return cells.evaluateAll((els) =>
    els.map((el) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      const tops = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)))
      return tops.size
    }),
  )
}

/**
 * The selects whose chosen option's text is wider than the select can show (its width less the
 * padding and the arrow), measured with the select's own font.
 */
export function cutOffSelects(selects: Locator): Promise<string[]> {
  return selects.evaluateAll((els) => {
    const ctx = document.createElement('canvas').getContext('2d')
    if (!ctx) return ['no canvas']
    return (els as HTMLSelectElement[]).flatMap((s) => {
      const style = getComputedStyle(s)
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
      const text = s.selectedOptions[0]?.text ?? ''
      const room =
        s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16
      return ctx.measureText(text).width > room ? [`${s.getAttribute('aria-label')}: ${text}`] : []
    })
  })
}
