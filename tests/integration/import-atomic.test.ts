import { spawn } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Db, openDatabase } from '../../src-main/engine/db/connection'
import { writeRepeatedExport } from '../bench/big-export'
import { removeOrphanedFiles } from '../../src-main/engine/import/stored-file'
import {
  fileRef,
  runJob,
  startFixtureProcess,
  startTestEngine,
  tempDir,
  waitForFinished,
} from '../helpers'
import { AROMATASE } from '../reference-csv'

/** Files in a folder of a data folder, sorted ([] when it does not exist). */
function filesIn(dataDir: string, folder: string): string[] {
  const path = join(dataDir, folder)
  return existsSync(path) ? readdirSync(path).sort() : []
}

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
      expect(activityIndexes(db)).toEqual([
        'activity_records_activity_id',
        'activity_records_compound',
        'activity_records_context',
      ])
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
          'activity_records_activity_id',
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

  it('leaves no trace when the process is killed mid-import, and its files go at the next start', async () => {
    const dataDir = join(dir.path, 'killed')
    const child = startFixtureProcess('kill-during-import.ts', [dataDir, big])
    expect(await child.output(/writing \d+|finished/)).toMatch(/writing \d+/)
    await child.kill()

    const db = openDatabase(dataDir)
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      for (const table of ['imports', 'activities', 'compounds', 'import_rejections']) {
        expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 })
      }
    } finally {
      db.close()
    }
    // the killed import's copy of the file, staging database and lease are still there ...
    expect(filesIn(dataDir, 'imports')).toHaveLength(1)
    const staging = filesIn(dataDir, 'staging')
    // ... until the next start, which removes them at once
    const engine = startTestEngine(dataDir)
    try {
      expect(filesIn(dataDir, 'imports')).toEqual([])
      expect(staging.map((f) => f.replace(/^[^.]*/, '')).sort()).toEqual(['.lease', '.sqlite'])
      expect(filesIn(dataDir, 'staging')).toEqual([])
    } finally {
      await engine.close()
    }
  }, 120_000)

  it('keeps the files of an import running in another process when an engine starts', async () => {
    const dataDir = join(dir.path, 'running')
    const child = startFixtureProcess('kill-during-import.ts', [dataDir, big])
    try {
      expect(await child.output(/writing \d+|finished/)).toMatch(/writing \d+/)
      const before = filesIn(dataDir, 'imports')
      expect(before).toHaveLength(1)
      // another engine starts on the same data folder while the import is writing rows
      const engine = startTestEngine(dataDir)
      await engine.close()
      // (it was: the import had not finished)
      expect(child.printed()).not.toMatch(/finished/)
      expect(filesIn(dataDir, 'imports')).toEqual(before)
      const finished = await child.output(/finished .*/)
      expect(JSON.parse(/finished (.*)/.exec(finished)?.[1] ?? 'null')).toMatchObject({
        state: 'succeeded',
      })
    } finally {
      await child.kill()
    }
    const db = openDatabase(dataDir)
    try {
      const stored = db.prepare('SELECT stored_file FROM imports').pluck().all() as string[]
      expect(stored).toHaveLength(1)
      expect(statSync(join(dataDir, stored[0] as string)).size).toBe(statSync(big).size)
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

  /** The id of a process that has ended. */
  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', ''])
    await new Promise((resolve) => child.once('exit', resolve))
    return child.pid as number
  }

  it('are removed at once unless an import owns them; uploads when a day old', async () => {
    const db = openDatabase(dir.path)
    // another process, alive while the cleaner runs
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      for (const folder of ['imports', 'uploads', 'staging']) mkdirSync(join(dir.path, folder))
      const files = {
        committed: 'imports/committed.csv',
        orphan: 'imports/orphan.csv',
        running: 'imports/running.csv',
        runningStaging: 'staging/running.sqlite',
        killed: 'imports/killed.csv',
        killedStaging: 'staging/killed.sqlite',
        oldUpload: 'uploads/done.csv',
        newUpload: 'uploads/new.csv',
      }
      for (const name of Object.values(files)) writeFileSync(join(dir.path, name), 'x')
      const old = Date.now() / 1000 - 2 * 24 * 3600
      utimesSync(join(dir.path, files.oldUpload), old, old)
      writeFileSync(
        join(dir.path, 'staging/running.lease'),
        JSON.stringify({
          pid: alive.pid,
          stagingFile: files.runningStaging,
          storedFile: files.running,
        }),
      )
      writeFileSync(
        join(dir.path, 'staging/killed.lease'),
        JSON.stringify({
          pid: await deadPid(),
          stagingFile: files.killedStaging,
          storedFile: files.killed,
        }),
      )
      db.prepare(
        `INSERT INTO imports (file_name, file_size, file_sha256, format, delimiter, header_json, stored_file,
           mapping_json, rows_total, rows_accepted, rows_rejected, started_at, finished_at)
         VALUES ('committed.csv', 1, ?, 'csv', ',', '[]', ?, '{}', 0, 0, 0, '', '')`,
      ).run('0'.repeat(64), files.committed)

      // orphan, the killed import's copy, staging file and lease, and the old upload
      expect(removeOrphanedFiles(db, dir.path)).toBe(5)
      expect(filesIn(dir.path, 'imports')).toEqual(['committed.csv', 'running.csv'])
      expect(filesIn(dir.path, 'staging')).toEqual(['running.lease', 'running.sqlite'])
      expect(filesIn(dir.path, 'uploads')).toEqual(['new.csv'])
    } finally {
      alive.kill()
      db.close()
    }
  })
})
