import { createHash } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { databasePath } from '../../src-main/engine/db/connection'
import { LATEST_SCHEMA_VERSION } from '../../src-main/engine/db/migrations'
import { HELP } from '../../src-main/hosts/cli-commands'
import { REPO_ROOT, startTestEngine, tempDir } from '../helpers'
import { assay } from '../cli-helpers'
import { seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { ACHE, AROMATASE, aromataseIc50, readTable } from '../reference-csv'

describe('assay CLI', () => {
  let dir: ReturnType<typeof tempDir>
  // The data folder is a subfolder: the files a test writes beside it must lie outside it, since
  // the engine reads no file in its own data folder.
  const data = () => join(dir.path, 'data')
  beforeEach(() => {
    dir = tempDir()
  })
  afterEach(() => dir.remove())

  it('prints help', async () => {
    const r = await assay('--help')
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(HELP)
    expect(r.stdout).toMatch(/assay status \[--json\] \[--data-dir D\]/)
  })

  it('status --json creates the database and prints versions and the schema version', async () => {
    const dataDir = join(dir.path, 'x')
    const r = await assay('status', '--json', '--data-dir', dataDir)
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    const status = JSON.parse(r.stdout)
    expect(status).toMatchObject({
      schemaVersion: LATEST_SCHEMA_VERSION,
      dataDir,
      versions: { node: process.versions.node },
    })
    expect(existsSync(databasePath(dataDir))).toBe(true)
    const db = new Database(databasePath(dataDir), { readonly: true })
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
    db.close()
  })

  it('fails with one line and a non-zero code', async () => {
    const unknown = await assay('frobnicate')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe('assay: unknown command "frobnicate" (see assay --help)\n')
    const badFlag = await assay('status', '--colour')
    expect(badFlag.code).toBe(2)
    expect(badFlag.stderr.trim().split('\n')).toHaveLength(1)

    const dataDir = join(dir.path, 'newer')
    await assay('status', '--data-dir', dataDir)
    const db = new Database(databasePath(dataDir))
    db.pragma('user_version = 999')
    db.close()
    const tooNew = await assay('status', '--data-dir', dataDir)
    expect(tooNew.code).toBe(1)
    expect(tooNew.stderr).toMatch(
      /^assay: This data folder was last used by a newer Assay Workbench.*\n$/,
    )
    expect(tooNew.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('runs the self-test', async () => {
    const r = await assay('self-test', '--json', '--data-dir', data())
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.molecules).toHaveLength(8)
    expect(result.molecules[0]).toMatchObject({ smiles: 'CCO', hbd: 1 })
  })

  it('imports files and prints one JSON object per file with the documented fields', async () => {
    const generic = join(dir.path, 'mine.csv')
    writeFileSync(generic, 'Compound Code,Structure,pIC50\nA1,CCO,5.5\nA2,c1ccccc1,\nA3,CCN,6.1\n')
    const r = await assay(
      'import',
      ACHE,
      AROMATASE,
      '--no-descriptors',
      '--json',
      '--data-dir',
      data(),
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    // the same command twice: the second run must see the first import of this file
    const importMine = () =>
      assay(
        'import',
        generic,
        '--no-descriptors',
        '--json',
        '--map',
        'Structure=smiles',
        '--data-dir',
        data(),
      )
    const own = await importMine()
    expect(own.code).toBe(0)
    const lines = [...r.stdout.trim().split('\n'), own.stdout.trim()].map((l) => JSON.parse(l))
    expect(lines).toHaveLength(3)
    for (const key of [
      'importId',
      'file',
      'format',
      'rowsTotal',
      'rowsAccepted',
      'rowsRejected',
      'rejectionsByReason',
      'compoundsNew',
      'compoundsUpdated',
      'activities',
      'seconds',
      'rowsPerSecond',
    ]) {
      expect(lines[0]).toHaveProperty(key)
    }
    expect(lines[0]).toMatchObject({
      file: 'chembl_ache_CHEMBL220_api_dump.csv',
      format: 'chembl-api',
      rowsTotal: 7026,
    })
    expect(lines[1]).toMatchObject({
      file: 'chembl_aromatase_CHEMBL1978_export.csv',
      format: 'chembl-web',
      rowsTotal: 6099,
    })
    expect(lines[2]).toMatchObject({
      file: 'mine.csv',
      format: 'generic',
      rowsTotal: 3,
      rowsAccepted: 2,
      rowsRejected: 1,
      rejectionsByReason: { 'missing-value': 1 },
    })

    const again = await importMine()
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ skipped: true, importId: null })
  }, 120_000)

  it('exits non-zero only when an import fails, with one line per failure', async () => {
    const r = await assay('import', join(dir.path, 'missing.csv'), '--data-dir', data())
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /^assay: missing\.csv: The file .* cannot be read: it does not exist.*\n$/,
    )
    const bad = await assay(
      'import',
      '--map',
      'nonsense',
      join(dir.path, 'x.csv'),
      '--data-dir',
      data(),
    )
    expect(bad.code).toBe(2)
  })

  it('will not import its own database or another file of its data folder', async () => {
    expect((await assay('status', '--data-dir', data())).code).toBe(0)
    writeFileSync(join(data(), 'inside.csv'), 'smiles,pIC50\nCCO,5\n')
    const r = await assay(
      'import',
      databasePath(data()),
      `${databasePath(data())}-wal`,
      join(data(), 'inside.csv'),
      '--data-dir',
      data(),
    )
    expect(r.code).toBe(1)
    const lines = r.stderr.trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^assay: workbench\.sqlite: .*the workbench's own database/)
    expect(lines[1]).toMatch(/^assay: workbench\.sqlite-wal: .*the workbench's own database/)
    expect(lines[2]).toMatch(/^assay: inside\.csv: .*inside the workbench's data folder/)
  })

  it('lists compounds with their four seed features', async () => {
    const file = join(dir.path, 'props.csv')
    writeFileSync(
      file,
      'molecule_chembl_id,canonical_smiles,mw_freebase,alogp,hba,hbd\nCHEMBL25,CC(=O)Oc1ccccc1C(=O)O,180.16,1.31,3,1\n',
    )
    expect((await assay('import', file, '--no-descriptors', '--data-dir', data())).code).toBe(0)
    const r = await assay('compounds', '--json', '--limit', '5', '--data-dir', data())
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({
      total: 1,
      compounds: [
        {
          chemblId: 'CHEMBL25',
          name: null,
          smiles: 'CC(=O)Oc1ccccc1C(=O)O',
          mw_freebase: 180.16,
          alogp: 1.31,
          hba: 3,
          hbd: 1,
          sources: { mw_freebase: 'file', alogp: 'file', hba: 'file', hbd: 'file' },
          activities: 0,
        },
      ],
    })
    const text = await assay('compounds', '--data-dir', data())
    expect(text.stdout).toContain('CHEMBL25')
    expect((await assay('compounds', '--limit', 'lots', '--data-dir', data())).code).toBe(2)
  })

  it('trains, lists, promotes and exports a model', async () => {
    expect((await assay('import', AROMATASE, '--data-dir', data())).code).toBe(0)
    const r = await assay('train', '--learner', 'ridge', '--json', '--data-dir', data())
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const trained = JSON.parse(r.stdout)
    expect(Object.keys(trained)).toEqual(
      expect.arrayContaining([
        'modelVersion',
        'learner',
        'featureSet',
        'rows',
        'cv',
        'intervalCoverage',
        'seconds',
      ]),
    )
    expect(trained).toMatchObject({
      modelVersion: 'v1',
      learner: 'ridge',
      featureSet: 'core4',
      // one row per molecule with an undoubted IC50 in nM (2,285 in the file)
      rows: aromataseIc50(readTable(AROMATASE, ';').rows).undoubtedMolecules,
    })
    expect(Object.keys(trained.cv).sort()).toEqual(['mae', 'r2', 'rmse', 'spearman'])
    expect(
      (await assay('promote', 'v1', '--reason', 'baseline', '--data-dir', data())).stdout,
    ).toMatch(/v1 is now the production model of CHEMBL1978/)
    const models = JSON.parse((await assay('models', '--json', '--data-dir', data())).stdout)
    expect(
      models.map((m: { version: string; stage: string }) => `${m.version} ${m.stage}`),
    ).toEqual(['v1 production'])
    const out = join(dir.path, 'exported')
    expect((await assay('export-model', 'v1', '--out', out, '--data-dir', data())).code).toBe(0)
    const card = JSON.parse(readFileSync(`${out}.json`, 'utf8'))
    expect(card.onnxSha256).toBe(
      createHash('sha256')
        .update(readFileSync(`${out}.onnx`))
        .digest('hex'),
    )
    expect(card.featureNames).toEqual(['mw_freebase', 'alogp', 'hba', 'hbd'])
    const inside = await assay(
      'export-model',
      'v1',
      '--out',
      join(data(), 'm'),
      '--data-dir',
      data(),
    )
    expect(inside.code).toBe(1)
    expect(inside.stderr).toMatch(/^assay: "m\.onnx" is inside the workbench's data folder/)
    expect(existsSync(join(data(), 'm.onnx'))).toBe(false)
    const bad = await assay('train', '--features', 'everything', '--data-dir', data())
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(
      /--features must be one of core4, physchem, physchem\+morgan, physchem-43, physchem-43\+morgan/,
    )
    const noReason = await assay('promote', 'v1', '--data-dir', data())
    expect(noReason.code).toBe(2)
    expect(noReason.stderr).toMatch(/promote needs --reason TEXT/)
    const missing = await assay('promote', 'v9', '--reason', 'typo', '--data-dir', data())
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no model version v9/)
  }, 120_000)

  it('predicts one compound and a file with the documented JSON, after the first-launch seeding', async () => {
    // `assay web` seeds a new data folder; the CLI itself never does, so a fresh folder has no model
    const none = await assay(
      'predict',
      '--mw',
      '350',
      '--alogp',
      '3',
      '--hba',
      '5',
      '--hbd',
      '1',
      '--data-dir',
      data(),
    )
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/no production model yet/)
    const engine = startTestEngine(data())
    await seedSampleIfEmpty(engine.context, REPO_ROOT)
    await engine.close()

    const single = await assay(
      'predict',
      '--mw',
      '350.4',
      '--alogp',
      '3.1',
      '--hba',
      '5',
      '--hbd',
      '1',
      '--json',
      '--data-dir',
      data(),
    )
    expect(single.stderr).toBe('')
    const one = JSON.parse(single.stdout)
    expect(Object.keys(one).sort()).toEqual([
      'inDomain',
      'interval',
      'modelVersion',
      'nM',
      'pActivity',
    ])
    expect(one.modelVersion).toBe('v1')
    expect(one.nM).toBeCloseTo(10 ** (9 - one.pActivity), -1)
    expect(one.interval[0]).toBeLessThan(one.pActivity)
    expect(one.interval[1]).toBeGreaterThan(one.pActivity)

    // the baseline is trained on file values: two rows with the four values can be scored, one
    // whose MW is not a number cannot
    const file = join(dir.path, 'in.csv')
    writeFileSync(
      file,
      'molecule_chembl_id,mw_freebase,alogp,hba,hbd\nA,350.4,3.1,5,1\nB,410.2,2.2,6,2\nC,heavy,3,5,1\n',
    )
    const out = join(dir.path, 'out.csv')
    const batch = await assay(
      'predict',
      '--input',
      file,
      '--out',
      out,
      '--json',
      '--data-dir',
      data(),
    )
    expect(batch.stderr).toBe('')
    const summary = JSON.parse(batch.stdout)
    expect(summary).toMatchObject({
      rowsScored: 2,
      rowsFailed: 1,
      failuresByReason: { 'non-numeric-value': 1 },
    })
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining([
        'batchId',
        'rowsScored',
        'rowsFailed',
        'failuresByReason',
        'seconds',
        'rowsPerSecond',
      ]),
    )
    expect(readFileSync(out, 'utf8').trim().split('\r\n')).toHaveLength(4)

    // --out names the database: refused before anything is written, and the database stays whole
    const clobber = await assay(
      'predict',
      '--input',
      file,
      '--out',
      databasePath(data()),
      '--data-dir',
      data(),
    )
    expect(clobber.code).toBe(1)
    expect(clobber.stderr).toMatch(/^assay: "workbench\.sqlite" is the workbench's own database/)
    const db = new Database(databasePath(data()), { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()

    const usage = await assay('predict', '--mw', '350', '--smiles', 'CCO', '--data-dir', data())
    expect(usage.code).toBe(2)
    const bad = await assay(
      'predict',
      '--mw=-3',
      '--alogp',
      '3',
      '--hba',
      '5',
      '--hbd',
      '1',
      '--data-dir',
      data(),
    )
    expect(bad.code).toBe(1)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toMatch(/MW must be a positive number below 5000/)
    // a SMILES alone: the baseline, trained on file values, refuses it in one line that says why
    const smilesOnly = await assay('predict', '--smiles', 'CCO', '--data-dir', data())
    expect(smilesOnly.code).toBe(1)
    expect(smilesOnly.stderr.trim().split('\n')).toHaveLength(1)
    expect(smilesOnly.stderr).toMatch(/trained on MW, AlogP, HBA and HBD values from a file/)
  }, 60_000)

  it('checks, backs up and restores the database, and refuses to restore under a running app', async () => {
    const engine = startTestEngine(dir.path)
    await seedSampleIfEmpty(engine.context, REPO_ROOT)
    await engine.close()
    const compounds = async () =>
      JSON.parse((await assay('compounds', '--json', '--data-dir', dir.path)).stdout)
        .total as number
    const seeded = await compounds()
    expect(seeded).toBeGreaterThan(100)

    const check = await assay('check', '--data-dir', dir.path)
    expect(check.code).toBe(0)
    expect(check.stdout).toMatch(/The database is sound/)
    const backup = await assay('backup', '--json', '--data-dir', dir.path)
    expect(backup.stderr).toBe('')
    const made = JSON.parse(backup.stdout)
    expect(made.path).toBe(
      join(dir.path, 'backups', `workbench-${new Date().toLocaleDateString('sv-SE')}.sqlite`),
    )

    // the work changes after the backup
    const later = startTestEngine(dir.path)
    expect((await later.invoke('sample.remove', {})).ok).toBe(true)
    await later.close()
    expect(await compounds()).toBe(0)

    // refused while the desktop app (or a web host) holds the folder: this process is alive
    const database = databasePath(dir.path)
    const sha = () => createHash('sha256').update(readFileSync(database)).digest('hex')
    const before = sha()
    writeFileSync(join(dir.path, 'engine.lock'), String(process.pid))
    const locked = await assay('restore', made.path, '--data-dir', dir.path)
    expect(locked.code).toBe(1)
    expect(locked.stderr).toMatch(
      new RegExp(
        `running with this data folder \\(process ${process.pid}\\)\\. Close it before restoring`,
      ),
    )
    rmSync(join(dir.path, 'engine.lock'))
    // refused: another program's SQLite file
    const foreign = join(dir.path, 'plates.sqlite')
    const raw = new Database(foreign)
    raw.exec('CREATE TABLE plates (barcode TEXT)')
    raw.close()
    const notOurs = await assay('restore', foreign, '--data-dir', dir.path)
    expect(notOurs.code).toBe(1)
    expect(notOurs.stderr).toMatch(/plates\.sqlite is not an Assay Workbench backup/)
    expect(sha()).toBe(before)
    expect(await compounds()).toBe(0)

    // a bare backup name is found in the folder's backups/
    const restored = await assay('restore', made.name, '--data-dir', dir.path)
    expect(restored.stderr).toBe('')
    expect(restored.code).toBe(0)
    expect(restored.stdout).toMatch(
      /^Restored the database from .*backups\/workbench-.*\.sqlite\.\n/,
    )
    expect(restored.stdout).toMatch(/kept as .*workbench\.sqlite\.before-restore-/)
    expect(await compounds()).toBe(seeded)
    expect(existsSync(join(dir.path, 'engine.lock'))).toBe(false)
    const usage = await assay('restore', '--data-dir', dir.path)
    expect(usage.code).toBe(2)
  }, 120_000)
})
