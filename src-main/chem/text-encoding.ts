/** How a file's bytes become text. */
export interface DetectedEncoding {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be'
  /** bytes of byte-order mark to skip */
  bomBytes: number
}

/**
 * Detects the encoding from the first bytes: a UTF-8 or UTF-16 byte-order mark, or UTF-16 without
 * one (every other byte zero in ASCII text). Returns null for binary data: NUL bytes that are not
 * UTF-16's pattern mean the file is not text at all.
 */
export function detectEncoding(head: Uint8Array): DetectedEncoding | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf-8', bomBytes: 3 }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2 }
  const n = Math.min(head.length, 4096)
  let zeroEven = 0
  let zeroOdd = 0
  for (let i = 0; i < n; i++) {
    if (head[i] === 0) {
      if (i % 2 === 0) zeroEven++
      else zeroOdd++
    }
  }
  const pairs = n / 2
  if (pairs > 8 && zeroOdd > pairs * 0.8 && zeroEven < pairs * 0.05)
    return { encoding: 'utf-16le', bomBytes: 0 }
  if (pairs > 8 && zeroEven > pairs * 0.8 && zeroOdd < pairs * 0.05)
    return { encoding: 'utf-16be', bomBytes: 0 }
  if (zeroEven + zeroOdd > 0) return null
  // Control characters other than tab, CR, LF, form feed are a sign of binary data.
  let control = 0
  for (let i = 0; i < n; i++) {
    const b = head[i] as number
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++
  }
  if (n > 0 && control > n * 0.01) return null
  return { encoding: 'utf-8', bomBytes: 0 }
}
