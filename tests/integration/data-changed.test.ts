import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DataTable, Events } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import {
  type RecordedEvent,
  fileRef,
  recordEvents,
  runJob,
  startTestEngine,
  tempDir,
  waitForFinished,
} from '../helpers'
import { AROMATASE } from '../reference-csv'

/** The `data.changed` events recorded from `from` on, each with its tables in a fixed order. */
function changes(events: RecordedEvent[], from = 0): DataTable[][] {
  return events
    .slice(from)
    .filter((e) => e.event === 'data.changed')
    .map((e) => [...(e.payload as Events['data.changed']).tables].sort())
}

/** Where in `events` the data.changed and job.finished of `jobId` came, after `from`. */
function order(events: RecordedEvent[], jobId: string, from: number) {
  const finished = events.findIndex(
    (e, i) =>
      i >= from &&
      e.event === 'job.finished' &&
      (e.payload as Events['job.finished']).jobId === jobId,
  )
  const changed = events.findIndex((e, i) => i >= from && e.event === 'data.changed')
  return { finished, changed }
}

describe('data.changed: what screens are told to read again', () => {
  const dir = tempDir()
  let engine: Engine
  let events: RecordedEvent[]
  beforeAll(() => {
    engine = startTestEngine(dir.path)
    events = recordEvents(engine)
  })
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  it('an import that commits names imports, activities and compounds, before its job.finished', async () => {
    const from = events.length
    const file = await fileRef(engine, AROMATASE)
    const finished = await runJob(engine, 'imports.start', { file })
    expect(finished.state).toBe('succeeded')
    expect(changes(events, from)).toEqual([['activities', 'compounds', 'imports']])
    const { changed, finished: at } = order(events, finished.jobId, from)
    expect(changed).toBeGreaterThanOrEqual(0)
    expect(changed).toBeLessThan(at)
  }, 120_000)

  it('a file skipped as already imported changes nothing and says nothing', async () => {
    const from = events.length
    const file = await fileRef(engine, AROMATASE)
    const finished = await runJob(engine, 'imports.start', {
      file,
      duplicate: 'skip',
    })
    expect(
      finished.kind === 'imports.start' &&
        finished.state === 'succeeded' &&
        finished.result.skipped,
    ).toBe(true)
    expect(changes(events, from)).toEqual([])
  }, 120_000)

  it('reading (lists, previews, the training-set summary) changes nothing', async () => {
    const from = events.length
    for (const [method, input] of [
      ['imports.list', {}],
      ['data.facets', {}],
      ['models.list', {}],
      ['models.trainingSet', { featureSet: 'core4' }],
    ] as const) {
      const r = await engine.call(method, input)
      expect(r.ok).toBe(true)
    }
    expect(changes(events, from)).toEqual([])
  }, 120_000)

  it('a training names models and runs, before its job.finished; a promotion names models', async () => {
    const from = events.length
    const started = await engine.invoke('models.train', {
      featureSet: 'core4',
      learner: 'ridge',
      folds: 3,
    })
    if (!started.ok) throw new Error(started.error.message)
    const finished = await waitForFinished(engine, started.value.jobId)
    if (finished.state !== 'succeeded' || finished.kind !== 'models.train')
      throw new Error(`training ${finished.state}: ${finished.error?.message}`)
    expect(changes(events, from)).toEqual([['models', 'runs']])
    const { changed, finished: at } = order(events, finished.jobId, from)
    expect(changed).toBeLessThan(at)

    const promotedFrom = events.length
    const promoted = await engine.invoke('models.promote', {
      version: finished.result.modelVersion,
      reason: 'checking what screens are told',
    })
    expect(promoted.ok).toBe(true)
    expect(changes(events, promotedFrom)).toEqual([['models']])
  }, 300_000)

  it('a refused write (promoting a version that does not exist) says nothing', async () => {
    const from = events.length
    const r = await engine.invoke('models.promote', { version: 'v99', reason: 'no such version' })
    expect(r.ok).toBe(false)
    expect(changes(events, from)).toEqual([])
  })

  it('a setting names settings', async () => {
    const from = events.length
    const r = await engine.invoke('settings.set', { key: 'theme', value: 'dark' })
    expect(r.ok).toBe(true)
    expect(changes(events, from)).toEqual([['settings']])
  })
})
