/**
 * The elements a SMARTS pattern cannot match without: for each atom of the pattern's top level
 * (not inside a recursive `$(...)`) that can only be one element, that element. A molecule lacking
 * one of them cannot match, so the substructure search is skipped: most of the ~200 patterns the
 * descriptor set matches name nitrogen, sulfur, phosphorus or a halogen, and most molecules lack
 * some of those. Anything this reader does not recognise adds no requirement, so it can only skip
 * less, never skip a pattern that could match.
 */

const SYMBOLS: Record<string, number> = {
  B: 5,
  C: 6,
  N: 7,
  O: 8,
  F: 9,
  Si: 14,
  P: 15,
  S: 16,
  Cl: 17,
  Se: 34,
  Br: 35,
  I: 53,
  b: 5,
  c: 6,
  n: 7,
  o: 8,
  p: 15,
  s: 16,
  se: 34,
}

/** The element a conjunction of primitives starts with (`C`, `nH0`, `#7X3`, `Cl`), or null. */
function leadingElement(text: string): number | null {
  const t = text.replace(/^[0-9]+/, '') // an isotope
  const hash = /^#([0-9]+)/.exec(t)
  if (hash) return Number(hash[1])
  const two = SYMBOLS[t.slice(0, 2)]
  if (/^[A-Za-z][a-z]/.test(t)) {
    // `Cl`, `Br`, `Si`, `Se`, `se`; any other letter pair may be an element this table lacks
    // (`Co`, `Na`, aromatic `as`), so it names nothing
    return two ?? null
  }
  return SYMBOLS[t.slice(0, 1)] ?? null
}

/** Splits at a separator outside parentheses (recursive SMARTS keeps its own commas). */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '(') depth++
    else if (ch === ')') depth--
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts
}

/** The element a bracket atom's expression requires, or null. */
function bracketElement(content: string): number | null {
  // `;` is the weakest AND: every part must hold, so any part that names one element decides
  for (const part of splitTop(content, ';')) {
    const alternatives = splitTop(part, ',')
    const elements = alternatives.map((alt) => (alt.startsWith('!') ? null : leadingElement(alt)))
    const first = elements[0]
    if (first != null && elements.every((z) => z === first)) return first
  }
  return null
}

export function requiredElements(smarts: string): number[] {
  const out = new Set<number>()
  for (let i = 0; i < smarts.length; i++) {
    const ch = smarts[i] as string
    if (ch === '[') {
      let depth = 1
      let j = i + 1
      for (; j < smarts.length && depth > 0; j++) {
        if (smarts[j] === '[') depth++
        else if (smarts[j] === ']') depth--
      }
      const z = bracketElement(smarts.slice(i + 1, j - 1))
      if (z !== null) out.add(z)
      i = j - 1
    } else if (/[A-Za-z]/.test(ch)) {
      const two = smarts.slice(i, i + 2)
      if (two === 'Cl' || two === 'Br') {
        out.add(SYMBOLS[two] as number)
        i++
      } else if ('BCNOSPFIbcnosp'.includes(ch)) out.add(SYMBOLS[ch] as number)
    }
  }
  return [...out]
}
