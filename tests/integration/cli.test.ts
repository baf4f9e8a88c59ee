import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { databasePath } from '../../src-main/engine/db/connection'
import { HELP, runCli } from '../../src-main/hosts/cli-commands'
import { WORKER_SOURCE, tempDir } from '../helpers'

async function assay(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    workerPath: WORKER_SOURCE,
    rendererDir: '/nonexistent',
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  })
  return { code, stdout, stderr }
}

describe('assay CLI', () => {
  let dir: ReturnType<typeof tempDir>
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
      schemaVersion: 1,
      dataDir,
      versions: { node: process.versions.node },
    })
    expect(existsSync(databasePath(dataDir))).toBe(true)
    const db = new Database(databasePath(dataDir), { readonly: true })
    expect(db.pragma('user_version', { simple: true })).toBe(1)
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
    const r = await assay('self-test', '--json', '--data-dir', dir.path)
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.molecules).toHaveLength(8)
    expect(result.molecules[0]).toMatchObject({ smiles: 'CCO', hbd: 1 })
  })
})
