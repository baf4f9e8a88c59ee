import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FileRef, ImportSummary } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { fileRef, runJob, startTestEngine, tempDir } from '../helpers'

const HEADER =
  'molecule_chembl_id,canonical_smiles,standard_type,standard_relation,standard_value,standard_units\n'

describe('bad input', () => {
  const dir = tempDir()
  let engine: Engine
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir.path, name)
    writeFileSync(path, content)
    return fileRef(engine, path)
  }
  const importCount = () =>
    (engine.context.db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n

  beforeAll(() => {
    engine = startTestEngine(join(dir.path, 'data'))
  })
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  const start = (file: FileRef, extra: object = {}) =>
    engine.call('imports.start', { file, computeDescriptors: false, ...extra })

  it('refuses an empty file', async () => {
    expect(await start(await write('empty.csv', ''))).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'The file is empty.' },
    })
  })

  it('fails a header-only file with a message and keeps nothing', async () => {
    const finished = await runJob(engine, 'imports.start', {
      file: await write('header.csv', HEADER),
      computeDescriptors: false,
    })
    expect(finished).toMatchObject({
      state: 'failed',
      error: { code: 'invalid-input', message: expect.stringContaining('no data rows') },
    })
    expect(importCount()).toBe(0)
  })

  it('refuses binary data', async () => {
    const zip = Buffer.from([
      0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0, 0, 0, 0x21, 0, 0xb7, 0x44,
    ])
    expect(
      await start(await write('book.xlsx', Buffer.concat([zip, Buffer.alloc(4000, 7)]))),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('not text') },
    })
  })

  it('names the columns found and needed when no column identifies molecules', async () => {
    const r = await start(await write('nostructure.csv', 'Compound,IC50,Units\nA,12,nM\n'))
    expect(r).toMatchObject({ ok: false, error: { code: 'missing-columns' } })
    if (r.ok) return
    expect(r.error.message).toContain('Columns found: Compound, IC50, Units')
    expect(r.error.message).toMatch(/molecule ChEMBL ID column.*SMILES column/)
  })

  it('refuses a file that was moved or deleted after it was chosen, saying so', async () => {
    const file = await write('gone.csv', HEADER)
    rmSync(join(dir.path, 'gone.csv'))
    expect(await start(file)).toMatchObject({
      ok: false,
      error: { code: 'file-not-readable', message: expect.stringContaining('does not exist') },
    })
  })

  it('rejects single rows for bad values, long lines, wrong field counts and broken quotes', async () => {
    const long = 'x'.repeat(1024 * 1024 + 10)
    const content =
      HEADER +
      'CHEMBL1,CCO,IC50,=,10,nM\n' + // fine
      'CHEMBL2,CCO,IC50,=,-5,nM\n' + // negative concentration
      'CHEMBL3,CCO,IC50,=,ten,nM\n' + // not a number
      `CHEMBL4,${long},IC50,=,10,nM\n` + // over 1 MB
      'CHEMBL5,CCO,IC50,=,10\n' + // a field short
      ',,IC50,=,10,nM\n' + // no structure
      'CHEMBL6,CCO,IC50,=,12,uM\n' + // fine
      'CHEMBL7,"CCO,IC50,=,10,nM\n' // quote never closed
    const finished = await runJob(engine, 'imports.start', {
      file: await write('mixed.csv', content),
      computeDescriptors: false,
    })
    expect(finished.state).toBe('succeeded')
    const s = finished.result as ImportSummary
    expect(s).toMatchObject({ rowsTotal: 8, rowsAccepted: 2, rowsRejected: 6 })
    expect(s.rejectionsByReason).toEqual({
      'out-of-range': 1,
      'non-numeric-value': 1,
      'line-too-long': 1,
      'wrong-field-count': 1,
      'no-structure': 1,
      'unterminated-quote': 1,
    })
    const rejections = await engine.invoke('imports.rejections', { importId: s.importId ?? 0 })
    expect(rejections.ok && rejections.value.rows.map((r) => [r.line, r.reason])).toEqual([
      [3, 'out-of-range'],
      [4, 'non-numeric-value'],
      [5, 'line-too-long'],
      [6, 'wrong-field-count'],
      [7, 'no-structure'],
      [9, 'unterminated-quote'],
    ])
    expect(rejections.ok && rejections.value.rows[2]!.rawLine.length).toBeLessThan(5000)
  })

  it('reads UTF-16 files and UTF-8 with a BOM and CRLF line endings', async () => {
    const body = `${HEADER}CHEMBL10,c1ccccc1,IC50,=,5,nM\nCHEMBL11,CCN,Ki,>,100,nM\n`
    const utf16 = await runJob(engine, 'imports.start', {
      file: await write(
        'utf16.csv',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]),
      ),
      computeDescriptors: false,
    })
    expect(utf16.result).toMatchObject({ rowsTotal: 2, rowsAccepted: 2 })
    const bom = await runJob(engine, 'imports.start', {
      file: await write('bom.csv', `\uFEFF${body.replaceAll('\n', '\r\n')}`),
      computeDescriptors: false,
      duplicate: 'import',
    })
    expect(bom.result).toMatchObject({ rowsTotal: 2, rowsAccepted: 2 })
    const db = engine.context.db
    expect(
      db
        .prepare(
          "SELECT relation, value_nm FROM activities a JOIN compounds c ON c.id = a.compound_id WHERE c.chembl_id = 'CHEMBL11' LIMIT 1",
        )
        .get(),
    ).toEqual({ relation: '>', value_nm: 100 })
  })

  it('previews the last row of a file that does not end with a line break', async () => {
    const file = await write('no-final-newline.csv', 'smiles,pIC50\nCCO,5\nc1ccccc1O,6.25')
    const preview = await engine.invoke('imports.preview', { file })
    expect(preview.ok && preview.value.rows).toEqual([
      ['CCO', '5'],
      ['c1ccccc1O', '6.25'],
    ])
  })

  it('imports a file with duplicate header names using the first, and reports them in the preview', async () => {
    const file = await write('dups.csv', 'smiles,pIC50,pIC50\nCCO,5,6\n')
    const preview = await engine.invoke('imports.preview', { file })
    expect(preview.ok && preview.value.duplicateColumns).toEqual(['pIC50'])
    const finished = await runJob(engine, 'imports.start', { file, computeDescriptors: false })
    expect(finished.result).toMatchObject({ rowsAccepted: 1 })
  })

  it('rejects SMILES that RDKit cannot read when descriptors are computed', async () => {
    const finished = await runJob(engine, 'imports.start', {
      file: await write('smiles.csv', 'smiles,pIC50\nCCO,5\nC1CC((,6\nc1ccccc1O,7\n'),
      computeDescriptors: true,
    })
    expect(finished.result).toMatchObject({
      rowsAccepted: 2,
      rejectionsByReason: { 'invalid-smiles': 1 },
    })
  })

  it('maps columns by hand and reports a bad mapping', async () => {
    const file = await write('custom.csv', 'Structure Code,Potency,Weight\nCCO,6.5,46.07\n')
    const bad = await start(file, { mapping: { Weight: 'molecular_mass' } })
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: expect.stringContaining('"molecular_mass" is not a field'),
      },
    })
    const finished = await runJob(engine, 'imports.start', {
      file,
      computeDescriptors: false,
      mapping: { 'Structure Code': 'smiles', Potency: 'pchembl_value', Weight: 'mw_freebase' },
    })
    expect(finished.result).toMatchObject({ rowsAccepted: 1, activities: 1 })
  })

  it('lets the user override a wrongly guessed separator', async () => {
    // the header has more commas than tabs, but the file is tab-separated
    const file = await write(
      'tabs.tsv',
      'Code, batch, plate\tsmiles\tpIC50\nA1, 2, 3\tCCO\t5.5\nA2, 2, 4\tCCN\t6.0\n',
    )
    const guessed = await engine.invoke('imports.preview', { file })
    expect(guessed.ok && guessed.value.delimiter).toBe(',')
    const chosen = await engine.invoke('imports.preview', { file, delimiter: '\t' })
    expect(chosen.ok && chosen.value.header).toEqual(['Code, batch, plate', 'smiles', 'pIC50'])
    expect(chosen.ok && chosen.value.mapping).toMatchObject({
      smiles: 'smiles',
      pchembl_value: 'pIC50',
    })
    const finished = await runJob(engine, 'imports.start', {
      file,
      delimiter: '\t',
      computeDescriptors: false,
    })
    expect(finished.result).toMatchObject({ rowsTotal: 2, rowsAccepted: 2, activities: 2 })
  })

  it('still answers after all of that, with a sound database', async () => {
    expect((await engine.invoke('app.status', {})).ok).toBe(true)
    expect(engine.context.db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(engine.context.db.pragma('foreign_key_check')).toEqual([])
  })
})
