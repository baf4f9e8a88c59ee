import {
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FileRef, ImportSummary } from '../../src-main/contract'
import { databasePath } from '../../src-main/engine/db/connection'
import type { Engine } from '../../src-main/engine/engine'
import { fileRef, runJob, startTestEngine, tempDir } from '../helpers'

// The engine reads only files a host granted, and never a file of its own data folder: opening and
// closing its database outside SQLite drops SQLite's POSIX locks in this process, after which
// another reader may delete the WAL the engine is writing to.

const CSV =
  'molecule_chembl_id,canonical_smiles,standard_type,standard_relation,standard_value,standard_units\nCHEMBL1,CCO,IC50,=,10,nM\nCHEMBL2,CCN,IC50,=,20,nM\n'

describe('file references', () => {
  const dir = tempDir()
  const data = join(dir.path, 'data')
  const db = databasePath(data)
  const outside = (name: string) => join(dir.path, name)
  let engine: Engine

  beforeAll(async () => {
    engine = startTestEngine(data)
    writeFileSync(outside('first.csv'), CSV)
    writeFileSync(join(data, 'notes.csv'), CSV)
    const done = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, outside('first.csv')),
      computeDescriptors: false,
    })
    expect(done.state).toBe('succeeded')
  }, 60_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code)
  const refusal = async (promise: Promise<unknown>) =>
    promise.then(
      () => 'granted',
      (e: { code?: string }) => e.code,
    )

  it('will not grant the database, its -wal or -shm, or a symbolic or hard link to it', async () => {
    // WAL mode with an open connection: both side files exist
    expect(readdirSync(data)).toEqual(
      expect.arrayContaining(['workbench.sqlite', 'workbench.sqlite-wal', 'workbench.sqlite-shm']),
    )
    symlinkSync(db, outside('symlink.csv'))
    linkSync(db, outside('hardlink.csv'))
    linkSync(`${db}-wal`, outside('wal-link.csv'))
    for (const path of [
      db,
      `${db}-wal`,
      `${db}-shm`,
      outside('symlink.csv'),
      outside('hardlink.csv'),
      outside('wal-link.csv'),
    ]) {
      expect(await refusal(engine.grantFile(path)), path).toBe('file-not-allowed')
    }
    const error = await engine.grantFile(outside('hardlink.csv')).catch((e: Error) => e)
    expect((error as Error).message).toMatch(/workbench's own database/)
  })

  it('will not grant another file in the data folder, by any path', async () => {
    writeFileSync(`${db}-journal`, '')
    mkdirSync(join(data, 'uploads'), { recursive: true })
    writeFileSync(join(data, 'uploads', 'someone-elses.csv'), CSV)
    const stored = readdirSync(join(data, 'imports'))
    expect(stored).toHaveLength(1)
    symlinkSync(data, outside('alias'))
    symlinkSync(join(data, 'notes.csv'), outside('notes-link.csv'))
    for (const path of [
      join(data, 'notes.csv'),
      `${db}-journal`,
      join(data, 'imports', stored[0]!),
      // an upload is readable only through the grant made when it was saved
      join(data, 'uploads', 'someone-elses.csv'),
      `${data}/../data/notes.csv`,
      join(outside('alias'), 'notes.csv'),
      join(outside('alias'), 'workbench.sqlite'),
      outside('notes-link.csv'),
    ]) {
      expect(await refusal(engine.grantFile(path)), path).toBe('file-not-allowed')
    }
    rmSync(`${db}-journal`)
  })

  it('refuses at use time a granted file that has since become the database', async () => {
    const path = outside('innocent.csv')
    const swap = async (to: 'symlink' | 'hardlink' | 'data-folder'): Promise<FileRef> => {
      rmSync(path, { force: true })
      writeFileSync(path, CSV)
      const ref = await fileRef(engine, path)
      rmSync(path)
      if (to === 'symlink') symlinkSync(db, path)
      else if (to === 'hardlink') linkSync(db, path)
      else symlinkSync(join(data, 'notes.csv'), path)
      return ref
    }
    const before = engine.context.db.prepare('SELECT count(*) AS n FROM imports').get()
    for (const to of ['symlink', 'hardlink', 'data-folder'] as const) {
      const preview = await engine.invoke('imports.preview', { file: await swap(to) })
      expect(code(preview), `preview, ${to}`).toBe('file-not-allowed')
      const start = await engine.invoke('imports.start', { file: await swap(to) })
      expect(code(start), `import, ${to}`).toBe('file-not-allowed')
      const batch = await engine.invoke('predictions.batch', { file: await swap(to) })
      expect(code(batch), `predictions, ${to}`).toBe('file-not-allowed')
      const ref = await swap(to)
      const model = await engine.invoke('models.import', { onnx: ref, card: ref })
      expect(code(model), `model import, ${to}`).toBe('file-not-allowed')
    }
    expect(engine.context.db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual(before)
    // A second connection, as another process's reader would open, finds the database whole.
    const reader = new Database(db, { readonly: true })
    expect(reader.pragma('integrity_check', { simple: true })).toBe('ok')
    reader.close()
  })

  it('takes no paths from a caller: only handles the engine gave out', async () => {
    for (const path of ['/etc/passwd', 'uploads/../../../../etc/passwd', db]) {
      const file = { path, name: 'passwd', size: 10 }
      for (const r of [
        await engine.call('imports.preview', { file }),
        await engine.call('imports.start', { file }),
        await engine.call('predictions.batch', { file }),
        await engine.call('models.import', { onnx: file, card: file }),
      ]) {
        expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
        expect(JSON.stringify(r)).not.toContain('root:')
      }
    }
    const granted = await fileRef(engine, outside('first.csv'))
    // a handle with a path beside it is refused too
    expect(
      code(await engine.call('imports.preview', { file: { ...granted, path: '/etc/passwd' } })),
    ).toBe('invalid-input')
    // well-formed but never given out
    const forged = { handle: '0123456789abcdef0123456789abcdef', name: 'x.csv', size: 1 }
    const r = await engine.call('imports.preview', { file: forged })
    expect(r).toMatchObject({ ok: false, error: { code: 'file-not-allowed' } })
    expect(
      code(await engine.call('imports.preview', { file: { ...forged, handle: '../x' } })),
    ).toBe('invalid-input')
    // the one given out works
    const preview = await engine.invoke('imports.preview', { file: granted })
    expect(preview.ok && preview.value.header[0]).toBe('molecule_chembl_id')
    // a host must give a full path: a relative one would depend on the engine's working folder
    expect(await refusal(engine.grantFile('first.csv'))).toBe('invalid-input')
  })

  it('lets an upload be read through its own grant only, and only while it is the same file', async () => {
    const upload = join(data, 'uploads', 'mine.csv')
    writeFileSync(upload, CSV)
    const ref = await engine.grantFile(upload, { name: 'My file.csv', upload: true })
    expect(ref).toEqual({
      handle: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'My file.csv',
      size: CSV.length,
    })
    const preview = await engine.invoke('imports.preview', { file: ref })
    expect(preview.ok && preview.value.file).toEqual({ name: 'My file.csv', size: CSV.length })
    // the same path without the upload grant, and the grant once the file was replaced
    expect(await refusal(engine.grantFile(upload))).toBe('file-not-allowed')
    // another file put in its place (written beside it first, so it is surely another inode)
    writeFileSync(`${upload}.new`, CSV)
    renameSync(`${upload}.new`, upload)
    expect(code(await engine.invoke('imports.preview', { file: ref }))).toBe('file-not-allowed')
    rmSync(upload)
    symlinkSync(join(data, 'notes.csv'), upload)
    expect(code(await engine.invoke('imports.preview', { file: ref }))).toBe('file-not-allowed')
    // an upload grant does not stretch to the database
    expect(await refusal(engine.grantFile(db, { upload: true }))).toBe('file-not-allowed')
  })

  it('imports a granted file under the name the host gave, not one the page sends', async () => {
    writeFileSync(outside('second.csv'), CSV.replaceAll('CHEMBL', 'CHEMBLX'))
    const ref = await fileRef(engine, outside('second.csv'))
    const done = await runJob(engine, 'imports.start', {
      file: { ...ref, name: 'renamed-by-page.csv' },
      computeDescriptors: false,
    })
    expect((done.result as ImportSummary).file).toBe('second.csv')
  })
})
