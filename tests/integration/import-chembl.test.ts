import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { storedFilePath } from '../../src-main/engine/import/stored-file'
import type { ImportSummary } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { fileRef, importOnce, runJob, tempDir } from '../helpers'
import { ACHE, AROMATASE, readTable } from '../reference-csv'
import { referenceStandardised } from '../rdkit-reference'
import { computeDescriptors, loadRdkit } from '../../src-main/chem/rdkit'

// Expected values come from the files themselves (read with an independent parser) and from the
// facts in shared/data/README.md, measured with pandas and RDKit.

const isNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s))
const CONCENTRATION = new Set(['nM', 'uM'])

describe('importing the ChEMBL web export (aromatase)', () => {
  let engine: Engine
  let summary: ImportSummary
  let dataDir: string
  importOnce(AROMATASE, {}, (e, s, d) => {
    engine = e
    summary = s
    dataDir = d
  })
  const file = readTable(AROMATASE, ';')
  const rows = file.rows
  // data rows start on line 2, after the header
  const lineOf = new Map(rows.map((r, i) => [r, i + 2]))
  // Rows without a value are kept when a comment gives the result in words (Not Active) or
  // ChEMBL's curators flag them; the file's record numbers in the comment column say nothing.
  const noValue = rows.filter(
    (r) =>
      r['Standard Value'] === '' &&
      r['pChEMBL Value'] === '' &&
      /^\d*$/.test(r.Comment!) &&
      ['', 'Manually validated'].includes(r['Data Validity Comment']!),
  )
  // a pIC50 or Log IC50 below zero is a logarithm, not a concentration below zero
  const notPositive = rows.filter(
    (r) =>
      isNumber(r['Standard Value']!) &&
      Number(r['Standard Value']) <= 0 &&
      CONCENTRATION.has(r['Standard Units']!) &&
      !/^(p[A-Z]|-?log)/i.test(r['Standard Type']!),
  )
  const accepted = rows.filter((r) => !noValue.includes(r) && !notPositive.includes(r))

  it('accounts for every row of the file', () => {
    expect(file.rows).toHaveLength(6099)
    expect(summary).toMatchObject({ format: 'chembl-web', rowsTotal: 6099, skipped: false })
    expect(summary.rowsAccepted + summary.rowsRejected).toBe(summary.rowsTotal)
    expect(summary.rejectionsByReason).toEqual({
      'missing-value': noValue.length,
      'out-of-range': notPositive.length,
    })
    // 265 rows have no value; all but these carry a comment such as Not Active
    expect(rows.filter((r) => r['Standard Value'] === '')).toHaveLength(265)
    expect(noValue).toHaveLength(5)
    expect(summary.rowsAccepted).toBe(accepted.length)
    expect(summary.activities).toBe(accepted.length)
    const db = engine.context.db
    expect(
      db.prepare('SELECT count(*) AS n FROM activities WHERE import_id = ?').get(summary.importId),
    ).toEqual({ n: accepted.length })
    expect(
      db
        .prepare('SELECT count(*) AS n FROM import_rejections WHERE import_id = ?')
        .get(summary.importId),
    ).toEqual({ n: summary.rowsRejected })
  })

  it('stores rejected rows with line number, reason and the raw line', () => {
    const db = engine.context.db
    const stored = db
      .prepare(
        'SELECT line_number, reason, raw_line FROM import_rejections WHERE import_id = ? ORDER BY line_number',
      )
      .all(summary.importId) as { line_number: number; reason: string; raw_line: string }[]
    expect(stored.map((r) => r.line_number)).toEqual(
      [...noValue, ...notPositive].map((r) => lineOf.get(r) ?? 0).sort((a, b) => a - b),
    )
    const lines = new Map(stored.map((r) => [r.line_number, r.raw_line]))
    const first = noValue[0]!
    expect(lines.get(lineOf.get(first)!)).toContain(`"${first['Molecule ChEMBL ID']}"`)
  })

  it('makes one compound per molecule with the file’s MW and AlogP and RDKit’s HBA/HBD', async () => {
    const db = engine.context.db
    const molecules = new Set(accepted.map((r) => r['Molecule ChEMBL ID']))
    expect(summary.compoundsNew).toBe(molecules.size)
    const byId = new Map(accepted.map((r) => [r['Molecule ChEMBL ID'], r]))
    const compounds = db
      .prepare(
        'SELECT chembl_id, mw_freebase, alogp, hba, hbd, feature_sources_json, rdkit_version, morgan_fp FROM compounds',
      )
      .all() as {
      chembl_id: string
      mw_freebase: number
      alogp: number | null
      hba: number
      hbd: number
      feature_sources_json: string
      rdkit_version: string
      morgan_fp: Buffer
    }[]
    expect(compounds).toHaveLength(molecules.size)
    for (const c of compounds) {
      const source = byId.get(c.chembl_id)!
      expect(c.mw_freebase).toBe(Number(source['Molecular Weight']))
      expect(JSON.parse(c.feature_sources_json)).toMatchObject({
        mw_freebase: 'file',
        hba: 'rdkit',
        hbd: 'rdkit',
      })
      expect(Number.isInteger(c.hba) && Number.isInteger(c.hbd)).toBe(true)
      expect(c.rdkit_version).toMatch(/^20\d\d\.\d\d\.\d+$/)
      expect(c.morgan_fp).toHaveLength(256)
    }
    // README: Molecular Weight matches RDKit's average molecular weight within 0.005 for the
    // structure as written. RDKit's value is now that of the standardised parent, so the file
    // and RDKit disagree (by more than the summary's 0.5 g/mol) exactly where python3-rdkit's
    // MolStandardize removes a fragment: a neutralised charge moves the weight by one hydrogen.
    const rdkit = await loadRdkit()
    // the summary compares the molecules whose file gives both MW and AlogP
    const ids = [...molecules].filter(
      (id) => byId.get(id)?.Smiles && byId.get(id)?.['Molecular Weight'] && byId.get(id)?.AlogP,
    )
    const parents = referenceStandardised(ids.map((id) => byId.get(id)?.Smiles as string))
    const expectedMw = ids.filter((id, i) => {
      const parentMw = computeDescriptors(rdkit, parents[i] ?? '')?.amw
      return (
        parentMw !== undefined &&
        Math.abs(parentMw - Number(byId.get(id)?.['Molecular Weight'])) > 0.5
      )
    }).length
    expect(expectedMw).toBeGreaterThan(0)
    // 21 such molecules by the reference; the summary counts 16 of them (it compares a molecule
    // once, on the first row that reaches the comparison), never one the reference leaves alone.
    expect(summary.disagreements.mw).toBeGreaterThan(0)
    expect(summary.disagreements.mw).toBeLessThanOrEqual(expectedMw)
    expect(summary.disagreements.compared).toBe(
      molecules.size -
        compounds.filter(
          (c) => c.alogp === null || JSON.parse(c.feature_sources_json).alogp !== 'file',
        ).length,
    )
  })

  it("gives every activity its own line's type, units, assay, target and document, each combination stored once", () => {
    const db = engine.context.db
    const stored = db
      .prepare(
        `SELECT line_number, standard_type, standard_units, assay_chembl_id, target_chembl_id, target_name,
           document_chembl_id, document_year FROM activities WHERE import_id = ?`,
      )
      .all(summary.importId) as Record<string, string | number | null>[]
    expect(stored).toHaveLength(accepted.length)
    const orNull = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim())
    const byLine = new Map(accepted.map((r) => [lineOf.get(r), r]))
    const combinations = new Set<string>()
    for (const a of stored) {
      const r = byLine.get(a.line_number as number)!
      const expected = [
        orNull(r['Standard Type']),
        orNull(r['Standard Units']),
        orNull(r['Assay ChEMBL ID']),
        orNull(r['Target ChEMBL ID']),
        orNull(r['Target Name']),
        orNull(r['Document ChEMBL ID']),
        isNumber(r['Document Year']!) ? Number(r['Document Year']) : null,
      ]
      expect(
        [
          a.standard_type,
          a.standard_units,
          a.assay_chembl_id,
          a.target_chembl_id,
          a.target_name,
          a.document_chembl_id,
          a.document_year,
        ],
        `line ${a.line_number}`,
      ).toEqual(expected)
      combinations.add(JSON.stringify(expected))
    }
    expect(db.prepare('SELECT count(*) AS n FROM activity_contexts').get()).toEqual({
      n: combinations.size,
    })
  })

  it('matches the README: 3,173 IC50 rows in nM with "=" and a positive value, covering 2,332 molecules', () => {
    const r = engine.context.db
      .prepare(
        "SELECT count(*) AS n, count(DISTINCT compound_id) AS m FROM activities WHERE standard_type = 'IC50' AND standard_units = 'nM' AND relation = '=' AND standard_value > 0",
      )
      .get() as { n: number; m: number }
    expect(r).toEqual({ n: 3173, m: 2332 })
  })

  it('keeps potency in nM and on the log scale, and the file itself byte for byte', () => {
    const row = accepted.find(
      (r) =>
        // a concentration (Ks app); a pIC50 "in uM" is a logarithm
        !r['Standard Type']!.startsWith('p') &&
        r['Standard Units'] === 'uM' &&
        r['Standard Relation'] === "'='" &&
        Number(r['Standard Value']) > 0,
    )!
    const stored = engine.context.db
      .prepare('SELECT value_nm, p_activity, relation FROM activities WHERE line_number = ?')

      .get(lineOf.get(row)) as {
      value_nm: number
      p_activity: number
      relation: string
    }
    expect(stored.relation).toBe('=')
    expect(stored.value_nm).toBeCloseTo(Number(row['Standard Value']) * 1000, 6)
    expect(stored.p_activity).toBeCloseTo(9 - Math.log10(Number(row['Standard Value']) * 1000), 9)
    // nothing lost: the data folder keeps the file itself, with the SHA-256 recorded for it
    const kept = readFileSync(
      storedFilePath(engine.context.db, dataDir, summary.importId as number) as string,
    )
    expect(kept.equals(readFileSync(AROMATASE))).toBe(true)
    expect(createHash('sha256').update(kept).digest('hex')).toBe(summary.sha256)
  })

  it('marks censored and unconvertible measurements instead of dropping them', () => {
    const censored = accepted.filter((r) =>
      ["'>'", "'<'", "'>='", "'<='"].includes(r['Standard Relation']!),
    )
    expect(summary.unusableByReason.censored).toBe(censored.length)
    const percent = accepted.filter((r) => r['Standard Units'] === '%')
    const db = engine.context.db
    expect(
      db
        .prepare("SELECT count(*) AS n FROM activities WHERE standard_units = '%' AND usable = 0")
        .get(),
    ).toEqual({ n: percent.length })
    expect(summary.unusableByReason['unit-not-convertible']).toBeGreaterThanOrEqual(
      percent.filter((r) => !censored.includes(r) && r['Standard Value'] !== '').length,
    )
  })

  it('detects a re-import of the same file and skips it unless asked', async () => {
    const again = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, AROMATASE),
      computeDescriptors: false,
    })
    expect(again.result).toMatchObject({
      skipped: true,
      previousImportId: summary.importId,
      importId: null,
    })
    const imports = await engine.invoke('imports.list', {})
    expect(imports.ok && imports.value).toHaveLength(1)
    const forced = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, AROMATASE),
      computeDescriptors: false,
      duplicate: 'import',
    })
    expect(forced.result).toMatchObject({
      skipped: false,
      compoundsNew: 0,
      rowsAccepted: summary.rowsAccepted,
      previousImportId: summary.importId,
    })
    const preview = await engine.invoke('imports.preview', {
      file: await fileRef(engine, AROMATASE),
    })
    expect(preview.ok && preview.value.previousImports.map((p) => p.id)).toHaveLength(2)
  }, 60_000)
})

describe('importing the ChEMBL web-services dump (acetylcholinesterase)', () => {
  let engine: Engine
  let summary: ImportSummary
  const file = readTable(ACHE, ',')
  importOnce(ACHE, {}, (e, s) => {
    engine = e
    summary = s
  })

  it('accounts for every row and keeps those without a value that say why', () => {
    expect(file.rows).toHaveLength(7026)
    const noValue = file.rows.filter((r) => r.standard_value === '' && r.pchembl_value === '')
    expect(summary).toMatchObject({ format: 'chembl-api', rowsTotal: 7026 })
    // each of the 1,189 has an activity comment (Not Active, Not Determined, ...) or ChEMBL's
    // "Potential missing data": none is rejected
    expect(noValue).toHaveLength(1189)
    expect(
      noValue.filter((r) => r.activity_comment === '' && r.data_validity_comment === ''),
    ).toHaveLength(0)
    expect(summary.rejectionsByReason['missing-value']).toBeUndefined()
    expect(summary.activities).toBe(7026)
    expect(summary.rowsAccepted + summary.rowsRejected).toBe(7026)
  })

  it('matches the README: 5,299 nM "=" rows with a positive value and a SMILES, covering 4,201 molecules', () => {
    const r = engine.context.db
      .prepare(
        "SELECT count(*) AS n, count(DISTINCT a.compound_id) AS m FROM activities a JOIN compounds c ON c.id = a.compound_id WHERE a.standard_units = 'nM' AND a.relation = '=' AND a.standard_value > 0 AND c.smiles IS NOT NULL",
      )
      .get() as { n: number; m: number }
    expect(r).toEqual({ n: 5299, m: 4201 })
  })

  it('computes all four seed features with RDKit when the file has none', () => {
    const rows = engine.context.db
      .prepare(
        'SELECT feature_sources_json AS s, count(*) AS n FROM compounds WHERE smiles IS NOT NULL GROUP BY s',
      )
      .all() as { s: string; n: number }[]
    expect(rows).toEqual([
      {
        s: JSON.stringify({ mw_freebase: 'rdkit', alogp: 'rdkit', hba: 'rdkit', hbd: 'rdkit' }),
        n: expect.any(Number),
      },
    ])
  })

  it("converts ChEMBL's exponent units (10'5pM) to nM", () => {
    const row = file.rows.find((r) => r.standard_units === "10'5pM")!
    const stored = engine.context.db
      .prepare('SELECT value_nm FROM activities WHERE standard_units = ? AND standard_value = ?')
      .get("10'5pM", Number(row.standard_value)) as { value_nm: number }
    expect(stored.value_nm).toBeCloseTo(Number(row.standard_value) * 1e5 * 1e-3, 9)
  })
})

describe('browsing imported data', () => {
  let engine: Engine
  const file = readTable(AROMATASE, ';')
  importOnce(AROMATASE, { computeDescriptors: false }, (e) => {
    engine = e
  })

  it('finds compounds and activities by ChEMBL ID, name or SMILES', async () => {
    const id = file.rows[0]!['Molecule ChEMBL ID']!
    const rowsForId = file.rows.filter(
      (r) =>
        r['Molecule ChEMBL ID'] === id && (r['Standard Value'] !== '' || r['pChEMBL Value'] !== ''),
    )
    const compounds = await engine.invoke('data.compounds', {
      search: id,
      offset: 0,
      limit: 10,
      withTotal: true,
    })
    expect(compounds.ok && compounds.value.total).toBe(1)
    const activities = await engine.invoke('data.activities', {
      search: id,
      offset: 0,
      limit: 100,
      withTotal: true,
    })
    expect(activities.ok && activities.value.total).toBe(rowsForId.length)
    // a % or _ in the search is literal, not a wildcard
    const wildcard = await engine.invoke('data.compounds', {
      search: '%',
      offset: 0,
      limit: 1,
      withTotal: true,
    })
    expect(wildcard.ok && wildcard.value.total).toBe(0)
  })

  it('filters activities by target, type and relation, and pages through them', async () => {
    const ic50 = await engine.invoke('data.activities', {
      standardType: 'IC50',
      relation: '=',
      target: 'CHEMBL1978',
      offset: 0,
      limit: 1000,
      withTotal: true,
    })
    const expected = file.rows.filter(
      (r) =>
        r['Standard Type'] === 'IC50' &&
        r['Standard Relation'] === "'='" &&
        (r['Standard Value'] !== '' || r['pChEMBL Value'] !== '') &&
        !(Number(r['Standard Value']) <= 0 && r['Standard Value'] !== ''),
    )
    expect(ic50.ok && ic50.value.total).toBe(expected.length)
    const page2 = await engine.invoke('data.activities', {
      standardType: 'IC50',
      offset: 1000,
      limit: 1000,
      withTotal: true,
    })
    expect(page2.ok && page2.value.rows[0]?.standardType).toBe('IC50')
  })

  it('gives histograms whose counts add up to the values they describe', async () => {
    const result = await engine.invoke('data.histograms', {})
    if (!result.ok) throw new Error(result.error.message)
    const byFeature = Object.fromEntries(result.value.map((h) => [h.feature, h]))
    const mw = byFeature.mw_freebase!
    expect(mw.counts.reduce((a, b) => a + b, 0)).toBe(mw.n)
    const facets = await engine.invoke('data.facets', {})
    expect(facets.ok && mw.n).toBe(facets.ok && facets.value.compounds)
    const p = byFeature.p_activity!
    expect(p.counts.reduce((a, b) => a + b, 0)).toBe(p.n)
  })

  it('recounts the overview after another import', async () => {
    const before = await engine.invoke('data.facets', {})
    const folder = tempDir()
    const extra = join(folder.path, 'extra.csv')
    writeFileSync(
      extra,
      'molecule_chembl_id,canonical_smiles,standard_type,standard_relation,standard_value,standard_units\nCHEMBL_NEW_1,CCO,IC50,=,10,nM\n',
    )
    await runJob(engine, 'imports.start', {
      file: await fileRef(engine, extra),
      computeDescriptors: false,
    })
    folder.remove()
    const after = await engine.invoke('data.facets', {})
    expect(after.ok && after.value.compounds).toBe((before.ok ? before.value.compounds : 0) + 1)
    expect(after.ok && after.value.activities).toBe((before.ok ? before.value.activities : 0) + 1)
  })
})
