import { describe, expect, it } from 'vitest'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type CsvRecord, CsvParser, sniffDelimiter } from '../../src-main/chem/csv-parser'
import { READ_CHUNK_BYTES, readHead, readRecords } from '../../src-main/engine/import/read-table'
import { tempDir } from '../helpers'

function parseAll(
  text: string,
  delimiter = ',',
  chunkSizes: number[] = [text.length || 1],
  max?: number,
): CsvRecord[] {
  const parser = new CsvParser(delimiter, max)
  const out: CsvRecord[] = []
  let pos = 0
  let k = 0
  while (pos < text.length) {
    const size = chunkSizes[k++ % chunkSizes.length] as number
    parser.push(text.slice(pos, pos + size), out)
    pos += size
  }
  parser.end(out)
  return out
}

describe('CSV parser', () => {
  it('splits plain rows and keeps each raw line and its line number', () => {
    const records = parseAll('a,b,c\n1,2,3\n4,,6\n')
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '', '6'],
    ])
    expect(records.map((r) => r.line)).toEqual([1, 2, 3])
    expect(records[2]!.raw).toBe('4,,6')
  })

  it('handles quoted fields with delimiters, doubled quotes and newlines', () => {
    const text = 'id;note\n"1";"a;b"\n"2";"say ""hi"""\n"3";"two\nlines"\n4;last'
    const records = parseAll(text, ';')
    expect(records.map((r) => r.fields)).toEqual([
      ['id', 'note'],
      ['1', 'a;b'],
      ['2', 'say "hi"'],
      ['3', 'two\nlines'],
      ['4', 'last'],
    ])
    // the record after a multi-line field starts on the right physical line
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6])
    expect(records[3]!.raw).toBe('"3";"two\nlines"')
  })

  it('accepts CRLF, a final line without a newline, and an empty last field', () => {
    const records = parseAll('a,b\r\n1,2\r\n3,')
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', ''],
    ])
    expect(records[1]!.raw).toBe('1,2')
  })

  it('gives the same records whatever the chunk boundaries', () => {
    const text = 'x,"y ""q"", z",w\r\n"multi\r\nline",2,3\n,,\n"a""",b,"c"\n"end'
    const whole = parseAll(text)
    for (const sizes of [[1], [2], [3], [5, 1, 7], [13]]) {
      expect(parseAll(text, ',', sizes), `chunks ${sizes.join('/')}`).toEqual(whole)
    }
    expect(whole.at(-1)).toMatchObject({ fields: ['end'], unterminated: true })
  })

  it('reads every-field-quoted lines (ChEMBL web export) the same as the general rules', () => {
    const text = [
      '"a";"b;c";"";"d"',
      '"1";"x;y";"";"2"',
      '"q";"say ""hi""";"";"3"',
      '"n";"two',
      'lines";"";"4"',
      '"m";b;"c";"5"',
      '"";"";"";""',
      '',
    ].join('\n')
    expect(parseAll(text, ';').map((r) => r.fields)).toEqual([
      ['a', 'b;c', '', 'd'],
      ['1', 'x;y', '', '2'],
      ['q', 'say "hi"', '', '3'],
      ['n', 'two\nlines', '', '4'],
      ['m', 'b', 'c', '5'],
      ['', '', '', ''],
    ])
    expect(parseAll(text, ';').map((r) => r.line)).toEqual([1, 2, 3, 4, 6, 7])
  })

  it('gives each row exactly its own fields when rows are wider or narrower than the last', () => {
    // the parser sizes each row's field list like the previous row's: rows of 3, 2, 4, 1 fields
    const text = 'a;b;c\n1;2\n1;"2";3;4\n\n5;;\nx\n'
    const records = parseAll(text, ';', [7, 5, 100])
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['1', '2'],
      ['1', '2', '3', '4'],
      [''],
      ['5', '', ''],
      ['x'],
    ])
    for (const r of records) {
      expect(Object.keys(r.fields)).toHaveLength(r.fields.length) // no holes
      expect(r.fields.every((f) => typeof f === 'string')).toBe(true)
    }
  })

  it('keeps text after a closing quote as written', () => {
    expect(parseAll('"abc"def,2\n')[0]!.fields).toEqual(['abcdef', '2'])
  })

  it('does not buffer a record longer than the limit', () => {
    const long = 'x'.repeat(5000)
    const text = `a,b\n1,${long}\n2,ok\n`
    const records = parseAll(text, ',', [100], 1000)
    expect(records).toHaveLength(3)
    expect(records[1]).toMatchObject({ tooLong: true, line: 2 })
    expect(records[1]!.raw.length).toBeLessThanOrEqual(2000)
    expect(records[2]).toMatchObject({ fields: ['2', 'ok'], line: 3 })
  })

  it('skips an over-long quoted record that spans lines', () => {
    const text = `a\n"${'y\n'.repeat(600)}"\nnext\n`
    const records = parseAll(text, ',', [64], 500)
    expect(records.map((r) => r.tooLong ?? false)).toEqual([false, true, false])
    expect(records[2]).toMatchObject({ fields: ['next'], line: 603 })
  })

  it('sniffs the delimiter from the header line', () => {
    expect(sniffDelimiter('"Molecule ChEMBL ID";"Smiles";"Standard Value"')).toBe(';')
    expect(sniffDelimiter('molecule_chembl_id,canonical_smiles,standard_value')).toBe(',')
    expect(sniffDelimiter('id\tsmiles\tpIC50')).toBe('\t')
    expect(sniffDelimiter('"a,b";c;d')).toBe(';')
    expect(sniffDelimiter('single')).toBe(',')
  })
})

describe('reading a file block by block', () => {
  it('gives every field as written when records, characters and quoted newlines straddle blocks', async () => {
    const dir = tempDir()
    try {
      // ~3 MB: rows of different lengths put every kind of field on a 1 MB block boundary somewhere
      const rows: string[][] = []
      for (let i = 0; rows.length < 36_000; i++) {
        rows.push([
          `CHEMBL${i}`,
          i % 3 === 0 ? `line one\nline ${i} "two"` : `µM Å ${'x'.repeat(i % 97)}`,
          i % 5 === 0 ? '1;2' : String(i * 0.5),
          '日本'.repeat(i % 7),
        ])
      }
      const quote = (f: string) => `"${f.replaceAll('"', '""')}"`
      const text = `"id";"text";"value";"name"\n${rows.map((r) => r.map(quote).join(';')).join('\r\n')}\n`
      const path = join(dir.path, 'straddle.csv')
      writeFileSync(path, text)
      expect(statSync(path).size).toBeGreaterThan(3 * READ_CHUNK_BYTES)
      const head = await readHead(path)
      const read: string[][] = []
      const records = readRecords(path, head)
      let next = await records.next()
      for (; !next.done; next = await records.next())
        for (const r of next.value) read.push(r.fields)
      expect(read.length).toBe(rows.length)
      for (let i = 0; i < rows.length; i++) expect(read[i], `row ${i + 1}`).toEqual(rows[i])
    } finally {
      dir.remove()
    }
  })
})
