import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActivityEntry, RetrainPolicyState, WatchStatus } from '../../src-main/contract'
import { databasePath } from '../../src-main/engine/db/connection'
import { startFixtureProcess, startTestEngine, tempDir } from '../helpers'
import { importFile, splitByYear, trainProduction } from '../retrain-helpers'

const TARGET = 'CHEMBL1978'

describe('a retrain killed while the challenger trains', () => {
  const dir = tempDir()
  const dataDir = join(dir.path, 'data')
  const watched = join(dir.path, 'watched')
  let modelsBefore = 0

  beforeAll(async () => {
    const split = splitByYear(dir.path, 2016)
    const engine = startTestEngine(dataDir)
    await importFile(engine, split.oldPath)
    await trainProduction(engine, { learner: 'rf', seed: 5 })
    await importFile(engine, split.newPath)
    modelsBefore = (
      engine.context.db.prepare('SELECT count(*) AS n FROM model_versions').get() as { n: number }
    ).n
    // the app watches a folder throughout: the killed process did, and the next start must again
    mkdirSync(watched)
    for (const [key, value] of [
      ['watch.folder', watched],
      ['watch.stableSeconds', 0.3],
      ['watch.enabled', true],
    ] as const) {
      const set = await engine.invoke('settings.set', { key, value })
      if (!set.ok) throw new Error(set.error.message)
    }
    await engine.close()
  }, 300_000)
  afterAll(() => dir.remove())

  it('leaves no model without its ONNX bytes, and the next start says the retrain was interrupted and watches again', async () => {
    const child = startFixtureProcess('retrain-kill-child.ts', [dataDir, TARGET])
    const seen = await child.output(/progress training the challenger: [^\n]*cross-validation\n/)
    await child.kill()
    expect(seen).toMatch(/training the challenger/)

    const db = new Database(databasePath(dataDir), { readonly: true })
    try {
      const rows = db.prepare('SELECT version, onnx, onnx_sha256 FROM model_versions').all() as {
        version: string
        onnx: Buffer
        onnx_sha256: string
      }[]
      // killed before registration: only the production model, whole
      expect(rows).toHaveLength(modelsBefore)
      for (const r of rows) {
        expect(r.onnx.length).toBeGreaterThan(0)
        expect(createHash('sha256').update(r.onnx).digest('hex')).toBe(r.onnx_sha256)
      }
      const orphans = db
        .prepare(
          `SELECT count(*) AS n FROM training_runs t
            WHERE t.model_version_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM model_versions m WHERE m.id = t.model_version_id)`,
        )
        .get() as { n: number }
      expect(orphans.n).toBe(0)
      const started = db
        .prepare("SELECT count(*) AS n FROM automation_events WHERE kind = 'retrain-started'")
        .get() as { n: number }
      expect(started.n).toBe(1)
    } finally {
      db.close()
    }

    const engine = startTestEngine(dataDir)
    try {
      // it watches again: a file dropped in now is taken (a note, rejected at once)
      const status = await engine.invoke('automation.status', {})
      expect(status.ok && (status.value as WatchStatus).watching).toBe(true)
      writeFileSync(join(watched, 'note.txt'), 'not an export\n')
      await expect
        .poll(
          () =>
            engine.context.db
              .prepare("SELECT outcome FROM watch_files WHERE file_name = 'note.txt'")
              .pluck()
              .all(),
          { timeout: 60_000, interval: 200 },
        )
        .toEqual(['rejected'])
      const listed = await engine.invoke('automation.activity', { target: TARGET })
      if (!listed.ok) throw new Error(listed.error.message)
      const entries = listed.value as ActivityEntry[]
      expect(entries[0]?.kind).toBe('retrain-interrupted')
      expect(entries[0]?.level).toBe('warning')
      expect(entries[1]?.kind).toBe('retrain-started')
      // a second start does not record it again
      await engine.close()
      const again = startTestEngine(dataDir)
      try {
        const listedAgain = await again.invoke('automation.activity', { target: TARGET })
        if (!listedAgain.ok) throw new Error(listedAgain.error.message)
        expect(
          (listedAgain.value as ActivityEntry[]).filter((e) => e.kind === 'retrain-interrupted'),
        ).toHaveLength(1)
        const state = await again.invoke('automation.policy', { target: TARGET })
        expect(state.ok).toBe(true)
        if (state.ok) expect((state.value as RetrainPolicyState).lastOutcome).toBeNull()
      } finally {
        await again.close()
      }
    } finally {
      await engine.close().catch(() => undefined)
    }
  }, 300_000)
})
