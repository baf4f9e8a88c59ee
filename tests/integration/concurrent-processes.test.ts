import { execFile } from 'node:child_process'
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { databasePath } from '../../src-main/engine/db/connection'
import { REPO_ROOT, fileRef, runJob, startTestEngine, tempDir } from '../helpers'
import { AROMATASE } from '../reference-csv'

const CHILD = join(REPO_ROOT, 'tests/fixtures/engine-child.ts')

/** Runs the child fixture and resolves with the JSON it prints. */
function child(args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CHILD, ...args],
      { cwd: REPO_ROOT, timeout: 240_000 },
      (error, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''))
        } catch {
          reject(new Error(`child printed no outcome (${String(error)}): ${stdout}\n${stderr}`))
        }
      },
    )
  })
}

/** Every table, index, view and trigger with its SQL, and the schema version. */
function schemaOf(dataDir: string) {
  const db = new Database(databasePath(dataDir), { readonly: true })
  try {
    return {
      objects: db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name').all(),
      version: db.pragma('user_version', { simple: true }) as number,
      integrity: db.pragma('integrity_check', { simple: true }) as string,
    }
  } finally {
    db.close()
  }
}

/** A start time both children wait for after loading (a few seconds on a busy machine). */
const startAt = () => String(Date.now() + 4000)

describe('two processes opening a new data folder at once', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('both succeed and leave the complete schema, twelve folders in a row', async () => {
    // Before migrations took the write lock and read the version again under it, both saw
    // version 0 and the second failed with "table settings already exists": about one pair in
    // three when the two opened within 10 ms of each other. The children open twelve new
    // folders, the second child 0, 1, 2, ... 11 ms after the first.
    const dirs = Array.from({ length: 12 }, (_, i) => join(dir.path, `folder-${i}`))
    const alone = join(dir.path, 'alone')
    const at = startAt()
    const [first, second, single] = await Promise.all([
      child(['open', at, '0', ...dirs]),
      child(['open', at, '1', ...dirs]),
      // the schema one process alone makes, for comparison
      child(['open', at, '0', alone]),
    ])
    const opened = dirs.map(() => ({ opened: true }))
    expect(first).toEqual(opened)
    expect(second).toEqual(opened)
    expect(single).toEqual([{ opened: true }])
    for (const dataDir of dirs) expect(schemaOf(dataDir), dataDir).toEqual(schemaOf(alone))
  }, 120_000)
})

describe('two processes training at once on one data folder', () => {
  const dir = tempDir()
  const template = join(dir.path, 'template')
  beforeAll(async () => {
    const engine = startTestEngine(template)
    try {
      const finished = await runJob(engine, 'imports.start', {
        file: await fileRef(engine, AROMATASE),
      })
      if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
    } finally {
      await engine.close()
    }
  }, 120_000)
  afterAll(() => dir.remove())

  it('register both models, each with its runs, three pairs in a row', async () => {
    // Random forests: their ONNX export took seconds inside the registration transaction, so
    // the two registrations overlapped and one failed with "database is locked" (3 of 4 pairs),
    // losing its model and leaving its training runs behind.
    for (let pair = 0; pair < 3; pair++) {
      const dataDir = join(dir.path, `pair-${pair}`)
      cpSync(template, dataDir, { recursive: true })
      const at = startAt()
      const outcomes = (await Promise.all([
        child(['train', at, dataDir, 'rf', '1']),
        child(['train', at, dataDir, 'rf', '2']),
      ])) as { result?: { modelVersion: string }; error?: unknown }[]
      expect(
        outcomes.map((o) => o.error ?? null),
        `pair ${pair}`,
      ).toEqual([null, null])
      expect(outcomes.map((o) => o.result?.modelVersion).sort()).toEqual(['v1', 'v2'])
      const db = new Database(databasePath(dataDir), { readonly: true })
      try {
        expect(
          db.prepare('SELECT version FROM model_versions ORDER BY version').pluck().all(),
        ).toEqual(['v1', 'v2'])
        // one run per training (a single learner), each pointing at the model it made
        expect(
          db
            .prepare(
              `SELECT r.chosen, m.version FROM training_runs r
                 LEFT JOIN model_versions m ON m.id = r.model_version_id ORDER BY m.version`,
            )
            .all(),
        ).toEqual([
          { chosen: 1, version: 'v1' },
          { chosen: 1, version: 'v2' },
        ])
      } finally {
        db.close()
      }
    }
  }, 600_000)
})
