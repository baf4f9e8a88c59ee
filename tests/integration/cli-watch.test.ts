import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { WatchFileResult } from '../../src-main/contract'
import { runCli } from '../../src-main/hosts/cli-commands'
import { REPO_ROOT, WORKER_SOURCE, tempDir } from '../helpers'
import { assay } from '../cli-helpers'
import { AROMATASE, readTable } from '../reference-csv'

const LINES = readFileSync(AROMATASE, 'utf8').trimEnd().split('\n')

describe('assay watch', () => {
  const dir = tempDir('assay-cli-watch-')
  const data = join(dir.path, 'data')
  const folder = join(dir.path, 'incoming')
  mkdirSync(folder)
  // header + 300 activity rows of the real export, a copy of it, and a file without the columns
  const good = join(folder, 'a-export.csv')
  writeFileSync(good, `${LINES.slice(0, 301).join('\n')}\n`)
  const goodRows = readTable(good, ';').rows.length
  copyFileSync(good, join(folder, 'b-copy.csv'))
  writeFileSync(join(folder, 'c-bad.csv'), 'colour,size\nred,3\nblue,4\n')
  afterAll(() => dir.remove())

  it('--once --json --move: one line per file with its outcome, exit 1 for the rejection, files moved', async () => {
    const r = await assay('watch', folder, '--once', '--json', '--move', '--data-dir', data)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(3)
    const results = lines.map((l) => JSON.parse(l) as WatchFileResult)
    expect(results.map((x) => [x.file, x.outcome])).toEqual([
      ['a-export.csv', 'imported'],
      ['b-copy.csv', 'duplicate'],
      ['c-bad.csv', 'rejected'],
    ])
    const [first, copy, bad] = results
    expect(goodRows).toBe(300)
    expect(first).toMatchObject({ importId: 1, rowsTotal: goodRows, reason: null })
    expect(copy).toMatchObject({ importId: null, previousImportId: 1 })
    expect(copy?.sha256).toBe(first?.sha256)
    expect(bad?.reason).toMatch(/^missing-columns: /)
    expect(first?.movedTo).toBe(join(folder, 'imported', 'a-export.csv'))
    expect(readdirSync(join(folder, 'imported')).sort()).toEqual(['a-export.csv', 'b-copy.csv'])
    expect(readdirSync(join(folder, 'rejected'))).toEqual(['c-bad.csv'])
    expect(readdirSync(folder).sort()).toEqual(['imported', 'rejected'])
  }, 300_000)

  it('a second --once run prints nothing new', async () => {
    const r = await assay('watch', folder, '--once', '--json', '--move', '--data-dir', data)
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' })
  }, 120_000)

  it('without --json prints a readable line; a file left in place is not taken again', async () => {
    const other = join(dir.path, 'other')
    mkdirSync(other)
    writeFileSync(join(other, 'notes.txt'), 'just some notes\n')
    writeFileSync(join(other, '.partial.csv'), 'colour\nred\n')
    writeFileSync(join(other, 'picture.png'), 'not an export')
    const r = await assay('watch', other, '--once', '--leave', '--data-dir', data)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^notes\.txt: rejected, [a-z-]+: .+\n$/)
    expect(existsSync(join(other, 'notes.txt'))).toBe(true)
    const again = await assay('watch', other, '--once', '--data-dir', data)
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' })
  }, 120_000)

  it('refuses a missing folder, the data folder and mistyped options', async () => {
    const missing = await assay('watch', join(dir.path, 'nope'), '--once', '--data-dir', data)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('does not exist')
    const own = await assay('watch', data, '--once', '--data-dir', data)
    expect(own.code).toBe(1)
    expect(own.stderr).toContain('data folder')
    expect((await assay('watch', '--once', '--data-dir', data)).code).toBe(2)
    expect((await assay('watch', folder, '--move', '--leave', '--data-dir', data)).code).toBe(2)
  }, 60_000)

  it('without --once follows the folder until stopped, taking a file that arrives meanwhile', async () => {
    const live = join(dir.path, 'live')
    mkdirSync(live)
    let stdout = ''
    let stderr = ''
    let stop: () => void = () => undefined
    const stopped = new Promise<void>((r) => (stop = r))
    const running = runCli(['watch', live, '--json', '--data-dir', data], {
      workerPath: WORKER_SOURCE,
      rendererDir: '/nonexistent',
      appRoot: REPO_ROOT,
      stdout: (t) => {
        stdout += t
        stop()
      },
      stderr: (t) => {
        stderr += t
        // watching: now a file arrives
        if (t.startsWith('Watching ')) writeFileSync(join(live, 'late.csv'), 'colour\nred\n')
      },
      untilStopped: () => stopped,
    })
    expect(await running).toBe(0)
    expect(stderr).toMatch(/^Watching /)
    const line = JSON.parse(stdout) as WatchFileResult
    expect(line).toMatchObject({ file: 'late.csv', outcome: 'rejected' })
  }, 120_000)
})
