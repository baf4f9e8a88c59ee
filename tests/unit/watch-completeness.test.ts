import { describe, expect, it } from 'vitest'
import { CompletenessTracker } from '../../src-main/engine/automation/watch/completeness'
import { takesName } from '../../src-main/engine/automation/watch/folder-watcher'

// The clock is moved by hand: `now` is whatever the test says it is.
const file = (size: number, mtimeMs: number, readable = true) => ({ size, mtimeMs, readable })

describe('completeness of a watched file', () => {
  it('is complete only once size and time stayed the same for the stable time', () => {
    const t = new CompletenessTracker(3000)
    expect(t.observe('a.csv', file(100, 1), 0)).toBe('waiting')
    expect(t.observe('a.csv', file(100, 1), 2999)).toBe('waiting')
    expect(t.observe('a.csv', file(100, 1), 3000)).toBe('complete')
    // handed on once: it is no longer tracked
    expect(t.waiting()).toEqual([])
  })

  it('starts the stable time again when the size grows', () => {
    const t = new CompletenessTracker(1000)
    t.observe('a.csv', file(10, 1), 0)
    expect(t.observe('a.csv', file(20, 1), 900)).toBe('waiting')
    // 1000 ms after the first sample, but only 600 ms after the size last changed
    expect(t.observe('a.csv', file(20, 1), 1500)).toBe('waiting')
    expect(t.observe('a.csv', file(20, 1), 1900)).toBe('complete')
  })

  it('starts the stable time again when only the modification time changes (a preallocated download)', () => {
    const t = new CompletenessTracker(1000)
    t.observe('a.csv', file(500, 1), 0)
    expect(t.observe('a.csv', file(500, 2), 800)).toBe('waiting')
    expect(t.observe('a.csv', file(500, 2), 1700)).toBe('waiting')
    expect(t.observe('a.csv', file(500, 2), 1800)).toBe('complete')
  })

  it('waits while a stable file cannot be opened, and takes it once it can', () => {
    const t = new CompletenessTracker(1000)
    t.observe('a.csv', file(5, 1, false), 0)
    expect(t.observe('a.csv', file(5, 1, false), 5000)).toBe('waiting')
    expect(t.waiting()).toEqual(['a.csv'])
    expect(t.observe('a.csv', file(5, 1, true), 5001)).toBe('complete')
  })

  it('forgets a file that vanished while it waited', () => {
    const t = new CompletenessTracker(1000)
    t.observe('a.csv', file(5, 1), 0)
    t.observe('b.csv', file(5, 1), 10)
    expect(t.observe('a.csv', null, 500)).toBe('gone')
    expect(t.waiting()).toEqual(['b.csv'])
    // back again later: a new file, whose stable time starts now
    expect(t.observe('a.csv', file(5, 1), 600)).toBe('waiting')
    expect(t.observe('a.csv', file(5, 1), 1500)).toBe('waiting')
    expect(t.observe('a.csv', file(5, 1), 1600)).toBe('complete')
  })

  it('tracks files separately, in the order they were first seen', () => {
    const t = new CompletenessTracker(100)
    t.observe('b.csv', file(1, 1), 0)
    t.observe('a.csv', file(1, 1), 50)
    expect(t.waiting()).toEqual(['b.csv', 'a.csv'])
    expect(t.observe('b.csv', file(1, 1), 100)).toBe('complete')
    expect(t.observe('a.csv', file(1, 1), 100)).toBe('waiting')
  })
})

describe('names the folder takes', () => {
  it('matches the patterns by the name ending, whatever its case, and never hidden files', () => {
    expect(takesName('export.csv', ['*.csv'])).toBe(true)
    expect(takesName('EXPORT.CSV', ['*.csv'])).toBe(true)
    expect(takesName('data.tsv', ['*.csv'])).toBe(false)
    expect(takesName('data.tsv', ['*.csv', '*.tsv'])).toBe(true)
    expect(takesName('data.csv.part', ['*.csv'])).toBe(false)
    expect(takesName('.hidden.csv', ['*.csv'])).toBe(false)
    expect(takesName('notes.txt', ['*.csv', '*.tsv', '*.txt'])).toBe(true)
  })
})
