/**
 * A streaming parser for delimited text (RFC 4180 and the looser files people really have):
 * quoted fields with embedded delimiters, doubled quotes and newlines; CRLF or LF; text after a
 * closing quote kept as it is. Records longer than `maxRecordChars` are not buffered: they come
 * out as `tooLong` with the start of their text, so one broken line cannot exhaust memory.
 */
export interface CsvRecord {
  fields: string[]
  /** physical line (1-based) where the record starts */
  line: number
  /** the record's text as in the file, without its line ending */
  raw: string
  tooLong?: boolean
  /** the file ended inside a quoted field */
  unterminated?: boolean
}

const QUOTE = 34
const LF = 10
const CR = 13

export const DEFAULT_MAX_RECORD_CHARS = 1024 * 1024
const RAW_PREFIX_CHARS = 2000

export class CsvParser {
  private readonly delimiter: number
  private readonly maxRecordChars: number
  /** 1 where a column's text is needed; other columns are found but not copied out (they come back as ''). */
  private readonly keep: Uint8Array | null
  private buffer = ''
  private line = 1
  /** fields in the last complete record */
  private width = 0
  /** skipping an over-long record: the quote state and where it started */
  private skipping: { inQuotes: boolean; line: number; prefix: string } | null = null

  constructor(
    delimiter: string,
    maxRecordChars = DEFAULT_MAX_RECORD_CHARS,
    keepColumns?: readonly number[],
  ) {
    if (delimiter.length !== 1) throw new Error('The delimiter must be one character')
    this.delimiter = delimiter.charCodeAt(0)
    this.maxRecordChars = maxRecordChars
    if (keepColumns) {
      this.keep = new Uint8Array(Math.max(0, ...keepColumns) + 1)
      for (const c of keepColumns) this.keep[c] = 1
    } else this.keep = null
  }

  /** Parses what is complete in `chunk` (plus what was left over) and keeps the rest. */
  push(chunk: string, out: CsvRecord[] = []): CsvRecord[] {
    let text = this.buffer + chunk
    this.buffer = ''
    if (this.skipping) {
      const end = this.skipTo(text, 0)
      if (end < 0) return out
      out.push(this.finishSkip())
      text = text.slice(end)
    }
    this.parse(text, false, out)
    return out
  }

  /** Parses whatever is left at the end of the input. */
  end(out: CsvRecord[] = []): CsvRecord[] {
    if (this.skipping) {
      out.push({ ...this.finishSkip(), unterminated: this.skipping?.inQuotes })
      this.buffer = ''
      return out
    }
    const text = this.buffer
    this.buffer = ''
    if (text.length > 0) this.parse(text, true, out)
    return out
  }

  private finishSkip(): CsvRecord {
    const s = this.skipping as NonNullable<typeof this.skipping>
    this.skipping = null
    return { fields: [], line: s.line, raw: s.prefix, tooLong: true }
  }

  /**
   * Continues over an over-long record from `from`; returns the index just past its line ending,
   * or -1 when the text ran out first (the state is kept for the next chunk).
   */
  private skipTo(text: string, from: number): number {
    const s = this.skipping as NonNullable<typeof this.skipping>
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === QUOTE) s.inQuotes = !s.inQuotes
      else if (c === LF) {
        this.line++
        if (!s.inQuotes) return i + 1
      }
    }
    return -1
  }

  private parse(text: string, final: boolean, out: CsvRecord[]): void {
    const n = text.length
    const delim = this.delimiter
    const keep = this.keep
    let pos = 0
    // the next newline at or after the scan position, found once and reused across fields
    let nextNewline = text.indexOf('\n')
    while (pos < n) {
      const start = pos
      const startLine = this.line
      let newlines = 0
      // sized like the previous record: growing an empty array to ~50 fields reallocated it
      // several times per row
      const fields: string[] = new Array<string>(this.width)
      let nf = 0
      let i = pos
      let complete = false
      let unterminated = false
      for (;;) {
        // one field; columns nobody reads are skipped over without copying their text
        // (a read past the end of a typed array is many times slower than the bounds test)
        const want = keep === null || (nf < keep.length && keep[nf] === 1)
        let value: string
        if (i < n && text.charCodeAt(i) === QUOTE) {
          let j = i + 1
          value = ''
          for (;;) {
            const k = text.indexOf('"', j)
            if (k < 0) {
              // no closing quote yet
              value += text.slice(j)
              i = n
              unterminated = true
              break
            }
            // newlines inside the quotes still advance the line count
            if (nextNewline >= 0 && nextNewline < j) nextNewline = text.indexOf('\n', j)
            while (nextNewline >= 0 && nextNewline < k) {
              newlines++
              nextNewline = text.indexOf('\n', nextNewline + 1)
            }
            if (k + 1 < n && text.charCodeAt(k + 1) === QUOTE) {
              if (want) value += text.slice(j, k + 1)
              j = k + 2
              continue
            }
            if (k + 1 >= n && !final) {
              // cannot tell yet whether this quote is doubled
              i = n
              unterminated = true
              break
            }
            if (want) value = value === '' ? text.slice(j, k) : value + text.slice(j, k)
            i = k + 1
            break
          }
          if (unterminated) {
            if (final) fields[nf++] = value
            break
          }
          // anything between the closing quote and the delimiter is kept as written
          let e = i
          while (e < n) {
            const c = text.charCodeAt(e)
            if (c === delim || c === LF || c === CR) break
            e++
          }
          if (e > i && want) value += text.slice(i, e)
          i = e
        } else {
          let e = i
          while (e < n) {
            const c = text.charCodeAt(e)
            if (c === delim || c === LF || c === CR) break
            e++
          }
          value = want ? text.slice(i, e) : ''
          i = e
        }
        fields[nf++] = value
        if (i >= n) break
        const c = text.charCodeAt(i)
        if (c === delim) {
          i++
          if (i >= n && !final) break
          if (i >= n) {
            fields[nf++] = ''
            break
          }
          continue
        }
        // line ending
        const rawEnd = i
        if (c === CR) {
          if (i + 1 >= n && !final) break
          i += i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1
        } else i += 1
        newlines++
        if (nf !== fields.length) fields.length = nf
        this.width = nf
        out.push({ fields, line: startLine, raw: text.slice(start, rawEnd) })
        this.line = startLine + newlines
        complete = true
        break
      }
      if (complete) {
        pos = i
        continue
      }
      // The record is not complete in this text.
      if (final) {
        if (nf !== fields.length) fields.length = nf
        const record: CsvRecord = { fields, line: startLine, raw: text.slice(start) }
        if (unterminated) record.unterminated = true
        if (record.raw.length > 0) out.push(record)
        this.line = startLine + newlines
        return
      }
      const rest = text.slice(start)
      if (rest.length > this.maxRecordChars) {
        this.skipping = {
          inQuotes: false,
          line: startLine,
          prefix: rest.slice(0, RAW_PREFIX_CHARS),
        }
        this.line = startLine
        if (this.skipTo(rest, 0) >= 0) {
          // cannot happen: the record would have been complete
          out.push(this.finishSkip())
        }
        return
      }
      this.buffer = rest
      return
    }
  }
}

/** Picks the delimiter that splits the header line into the most fields (outside quotes). */
export function sniffDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 }
  let inQuotes = false
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++
  }
  const best = (Object.entries(counts) as [',' | ';' | '\t', number][]).sort(
    (a, b) => b[1] - a[1],
  )[0]
  return best && best[1] > 0 ? best[0] : ','
}
