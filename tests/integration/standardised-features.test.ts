import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src-main/engine/engine'
import { fileRef, runJob, startTestEngine, tempDir } from '../helpers'
import { AROMATASE, readTable } from '../reference-csv'

const aromatase = readTable(AROMATASE, ';')

describe('training on rows without a target', () => {
  const dir = tempDir()
  const files = tempDir()
  let engine: Engine
  // 40 IC50 rows of the aromatase file written without the target columns, as a lab's own
  // spreadsheet might be: the importer keeps them, but with no target.
  const rows = aromatase.rows
    .filter((r) => r['Standard Type'] === 'IC50' && r['Standard Units'] === 'nM' && r.Smiles)
    .filter((r) => r['Standard Relation'] === "'='" && Number(r['Standard Value']) > 0)
    .slice(0, 40)
  beforeAll(async () => {
    engine = startTestEngine(dir.path)
    const path = join(files.path, 'no-target.csv')
    writeFileSync(
      path,
      'molecule_chembl_id,canonical_smiles,standard_type,standard_relation,standard_value,standard_units\n' +
        rows
          .map((r) =>
            [r['Molecule ChEMBL ID'], `"${r.Smiles}"`, 'IC50', '=', r['Standard Value'], 'nM'].join(
              ',',
            ),
          )
          .join('\n') +
        '\n',
    )
    const finished = await runJob(engine, 'imports.start', { file: await fileRef(engine, path) })
    if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  }, 120_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
    files.remove()
  })

  it('says how many usable rows lack a target and how to map one', async () => {
    const r = await engine.invoke('models.trainingSet', { featureSet: 'core4' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('not-enough-data')
    expect(r.error.message).toContain(`${rows.length} usable IC50 activities have no target`)
    expect(r.error.message).toContain('--map "COLUMN=target_chembl_id"')
    expect(r.error.message).toContain('mapping editor on the Import screen')
    expect(r.error.message).not.toContain('Import a ChEMBL export')
  })
})
