import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Db, openDatabase } from '../../src-main/engine/db/connection'
import { writeRepeatedExport } from '../bench/big-export'
import { removeOrphanedFiles } from '../../src-main/engine/import/stored-file'
import { REPO_ROOT, fileRef, runJob, startTestEngine, tempDir, waitForFinished } from '../helpers'
import { AROMATASE } from '../reference-csv'

function activityIndexes(db: Db): string[] {
  return db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activity_records' AND sql IS NOT NULL ORDER BY name",
    )
    .pluck()
    .all() as string[]
}

describe('an import is all or nothing', () => {
  const dir = tempDir()
  const big = join(dir.path, 'big-export.csv')

  beforeAll(async () => {
    await writeRepeatedExport(AROMATASE, big, 60_000)
  })
  afterAll(() => dir.remove())

  it('leaves no trace when cancelled, and the next import works', async () => {
    const engine = startTestEngine(join(dir.path, 'cancel'))
    try {
      const started = await engine.invoke('imports.start', {
        file: await fileRef(engine, big),
        computeDescriptors: false,
      })
      if (!started.ok) throw new Error(started.error.message)
      const finished = waitForFinished(engine, started.value.jobId)
      await new Promise<void>((resolve) => {
        const off = engine.subscribe((event, payload) => {
          if (
            event === 'job.progress' &&
            'rows' in payload &&
            (payload.rows ?? 0) > 0 &&
            payload.phase === 'importing rows'
          ) {
            off()
            resolve()
          }
        })
      })
      expect(await engine.invoke('jobs.cancel', { jobId: started.value.jobId })).toEqual({
        ok: true,
        value: { cancelled: true },
      })
      expect((await finished).state).toBe('cancelled')
      const db = engine.context.db
      for (const table of [
        'imports',
        'activities',
        'activity_records',
        'activity_contexts',
        'compounds',
        'import_rejections',
        'audit_log',
      ]) {
        expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 })
      }
      // the indexes a big import rebuilds at its end are back as they were
      expect(activityIndexes(db)).toEqual(['activity_records_compound', 'activity_records_context'])
      // no copy of the file is left behind
      expect(readdirSync(join(dir.path, 'cancel', 'imports'))).toEqual([])
      // the cancelled worker's write lock is gone: a new import commits
      const next = await runJob(engine, 'imports.start', {
        file: await fileRef(engine, AROMATASE),
        computeDescriptors: false,
      })
      expect(next.result).toMatchObject({ rowsTotal: 6099 })
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      await engine.close()
    }
  }, 120_000)

  it('finishes cleanly when the file is deleted while it is being read', async () => {
    const engine = startTestEngine(join(dir.path, 'deleted'))
    try {
      const doomed = join(dir.path, 'doomed.csv')
      copyFileSync(big, doomed)
      const started = await engine.invoke('imports.start', {
        file: await fileRef(engine, doomed),
        computeDescriptors: false,
      })
      if (!started.ok) throw new Error(started.error.message)
      const finished = waitForFinished(engine, started.value.jobId)
      await new Promise<void>((resolve) => {
        const off = engine.subscribe((event, payload) => {
          if (event === 'job.progress' && 'rows' in payload && (payload.rows ?? 0) > 0) {
            off()
            resolve()
          }
        })
      })
      rmSync(doomed)
      const result = await finished
      // Either the open file is read to its end, or the import fails with a clear error and keeps nothing.
      if (result.state === 'succeeded') {
        expect(result.result).toMatchObject({ rowsTotal: 60_000 })
        expect(activityIndexes(engine.context.db)).toEqual([
          'activity_records_compound',
          'activity_records_context',
        ])
        expect(
          engine.context.db
            .prepare(
              'SELECT count(*) AS n FROM activity_records INDEXED BY activity_records_compound WHERE compound_id > 0',
            )
            .get(),
        ).toEqual(engine.context.db.prepare('SELECT count(*) AS n FROM activities').get())
      } else {
        expect(result.error?.code).toBe('file-not-readable')
        expect(engine.context.db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({
          n: 0,
        })
      }
      expect((await engine.invoke('app.status', {})).ok).toBe(true)
    } finally {
      await engine.close()
    }
  }, 120_000)

  it('leaves no trace when the process is killed mid-import', async () => {
    const dataDir = join(dir.path, 'killed')
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'tests/fixtures/kill-during-import.ts'), dataDir, big],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const seen = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (/writing \d+/.test(out) || out.includes('finished')) resolve(out)
      })
      child.on('exit', () => resolve(out))
      child.on('error', reject)
    })
    expect(seen).toMatch(/writing \d+/)
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))

    const db = openDatabase(dataDir)
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      for (const table of ['imports', 'activities', 'compounds', 'import_rejections']) {
        expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 })
      }
    } finally {
      db.close()
    }
  }, 120_000)
})

describe('imports started together', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('run one after the other and all commit', async () => {
    const engine = startTestEngine(join(dir.path, 'data'))
    try {
      const files = ['a', 'b', 'c'].map((name) => {
        const path = join(dir.path, `${name}.csv`)
        writeFileSync(path, `smiles,pIC50\nC${name === 'a' ? '' : 'C'}O,5\nc1ccccc1${name},6\n`)
        return path
      })
      // descriptors on: the reading phases overlap, the writing phases must not
      const results = await Promise.all(
        files.map(async (f) =>
          runJob(engine, 'imports.start', {
            file: await fileRef(engine, f),
            computeDescriptors: true,
          }),
        ),
      )
      expect(results.map((r) => r.state)).toEqual(['succeeded', 'succeeded', 'succeeded'])
      expect(engine.context.db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 3 })
    } finally {
      await engine.close()
    }
  }, 60_000)
})

describe('leftover files', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('are removed when a day old and not part of an import', () => {
    const db = openDatabase(dir.path)
    try {
      mkdirSync(join(dir.path, 'imports'))
      mkdirSync(join(dir.path, 'uploads'))
      const old = Date.now() / 1000 - 2 * 24 * 3600
      for (const name of ['imports/orphan.csv', 'uploads/done.csv', 'imports/fresh.csv'])
        writeFileSync(join(dir.path, name), 'x')
      utimesSync(join(dir.path, 'imports/orphan.csv'), old, old)
      utimesSync(join(dir.path, 'uploads/done.csv'), old, old)
      expect(removeOrphanedFiles(db, dir.path)).toBe(2)
      expect(readdirSync(join(dir.path, 'imports'))).toEqual(['fresh.csv'])
    } finally {
      db.close()
    }
  })
})
