import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupInfo, CallResult, Events } from '../../src-main/contract'
import { type Engine, createEngine } from '../../src-main/engine/engine'
import { databasePath } from '../../src-main/engine/db/connection'
import { seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { REPO_ROOT, WORKER_SOURCE, startTestEngine, tempDir } from '../helpers'

/** Today as YYYY-MM-DD in local time, by the Swedish locale's date format (ISO order). */
const today = () => new Date().toLocaleDateString('sv-SE')

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

async function ok<T>(p: Promise<CallResult<T>>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

/** The rows of the tables a scientist's work lives in, in a stable order. */
function contents(db: Database.Database) {
  const tables = [
    'imports',
    'compounds',
    'activity_contexts',
    'activity_records',
    'model_versions',
    'training_runs',
    'audit_log',
    'settings',
  ]
  return Object.fromEntries(
    tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]),
  )
}

/**
 * Overwrites the first table page of `table` (its root page, as SQLite's own schema table says,
 * read with Python's sqlite3) with a byte pattern no b-tree page can start with.
 */
function damageTablePage(path: string, table: string): void {
  const rootpage = Number(
    execFileSync('/usr/bin/python3', [
      '-c',
      'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (sys.argv[2],)).fetchone()[0])',
      path,
      table,
    ]).toString(),
  )
  // page size: header bytes 16-17, big-endian
  const pageSize = readFileSync(path).readUInt16BE(16)
  expect(rootpage).toBeGreaterThan(1)
  const fd = openSync(path, 'r+')
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize)
  closeSync(fd)
}

describe('database check, backups and restore', () => {
  const dir = tempDir()
  const dataDir = join(dir.path, 'data')
  const backups = join(dataDir, 'backups')
  let engine: Engine
  beforeAll(async () => {
    engine = startTestEngine(dataDir)
    // real rows over many pages: the synthetic sample and the baseline model
    await seedSampleIfEmpty(engine.context, REPO_ROOT)
  }, 120_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  it('finds a sound database sound', async () => {
    const check = await ok(engine.invoke('database.check', {}))
    expect(check).toMatchObject({ ok: true, problems: [], advice: null })
    const status = await ok(engine.invoke('database.status', {}))
    expect(status.lastCheck).toEqual(check)
  })

  it('backs up and restores: the rows come back as they were', async () => {
    const before = contents(engine.context.db)
    expect((before.activity_records as unknown[]).length).toBeGreaterThan(1000)
    const made = await ok(engine.invoke('backups.create', {}))
    expect(made.name).toBe(`workbench-${today()}.sqlite`)
    expect(made.path).toBe(join(backups, made.name))
    // a single file: no write-ahead log beside it that a copy could miss
    expect(readdirSync(backups)).toEqual([made.name])
    expect(readFileSync(made.path).readUInt32BE(68)).toBe(0x41735762)

    // the user's work changes after the backup
    await ok(engine.invoke('sample.remove', {}))
    await ok(engine.invoke('settings.set', { key: 'theme', value: 'dark' }))
    const changed = contents(engine.context.db)
    expect(changed).not.toEqual(before)

    const restored = await ok(engine.invoke('backups.restore', { name: made.name }))
    expect(restored.restoredFrom).toBe(made.path)
    expect(contents(engine.context.db)).toEqual(before)
    // the database that was in use is kept, not deleted
    expect(restored.keptAs).toMatch(/workbench\.sqlite\.before-restore-/)
    const kept = new Database(restored.keptAs as string, { readonly: true })
    expect(contents(kept)).toEqual(changed)
    kept.close()
    // the engine goes on reading and writing through the new connection
    await ok(engine.invoke('settings.set', { key: 'theme', value: 'light' }))
    expect((await ok(engine.invoke('settings.get', {}))).theme).toBe('light')
    expect((await ok(engine.invoke('models.list', {}))).map((m) => m.stage)).toEqual(['production'])
    // and the restored file was checked
    expect((await ok(engine.invoke('database.status', {}))).lastCheck?.ok).toBe(true)
  }, 60_000)

  it('keeps the newest seven daily backups and nothing else of its own', async () => {
    const [newest] = await ok(engine.invoke('backups.list', {}))
    for (let day = 1; day <= 9; day++)
      copyFileSync(newest?.path as string, join(backups, `workbench-2020-01-0${day}.sqlite`))
    writeFileSync(join(backups, 'notes.txt'), 'kept by hand')
    await ok(engine.invoke('backups.create', {}))
    expect((await ok(engine.invoke('backups.list', {}))).map((b) => b.name)).toEqual([
      `workbench-${today()}.sqlite`,
      'workbench-2020-01-09.sqlite',
      'workbench-2020-01-08.sqlite',
      'workbench-2020-01-07.sqlite',
      'workbench-2020-01-06.sqlite',
      'workbench-2020-01-05.sqlite',
      'workbench-2020-01-04.sqlite',
    ])
    expect(existsSync(join(backups, 'notes.txt'))).toBe(true)
  }, 60_000)

  it('refuses a foreign or damaged backup and changes nothing', async () => {
    const foreign = join(backups, 'workbench-2019-12-31.sqlite')
    const raw = new Database(foreign)
    raw.exec(
      "CREATE TABLE plates (id INTEGER PRIMARY KEY, barcode TEXT); INSERT INTO plates VALUES (1, 'P1')",
    )
    raw.close()
    const damaged = join(backups, 'workbench-2019-12-30.sqlite')
    copyFileSync(join(backups, `workbench-${today()}.sqlite`), damaged)
    damageTablePage(damaged, 'activity_records')

    const rows = contents(engine.context.db)
    const folder = () => readdirSync(dataDir).sort()
    const files = folder()
    const hashes = [databasePath(dataDir), foreign, damaged].map(sha256)

    const notOurs = await engine.invoke('backups.restore', { name: 'workbench-2019-12-31.sqlite' })
    expect(!notOurs.ok && notOurs.error.code).toBe('not-our-database')
    expect(!notOurs.ok && notOurs.error.message).toMatch(
      /not an Assay Workbench backup.*Nothing was changed/,
    )
    const broken = await engine.invoke('backups.restore', { name: 'workbench-2019-12-30.sqlite' })
    expect(!broken.ok && broken.error.code).toBe('database-damaged')
    expect(!broken.ok && broken.error.message).toMatch(/damaged itself.*Choose an older backup/)

    expect(folder()).toEqual(files)
    expect([databasePath(dataDir), foreign, damaged].map(sha256)).toEqual(hashes)
    expect(contents(engine.context.db)).toEqual(rows)
    const missing = await engine.invoke('backups.restore', { name: 'workbench-1999-01-01.sqlite' })
    expect(!missing.ok && missing.error.code).toBe('not-found')
  }, 60_000)

  it('refuses to restore while a job runs', async () => {
    const { jobId } = await ok(engine.invoke('app.selfTest', { delayMs: 500 }))
    const [latest] = await ok(engine.invoke('backups.list', {}))
    const refused = await engine.invoke('backups.restore', { name: latest?.name as string })
    expect(!refused.ok && refused.error.code).toBe('not-allowed')
    expect(!refused.ok && refused.error.message).toMatch(/while a job is running/)
    await ok(engine.invoke('jobs.cancel', { jobId }))
  })

  it('reports a damaged page with plain advice on what to do', async () => {
    // a copy of the database with one table page overwritten
    engine.context.db.pragma('wal_checkpoint(TRUNCATE)')
    const copyDir = join(dir.path, 'damaged')
    mkdirSync(copyDir)
    copyFileSync(databasePath(dataDir), databasePath(copyDir))
    damageTablePage(databasePath(copyDir), 'activity_records')
    const other = startTestEngine(copyDir)
    try {
      const check = await ok(other.invoke('database.check', {}))
      expect(check.ok).toBe(false)
      expect(check.problems.length).toBeGreaterThan(0)
      expect(check.advice).toMatch(/Settings > Database > Restore/)
      expect(check.advice).toMatch(/assay restore FILE/)
      expect(check.advice).toMatch(/There is no backup yet: copy the whole data folder/)
    } finally {
      await other.close()
    }
  }, 60_000)

  it('checks the database after start and takes the day’s backup in a long-running engine', async () => {
    const folder = join(dir.path, 'long-running')
    const app = createEngine({
      dataDir: folder,
      host: 'test',
      workerPath: WORKER_SOURCE,
      exclusive: true,
      maintenance: true,
    })
    try {
      const checked = await new Promise<Events['database.checked']>((resolve) => {
        const off = app.subscribe((event, payload) => {
          if (event !== 'database.checked') return
          off()
          resolve(payload as Events['database.checked'])
        })
      })
      expect(checked.ok).toBe(true)
      // the backup follows the check
      let backups: BackupInfo[] = []
      while (backups.length === 0) {
        await new Promise((r) => setTimeout(r, 100))
        backups = await ok(app.invoke('backups.list', {}))
      }
      expect(backups.map((b) => b.name)).toEqual([`workbench-${today()}.sqlite`])
      const status = await ok(app.invoke('database.status', {}))
      expect(status.lastCheck?.ok).toBe(true)
      expect(status.backupError).toBeNull()
    } finally {
      await app.close()
    }
  }, 60_000)
})
