import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { databasePath, openDatabase } from '../../src-main/engine/db/connection'
import { readSettings, writeSetting } from '../../src-main/engine/db/settings-queries'
import { writeTransaction } from '../../src-main/engine/db/write-transaction'
import { tempDir } from '../helpers'

describe('a user write while another connection holds the write lock', () => {
  const dir = tempDir()
  const db = openDatabase(dir.path)
  const other = new Database(databasePath(dir.path))
  afterAll(() => {
    other.close()
    db.close()
    dir.remove()
  })

  it('waits on timers, so the thread runs other work meanwhile, then writes', async () => {
    other.exec('BEGIN IMMEDIATE')
    other.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', 'x')").run()
    let released = false
    const writing = writeTransaction(db, () => writeSetting(db, 'theme', 'light'))
    // Runs only if the write above gave the thread back while it waited: with SQLite's own busy
    // handler it would sleep the thread and this could never release the lock it waits for.
    setTimeout(() => {
      other.exec('COMMIT')
      released = true
    }, 20)
    await writing
    expect(released).toBe(true)
    expect(readSettings(db).theme).toBe('light')
  })

  it('gives up with database-busy after its deadline, and a clear message', async () => {
    other.exec('BEGIN IMMEDIATE')
    try {
      await expect(
        writeTransaction(db, () => writeSetting(db, 'theme', 'dark'), 100),
      ).rejects.toMatchObject({
        code: 'database-busy',
        message: expect.stringMatching(/another import, training or app is writing/),
      })
    } finally {
      other.exec('ROLLBACK')
    }
    expect(readSettings(db).theme).toBe('light')
  })
})
