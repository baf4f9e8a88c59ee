import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportSummary, TrainResult, TrainingSetSummary } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { writeRepeatedExport } from '../bench/big-export'
import { fileRef, runJob, startTestEngine, tempDir, waitForFinished } from '../helpers'
import { ACHE, AROMATASE } from '../reference-csv'

// The engine thread answers every call, so nothing on it may take long: the big pieces of work
// (building a training set, fitting, the import's reading and writing, the model's finishing
// steps) belong on worker threads. This measures how long `app.status` takes to answer while a
// large training set is built again and again, a model trains and another file is imported, and
// prints the worst delay. It asserts what must hold whatever the machine's speed: every call is
// answered, and the work done meanwhile is right.
const TRAINING_ROWS = 300_000
const IMPORT_ROWS = 150_000

describe('the engine thread while large work runs', () => {
  const dir = tempDir()
  const big = join(dir.path, `aromatase-${TRAINING_ROWS}.csv`)
  const other = join(dir.path, `ache-${IMPORT_ROWS}.csv`)
  let engine: Engine

  beforeAll(async () => {
    await writeRepeatedExport(AROMATASE, big, TRAINING_ROWS)
    await writeRepeatedExport(ACHE, other, IMPORT_ROWS)
    engine = startTestEngine(join(dir.path, 'data'))
    const imported = await runJob(engine, 'imports.start', { file: await fileRef(engine, big) })
    if (imported.state !== 'succeeded') throw new Error(imported.error?.message)
  }, 300_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  it('answers app.status throughout; the training sets, the model and the import come out right', async () => {
    const answers: { ms: number; during: string }[] = []
    const failures: string[] = []
    let phase = 'idle'
    let probing = true
    // A call is due every 5 ms. Its delay runs from when it was due to when it was answered: a
    // call from the window arriving while the thread is busy waits for that work to end, and so
    // does this probe's timer.
    const probe = (async () => {
      let due = performance.now()
      while (probing) {
        const status = await engine.invoke('app.status', {})
        if (!status.ok) failures.push(status.error.message)
        const answered = performance.now()
        answers.push({ ms: answered - due, during: phase })
        await new Promise((resolve) => setTimeout(resolve, 5))
        due = answered + 5
      }
    })()

    // a large training set, built as the train form asks for it on each change
    phase = 'training set'
    const sets: TrainingSetSummary[] = []
    for (let i = 0; i < 3; i++) {
      const set = await engine.invoke('models.trainingSet', { featureSet: 'physchem' })
      if (!set.ok) throw new Error(set.error.message)
      sets.push(set.value)
    }
    // while another file is imported, training sets are built and a model trains
    phase = 'import + training'
    const importing = runJob(engine, 'imports.start', { file: await fileRef(engine, other) })
    const started = await engine.invoke('models.train', {
      featureSet: 'core4',
      learner: 'ridge',
      folds: 3,
    })
    if (!started.ok) throw new Error(started.error.message)
    const training = waitForFinished(engine, started.value.jobId)
    for (let i = 0; i < 3; i++) {
      const set = await engine.invoke('models.trainingSet', {
        target: 'CHEMBL1978',
        featureSet: 'physchem',
      })
      if (!set.ok) throw new Error(set.error.message)
      sets.push(set.value)
    }
    const trained = await training
    const imported = await importing
    probing = false
    await probe

    expect(failures).toEqual([])
    // another target's import changes nothing of this target's training set
    expect(new Set(sets.map((s) => s.hash)).size).toBe(1)
    expect(sets[0]?.target).toBe('CHEMBL1978')
    expect(trained.state).toBe('succeeded')
    expect((trained.result as TrainResult).rows).toBe(sets[0]?.compounds)
    expect(imported.state).toBe('succeeded')
    expect((imported.result as ImportSummary).rowsTotal).toBe(IMPORT_ROWS)

    const worst = (during: string) =>
      Math.max(0, ...answers.filter((a) => a.during === during).map((a) => a.ms))
    const count = (during: string) => answers.filter((a) => a.during === during).length
    console.log(
      `app.status answer time while work runs (activities in the training set: ${sets[0]?.activitiesUsed}):\n` +
        `| during | calls | worst ms |\n|---|---|---|\n` +
        ['training set', 'import + training']
          .map((p) => `| ${p} | ${count(p)} | ${worst(p).toFixed(0)} |`)
          .join('\n'),
    )
    expect(count('training set')).toBeGreaterThan(0)
    expect(count('import + training')).toBeGreaterThan(0)
  }, 600_000)
})
