import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  CompoundDetail,
  Depiction,
  ImportSummary,
  SinglePrediction,
  TrainResult,
} from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import {
  REPO_ROOT,
  fileRef,
  runJob,
  sampleEngine,
  startTestEngine,
  tempDir,
  waitForFinished,
} from '../helpers'
import { AROMATASE, aromataseIc50, readTable } from '../reference-csv'
import { referenceTanimoto } from '../rdkit-reference'

/**
 * The first 700 rows of the real aromatase export: a few hundred IC50 compounds, enough to train
 * on in seconds. Every expectation below is worked out from the file's own rows (and RDKit's
 * Python API for similarity), never from the app.
 */
const SUBSET_ROWS = 700
const full = readTable(AROMATASE, ';')
const subset = full.rows.slice(0, SUBSET_ROWS)

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/** The training set by the rule training follows: undoubted IC50 = values in nM, median per compound. */
function trainingLabels(rows: Record<string, string>[]): Map<string, { label: number; n: number }> {
  const byMolecule = new Map<string, number[]>()
  for (const r of aromataseIc50(rows).undoubted) {
    const id = r['Molecule ChEMBL ID'] as string
    byMolecule.set(id, [...(byMolecule.get(id) ?? []), 9 - Math.log10(Number(r['Standard Value']))])
  }
  return new Map([...byMolecule].map(([id, ps]) => [id, { label: median(ps), n: ps.length }]))
}

const smilesOf = new Map(subset.map((r) => [r['Molecule ChEMBL ID'], r.Smiles ?? '']))

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

describe('compounds and nearest training compounds', () => {
  const dir = tempDir()
  let engine: Engine
  let model: string
  const labels = trainingLabels(subset)

  beforeAll(async () => {
    engine = startTestEngine(join(dir.path, 'data'))
    const lines = [full.header, ...subset.map((r) => full.header.map((h) => r[h] ?? ''))]
    const path = join(dir.path, 'aromatase-700.csv')
    writeFileSync(
      path,
      `${lines.map((l) => l.map((f) => `"${f.replace(/"/g, '""')}"`).join(';')).join('\n')}\n`,
    )
    const imported = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, path),
      computeDescriptors: true,
    })
    expect(imported.state).toBe('succeeded')
    const started = await ok(
      engine.invoke('models.train', {
        target: 'CHEMBL1978',
        featureSet: 'core4',
        learner: 'ridge',
        folds: 3,
        promote: true,
        reason: 'test',
      }),
    )
    const trained = await waitForFinished(engine, started.jobId)
    expect(trained.state).toBe('succeeded')
    model = (trained.result as TrainResult).modelVersion
    expect(model).toMatch(/^v\d+$/)
  }, 240_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  it('names the three most similar training compounds with RDKit-exact similarity and their median measured value', async () => {
    // a real aromatase compound from further down the file, not among the first 700 rows
    const seen = new Set(subset.map((r) => r['Molecule ChEMBL ID']))
    const query = full.rows
      .slice(SUBSET_ROWS)
      .find((r) => !seen.has(r['Molecule ChEMBL ID']) && (r.Smiles ?? '') !== '')?.Smiles as string
    const training = [...labels.keys()].filter((id) => (smilesOf.get(id) ?? '') !== '')
    const matrix = referenceTanimoto([query, ...training.map((id) => smilesOf.get(id) as string)])
    const expected = training
      .map((id, i) => ({ id, similarity: matrix[0]?.[i + 1] as number }))
      .sort((a, b) => b.similarity - a.similarity)

    const p = await ok(engine.invoke('predictions.single', { model, smiles: query }))
    expect(p.neighbours.unavailable).toBeNull()
    expect(p.neighbours.matchesModel).toBe(true)
    expect(p.neighbours.compared).toBe(training.length)
    expect(p.neighbours.inTraining).toBeNull()
    expect(p.neighbours.items).toHaveLength(3)
    p.neighbours.items.forEach((n, k) => {
      expect(n.similarity).toBeCloseTo(expected[k]?.similarity as number, 12)
      // the compound at that rank (or one tied with it)
      const tied = expected.filter((e) => Math.abs(e.similarity - n.similarity) < 1e-12)
      expect(tied.map((e) => e.id)).toContain(n.chemblId)
      expect(n.measured).toBeCloseTo(labels.get(n.chemblId as string)?.label as number, 10)
      expect(n.smiles).toBe(smilesOf.get(n.chemblId as string))
    })
    expect(expected[0]?.similarity).toBeLessThan(1)
  })

  it('says so when the predicted compound was trained on, and shows what was measured', async () => {
    // the training compound measured most often (first such in the file)
    const [id, { label, n }] = [...labels].sort((a, b) => b[1].n - a[1].n)[0] as [
      string,
      { label: number; n: number },
    ]
    expect(n).toBeGreaterThan(1)
    const ic50Rows = subset.filter(
      (r) => r['Molecule ChEMBL ID'] === id && r['Standard Type'] === 'IC50',
    )
    const p: SinglePrediction = await ok(
      engine.invoke('predictions.single', { model, smiles: smilesOf.get(id) as string }),
    )
    const same = p.neighbours.inTraining
    expect(same?.chemblId).toBe(id)
    expect(same?.similarity).toBe(1)
    expect(same?.measured).toBeCloseTo(label, 10)
    // every IC50 row of it for the target, usable or not, as the file has them
    expect(same?.measurements).toHaveLength(ic50Rows.length)
    expect(same?.measurements.map((m) => m.standardValue).sort()).toEqual(
      ic50Rows.map((r) => (r['Standard Value'] ? Number(r['Standard Value']) : null)).sort(),
    )
    // those training took into its label are the file's undoubted ones
    expect(same?.measurements.filter((m) => m.used)).toHaveLength(n)
    // its neighbours are other compounds
    expect(p.neighbours.items.map((x) => x.chemblId)).not.toContain(id)
    // the prediction is linked to the stored compound, whose page lists it
    expect(p.compoundId).toBe(same?.compoundId)
    const detail = await ok(
      engine.invoke('compounds.get', { compoundId: same?.compoundId as number }),
    )
    expect(detail.predictions.map((x) => x.batchId)).toContain(p.batchId)
    expect(detail.predictions.find((x) => x.batchId === p.batchId)?.modelVersion).toBe(model)
    // the four seed features by their names
    expect(Object.keys(p.seed).sort()).toEqual(['alogp', 'hba', 'hbd', 'mw_freebase'])
  })

  it('asks for a structure when the prediction was made from four typed features', async () => {
    const p = await ok(
      engine.invoke('predictions.single', {
        model,
        features: { mw_freebase: 320, alogp: 3, hba: 4, hbd: 1 },
      }),
    )
    expect(p.neighbours.items).toEqual([])
    expect(p.neighbours.unavailable).toMatch(/need a structure/)
    expect(p.compoundId).toBeNull()
  })

  it('gives a compound with every measurement across imports, its sources and its descriptors', async () => {
    const id = [...labels.keys()][0] as string
    const rows = subset.filter((r) => r['Molecule ChEMBL ID'] === id)
    const found = await ok(engine.invoke('data.compounds', { search: id, offset: 0, limit: 5 }))
    const compoundId = found.rows.find((r) => r.chemblId === id)?.id as number
    const c: CompoundDetail = await ok(engine.invoke('compounds.get', { compoundId }))
    expect(c.chemblId).toBe(id)
    expect(c.smiles).toBe(rows[0]?.Smiles)
    expect(c.measurementsTotal).toBe(rows.length)
    expect(c.measurements).toHaveLength(rows.length)
    expect(c.measurements.map((m) => m.lineNumber)).toEqual(rows.map((r) => subset.indexOf(r) + 2))
    expect(new Set(c.measurements.map((m) => m.importFile))).toEqual(new Set(['aromatase-700.csv']))
    expect(c.measurements.map((m) => m.standardType)).toEqual(rows.map((r) => r['Standard Type']))
    const seed = Object.fromEntries(c.seed.map((s) => [s.feature, s]))
    // the export has molecular weight and AlogP, not HBA and HBD: RDKit computed those
    expect(seed.mw_freebase?.value).toBeCloseTo(Number(rows[0]?.['Molecular Weight']), 6)
    expect(seed.mw_freebase?.source).toBe('file')
    expect(seed.hba?.source).toBe('rdkit')
    expect(seed.hba?.label).toBe('H-bond acceptors')
    const tpsa = c.descriptors.find((d) => d.name === 'tpsa')
    expect(tpsa?.label).toBe('Topological polar surface area (Å²)')
    expect(c.descriptors.length).toBeGreaterThan(30)
  })

  it('draws a compound and a SMILES as sanitised SVG, and says why when it cannot', async () => {
    const found = await ok(engine.invoke('data.compounds', { offset: 0, limit: 1 }))
    const byId: Depiction = await ok(
      engine.invoke('compounds.depict', { compoundId: found.rows[0]?.id as number }),
    )
    expect(byId.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    expect(byId.svg).toContain('<path ')
    const bySmiles = await ok(
      engine.invoke('compounds.depict', { smiles: found.rows[0]?.smiles as string }),
    )
    expect(bySmiles.svg).toBe(byId.svg)
    const bad = await ok(engine.invoke('compounds.depict', { smiles: '<script>alert(1)</script>' }))
    expect(bad).toEqual({ svg: null, error: 'RDKit cannot read this SMILES.' })
    const both = await engine.invoke('compounds.depict', { compoundId: 1, smiles: 'C' })
    expect(both.ok ? null : both.error.code).toBe('invalid-input')
    const neither = await engine.invoke('compounds.depict', {})
    expect(neither.ok ? null : neither.error.code).toBe('invalid-input')
    const missing = await engine.invoke('compounds.depict', { compoundId: 99_999_999 })
    expect(missing.ok ? null : missing.error.code).toBe('not-found')
    const noCompound = await engine.invoke('compounds.get', { compoundId: 99_999_999 })
    expect(noCompound.ok ? null : noCompound.error.code).toBe('not-found')
  })

  it('keeps markup in a compound name or SMILES as data: nothing of it reaches a drawing', async () => {
    const path = join(dir.path, 'hostile.csv')
    writeFileSync(
      path,
      [
        'molecule_chembl_id,molecule_name,canonical_smiles,standard_type,standard_relation,standard_value,standard_units,target_chembl_id',
        'X-SCRIPT-1,<script>alert(1)</script>,c1ccccc1O,IC50,=,100,nM,CHEMBL-X',
        'X-SCRIPT-2,<img src=x onerror=alert(1)>,C<script>alert(2)</script>,IC50,=,100,nM,CHEMBL-X',
      ].join('\n'),
    )
    const imported = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, path),
      computeDescriptors: true,
    })
    expect(imported.state).toBe('succeeded')
    const rows = (
      await ok(engine.invoke('data.compounds', { search: 'X-SCRIPT', offset: 0, limit: 5 }))
    ).rows
    const named = rows.find((r) => r.chemblId === 'X-SCRIPT-1')
    expect(named?.name).toBe('<script>alert(1)</script>')
    const drawing = await ok(engine.invoke('compounds.depict', { compoundId: named?.id as number }))
    expect(drawing.svg).toContain('<path ')
    expect(drawing.svg?.toLowerCase()).not.toMatch(/script|alert|onerror|href/)
    const detail = await ok(engine.invoke('compounds.get', { compoundId: named?.id as number }))
    // the name comes back as the text it is; the page renders it as text
    expect(detail.name).toBe('<script>alert(1)</script>')
    // a row whose SMILES RDKit cannot read is rejected with its reason, so no compound carries it
    expect(rows.map((r) => r.chemblId)).toEqual(['X-SCRIPT-1'])
    expect((imported.result as ImportSummary).rowsRejected).toBe(1)
  })
})

describe('nearest training compounds of a model trained without structures', () => {
  let engine: Engine
  sampleEngine((e) => {
    engine = e
  })

  it('says plainly that there is nothing to compare, and still predicts', async () => {
    // the bundled baseline is trained on the synthetic sample's four file values (no structures
    // at all) and refuses a SMILES, saying what to give instead
    const refused = await engine.invoke('predictions.single', { smiles: 'CC(=O)Oc1ccccc1C(=O)O' })
    expect(refused.ok).toBe(false)
    if (!refused.ok) {
      expect(refused.error.code).toBe('invalid-input')
      expect(refused.error.message).toMatch(/Give MW, AlogP, HBA and HBD/)
    }
    // the same model in its old format (no recorded feature source) was also trained without
    // structures, and still predicts a SMILES from RDKit's four features
    const legacy = join(REPO_ROOT, 'tests/fixtures/legacy-model')
    const imported = await ok(
      engine.invoke('models.import', {
        onnx: await fileRef(engine, join(legacy, 'baseline-core4-gbdt.onnx')),
        card: await fileRef(engine, join(legacy, 'baseline-core4-gbdt.json')),
      }),
    )
    const p = await ok(
      engine.invoke('predictions.single', {
        smiles: 'CC(=O)Oc1ccccc1C(=O)O',
        model: imported.model.version,
      }),
    )
    expect(p.modelVersion).toBe(imported.model.version)
    expect(Number.isFinite(p.pActivity)).toBe(true)
    expect(p.neighbours.items).toEqual([])
    expect(p.neighbours.unavailable).toMatch(/has a stored structure/)
    // aspirin's seed features as RDKit's Python API gives them: MolWt 180.159, MolLogP 1.3101
    expect(p.seed.mw_freebase).toBeCloseTo(180.159, 2)
    expect(p.seed.alogp).toBeCloseTo(1.3101, 3)
  })
})
