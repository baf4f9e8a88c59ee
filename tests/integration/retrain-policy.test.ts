import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  ActivityEntry,
  DriftCheck,
  ModelDetail,
  ModelSummary,
  RetrainOutcome,
  RetrainPolicyState,
} from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { dueBySchedule } from '../../src-main/engine/automation/retrain/schedule'
import { createEngine } from '../../src-main/engine/engine'
import { WORKER_SOURCE, startTestEngine, tempDir } from '../helpers'
import {
  type Split,
  importFile,
  permissivePolicy,
  splitByYear,
  trainProduction,
} from '../retrain-helpers'

const TARGET = 'CHEMBL1978'

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
) {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

async function retrain(engine: Engine, input: { dryRun?: boolean; force?: boolean } = {}) {
  const { jobId } = await ok(engine.invoke('automation.retrain', { target: TARGET, ...input }))
  const { info, result } = await engine.context.jobs.waitFor('automation.retrain', jobId)
  if (info.state !== 'succeeded' || !result) throw new Error(info.error?.message ?? info.state)
  return result as RetrainOutcome
}

const models = (engine: Engine) => ok(engine.invoke('models.list', {})) as Promise<ModelSummary[]>
const auditRows = (engine: Engine, action: string) =>
  engine.context.db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
    entity_type: string
    entity_id: string
    reason: string
    details_json: string
  }[]

describe('a retraining policy on the aromatase export split by document year', () => {
  const dir = tempDir()
  let engine: Engine
  let split: Split
  let champion: string

  beforeAll(async () => {
    split = splitByYear(dir.path, 2016)
    engine = startTestEngine(`${dir.path}/data`)
    await importFile(engine, split.oldPath)
    champion = (await trainProduction(engine, { learner: 'gbdt', seed: 7 })).modelVersion
  }, 300_000)
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })

  it('the production model was trained on the older file’s molecules only', async () => {
    const detail = (await ok(engine.invoke('models.get', { version: champion }))) as ModelDetail
    expect(detail.trainingRows).toBe(split.oldMolecules.size)
    expect(split.newMolecules.size).toBeGreaterThanOrEqual(50)
  })

  it('a target with no activities is refused, and the policy is off by default: not triggered', async () => {
    const unknown = await engine.invoke('automation.policy', { target: 'CHEMBL0000' })
    expect(unknown.ok).toBe(false)
    if (!unknown.ok) expect(unknown.error.code).toBe('not-found')
    const state = (await ok(
      engine.invoke('automation.policy', { target: TARGET }),
    )) as RetrainPolicyState
    expect(state.isDefault).toBe(true)
    expect(state.policy.enabled).toBe(false)
    expect(state.productionVersion).toBe(champion)
    const before = (await models(engine)).length
    const outcome = await retrain(engine)
    expect(outcome.decision).toBe('not-triggered')
    expect(outcome.triggered).toBe(false)
    expect(outcome.challenger).toBeNull()
    expect((await models(engine)).length).toBe(before)
  })

  let newImportId: number
  it('after the newer file, the new-measurements trigger counts its rows; saving the policy is audited', async () => {
    newImportId = (await importFile(engine, split.newPath)).importId as number
    const saved = (await ok(
      engine.invoke('automation.savePolicy', {
        target: TARGET,
        policy: permissivePolicy(false, 100),
        reason: 'retrain when a new release adds data',
      }),
    )) as RetrainPolicyState
    expect(saved.isDefault).toBe(false)
    const trigger = saved.triggers.find((t) => t.kind === 'new-measurements')
    expect(trigger?.fired).toBe(true)
    // every row of the newer file is a usable IC50 measurement (filtered so from the file itself)
    expect(trigger?.detail).toMatch(new RegExp(`^${split.newRows} new usable IC50 measurements`))
    const audits = auditRows(engine, 'policy-saved')
    expect(audits).toHaveLength(1)
    expect(audits[0]?.entity_type).toBe('policy')
    expect(audits[0]?.entity_id).toBe(TARGET)
    expect(audits[0]?.reason).toBe('retrain when a new release adds data')
    const details = JSON.parse(audits[0]?.details_json ?? '{}') as {
      before: unknown
      after: unknown
    }
    expect(details.before).toBeNull()
    expect(details.after).toEqual(permissivePolicy(false, 100))
  })

  it('a drift check of the newer import is what the drift triggers read', async () => {
    const { jobId } = await ok(
      engine.invoke('drift.run', {
        model: champion,
        source: { kind: 'import', importId: newImportId },
      }),
    )
    const { info, result } = await engine.context.jobs.waitFor('drift.run', jobId)
    expect(info.state).toBe('succeeded')
    const check = result as DriftCheck
    const state = (await ok(
      engine.invoke('automation.policy', { target: TARGET }),
    )) as RetrainPolicyState
    const drift = state.triggers.find((t) => t.kind === 'dataset-drift')
    expect(drift?.fired).toBe(check.datasetDrift)
    if (check.datasetDrift) {
      expect(drift?.driftRunId).toBe(check.driftRunId)
      expect(drift?.detail).toContain(
        `drift check #${check.driftRunId} found the dataset drifted (${check.featuresDrifted} of ${check.featuresTested} features)`,
      )
    } else expect(drift?.driftRunId).toBeUndefined()
    const degraded = state.triggers.find((t) => t.kind === 'performance-degraded')
    expect(degraded?.fired).toBe(check.performance?.degraded === true)
  }, 120_000)

  it('the schedule is due once its days have passed since the production model', () => {
    engine.context.db
      .prepare('UPDATE retrain_policies SET policy_json = ? WHERE target_chembl_id = ?')
      .run(
        JSON.stringify({
          ...permissivePolicy(false, 100),
          triggers: { ...permissivePolicy(false, 100).triggers, scheduleDays: 30 },
        }),
        TARGET,
      )
    const created = Date.parse(
      (
        engine.context.db
          .prepare('SELECT created_at FROM model_versions WHERE version = ?')
          .get(champion) as { created_at: string }
      ).created_at,
    )
    const day = 24 * 60 * 60 * 1000
    expect(dueBySchedule(engine.context, new Date(created + 29.5 * day))).toEqual([])
    expect(dueBySchedule(engine.context, new Date(created + 30.5 * day))).toEqual([TARGET])
    engine.context.db
      .prepare('UPDATE retrain_policies SET policy_json = ? WHERE target_chembl_id = ?')
      .run(JSON.stringify(permissivePolicy(false, 100)), TARGET)
    expect(dueBySchedule(engine.context, new Date(created + 300 * day))).toEqual([])
  })

  it('a dry run plans on every compound and trains nothing', async () => {
    const before = (await models(engine)).length
    const outcome = await retrain(engine, { dryRun: true })
    expect(outcome.decision).toBe('dry-run')
    expect(outcome.triggered).toBe(true)
    expect(outcome.plan).toEqual({
      learner: 'gbdt',
      featureSet: 'core4',
      rows: split.oldMolecules.size + split.newMolecules.size,
      types: ['IC50'],
    })
    expect((await models(engine)).length).toBe(before)
    expect(auditRows(engine, 'train')).toHaveLength(1)
  })

  let outcome: RetrainOutcome
  it('trains a challenger with the production learner and params, compares on exactly the new compounds', async () => {
    outcome = await retrain(engine)
    expect(outcome.triggered).toBe(true)
    expect(outcome.reasons.join(' ')).toContain(`${split.newRows} new usable IC50 measurements`)
    expect(outcome.champion).toBe(champion)
    expect(outcome.challenger).not.toBeNull()
    const challenger = (await ok(
      engine.invoke('models.get', { version: outcome.challenger as string }),
    )) as ModelDetail
    const production = (await ok(engine.invoke('models.get', { version: champion }))) as ModelDetail
    expect(challenger.learner).toBe(production.learner)
    expect(challenger.params).toEqual(production.params)
    expect(challenger.seed).toBe(production.seed)
    expect(challenger.stage).toBe('candidate')
    expect(challenger.trainingRows).toBe(split.oldMolecules.size + split.newMolecules.size)
    expect(outcome.comparison?.rows).toBe(split.newMolecules.size)
    expect(outcome.comparison?.resamples).toBe(2000)
    const c = outcome.comparison!
    expect(c.diff).toBeCloseTo(c.rmseChallenger - c.rmseChampion, 12)
    expect(c.diffCi[0]).toBeLessThanOrEqual(c.diffCi[1])
    // automatic promotion is off: whatever the numbers, it stays a candidate
    expect(outcome.decision).toBe('kept-candidate')
    expect((await models(engine)).find((m) => m.stage === 'production')?.version).toBe(champion)
  }, 300_000)

  it('records the training, the decision in the audit log and the timeline', async () => {
    const train = auditRows(engine, 'train').at(-1)
    expect(train?.entity_id).toBe(outcome.challenger)
    expect(train?.reason).toMatch(/^retraining policy of CHEMBL1978: /)
    const decision = auditRows(engine, 'retrain-decision')
    expect(decision).toHaveLength(1)
    expect(decision[0]?.entity_type).toBe('model')
    expect(decision[0]?.entity_id).toBe(outcome.challenger)
    const d = JSON.parse(decision[0]?.details_json ?? '{}') as {
      decision: string
      comparison: unknown
    }
    expect(d.decision).toBe('kept-candidate')
    expect(d.comparison).toEqual(outcome.comparison)
    const timeline = (await ok(
      engine.invoke('automation.activity', { target: TARGET }),
    )) as ActivityEntry[]
    const kinds = timeline.map((e) => e.kind).reverse()
    const started = kinds.lastIndexOf('retrain-started')
    expect(started).toBeGreaterThan(-1)
    expect(kinds.slice(started)).toEqual(['retrain-started', 'retrain-decided'])
    const decided = timeline[0]!
    expect(decided.id).toBe(outcome.activityId)
    expect(decided.level).toBe('notice')
    expect(decided.modelVersion).toBe(outcome.challenger)
    expect(decided.details.decision).toBe('kept-candidate')
    expect(decided.summary).toContain(`on ${split.newMolecules.size} new compounds`)
  })

  it('counts from the last retrain: the same new data does not retrain again', async () => {
    const again = await retrain(engine)
    expect(again.decision).toBe('not-triggered')
    const state = (await ok(
      engine.invoke('automation.policy', { target: TARGET }),
    )) as RetrainPolicyState
    expect(state.triggers.find((t) => t.kind === 'new-measurements')?.detail).toMatch(
      /^0 new usable/,
    )
  })

  it('a retrain cancelled while the challenger trains registers nothing and says it was cancelled', async () => {
    const db = engine.context.db
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    const modelsBefore = count('model_versions')
    const runsBefore = count('training_runs')
    const { jobId } = await ok(engine.invoke('automation.retrain', { target: TARGET, force: true }))
    await new Promise<void>((resolve) => {
      const off = engine.subscribe((event, payload) => {
        if (
          event === 'job.progress' &&
          (payload as { jobId: string }).jobId === jobId &&
          (payload as { phase: string }).phase.startsWith('training the challenger')
        ) {
          off()
          resolve()
        }
      })
    })
    await ok(engine.invoke('jobs.cancel', { jobId }))
    const { info } = await engine.context.jobs.waitFor('automation.retrain', jobId)
    expect(info.state).toBe('cancelled')
    expect(count('model_versions')).toBe(modelsBefore)
    expect(count('training_runs')).toBe(runsBefore)
    const [last, before] = (await ok(
      engine.invoke('automation.activity', { target: TARGET, limit: 2 }),
    )) as ActivityEntry[]
    expect(before?.kind).toBe('retrain-started')
    expect(last?.kind).toBe('retrain-failed')
    expect(last?.level).toBe('warning')
    expect(last?.details.decision).toBe('failed')
    expect(last?.summary).toMatch(/was cancelled; no model was registered/)
  }, 300_000)
})

describe('one retrain of a target at a time', () => {
  const dir = tempDir()
  let engine: Engine

  beforeAll(async () => {
    const split = splitByYear(dir.path, 2016, 60)
    engine = startTestEngine(`${dir.path}/data`)
    await importFile(engine, split.oldPath)
  }, 300_000)
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })

  it('without a production model: no-production-model, nothing trained', async () => {
    const outcome = await retrain(engine, { force: true })
    expect(outcome.decision).toBe('no-production-model')
    expect(outcome.champion).toBeNull()
    expect((await models(engine)).length).toBe(0)
    await trainProduction(engine, { learner: 'ridge', seed: 1 })
  }, 120_000)

  it('a policy with Auto plans an Auto challenger', async () => {
    await ok(
      engine.invoke('automation.savePolicy', {
        target: TARGET,
        policy: { ...permissivePolicy(false), learner: 'auto', budgetSeconds: 30 },
      }),
    )
    const outcome = await retrain(engine, { dryRun: true, force: true })
    expect(outcome.plan?.learner).toBe('auto')
    expect(outcome.plan?.rows).toBe(60)
  })

  it('a second retrain of the same target while one runs is refused as already running', async () => {
    const first = await ok(
      engine.invoke('automation.retrain', { target: TARGET, dryRun: true, force: true }),
    )
    const second = await engine.invoke('automation.retrain', { target: TARGET, dryRun: true })
    expect(second.ok).toBe(false)
    if (!second.ok) expect(second.error.code).toBe('already-running')
    const { info } = await engine.context.jobs.waitFor('automation.retrain', first.jobId)
    expect(info.state).toBe('succeeded')
    // once it finished, the next one runs
    expect((await retrain(engine, { dryRun: true, force: true })).decision).toBe('dry-run')
  }, 120_000)

  it('when the training set cannot be built any more, the run fails with the reason and registers nothing', async () => {
    const before = (await models(engine)).length
    // the measurements gone from under the production model (their contexts stay)
    engine.context.db.prepare('DELETE FROM activity_records').run()
    const outcome = await retrain(engine, { force: true })
    expect(outcome.decision).toBe('failed')
    expect(outcome.explanation).toMatch(
      /^retraining CHEMBL1978 failed: its training set could not be built \(.+\); no model was registered$/,
    )
    expect((await models(engine)).length).toBe(before)
    const [last] = (await ok(
      engine.invoke('automation.activity', { target: TARGET, limit: 1 }),
    )) as ActivityEntry[]
    expect(last?.kind).toBe('retrain-failed')
    expect(last?.id).toBe(outcome.activityId)
  }, 120_000)
})

describe('the retraining schedule in a long-running host', () => {
  const dir = tempDir()
  const dataDir = `${dir.path}/data`

  beforeAll(async () => {
    const split = splitByYear(dir.path, 2016, 60)
    const engine = startTestEngine(dataDir)
    await importFile(engine, split.oldPath)
    const { modelVersion } = await trainProduction(engine, { learner: 'ridge', seed: 1 })
    await ok(
      engine.invoke('automation.savePolicy', {
        target: TARGET,
        policy: {
          ...permissivePolicy(true),
          // only the schedule: backdating the model makes its own import look new
          triggers: { ...permissivePolicy(true).triggers, newMeasurements: null, scheduleDays: 7 },
        },
      }),
    )
    // the production model as if trained ten days ago
    engine.context.db
      .prepare('UPDATE model_versions SET created_at = ? WHERE version = ?')
      .run(new Date(Date.now() - 10 * 24 * 60 * 60 * 1000).toISOString(), modelVersion)
    await engine.close()
  }, 300_000)
  afterAll(() => dir.remove())

  it('retrains a target whose schedule is due at start; with no new compounds it stays a candidate', async () => {
    const engine = createEngine({ dataDir, host: 'web', workerPath: WORKER_SOURCE })
    try {
      let decided: ActivityEntry | undefined
      for (let i = 0; i < 600 && !decided; i++) {
        const listed = (await ok(
          engine.invoke('automation.activity', { target: TARGET }),
        )) as ActivityEntry[]
        decided = listed.find((e) => e.kind === 'retrain-decided' || e.kind === 'retrain-failed')
        if (!decided) await new Promise((r) => setTimeout(r, 200))
      }
      expect(decided?.kind).toBe('retrain-decided')
      expect(decided?.details.trigger).toBe('schedule')
      expect(decided?.details.decision).toBe('kept-candidate')
      expect(decided?.summary).toContain(
        'only 0 compounds were measured since v1; 50 are needed for a fair comparison',
      )
      expect((decided?.details.reasons as string[])[0]).toMatch(
        /^10 days since v1 was trained \(policy: every 7\)$/,
      )
      const list = (await ok(engine.invoke('models.list', {}))) as ModelSummary[]
      expect(list.map((m) => [m.version, m.stage])).toEqual(
        expect.arrayContaining([
          ['v1', 'production'],
          ['v2', 'candidate'],
        ]),
      )
    } finally {
      await engine.close()
    }
  }, 300_000)
})

describe('promotion by the policy: a champion trained on a handful of compounds', () => {
  const dir = tempDir()
  let engine: Engine
  let split: Split
  let champion: string

  beforeAll(async () => {
    // 40 molecules of the older data: a model that cannot know much, against one trained on
    // some two thousand, scored on the same new compounds
    split = splitByYear(dir.path, 2010, 40)
    engine = startTestEngine(`${dir.path}/data`)
    await importFile(engine, split.oldPath)
    champion = (await trainProduction(engine, { learner: 'rf', seed: 3 })).modelVersion
    await importFile(engine, split.newPath)
  }, 300_000)
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })

  it('a significantly better challenger is promoted, the promotion naming the policy', async () => {
    await ok(
      engine.invoke('automation.savePolicy', { target: TARGET, policy: permissivePolicy(true) }),
    )
    const outcome = await retrain(engine)
    expect(outcome.comparison?.rows).toBe(split.newMolecules.size)
    expect(outcome.comparison!.rmseChallenger).toBeLessThan(outcome.comparison!.rmseChampion)
    expect(outcome.comparison!.diffCi[1]).toBeLessThan(0)
    expect(outcome.decision).toBe('promoted')
    const list = await models(engine)
    expect(list.find((m) => m.stage === 'production')?.version).toBe(outcome.challenger)
    expect(list.find((m) => m.version === champion)?.stage).toBe('archived')
    const promote = auditRows(engine, 'promote').at(-1)
    expect(promote?.entity_id).toBe(outcome.challenger)
    expect(promote?.reason).toMatch(
      /^promoted by the retraining policy of CHEMBL1978 \(saved \d{4}-\d\d-\d\d \d\d:\d\d\): /,
    )
  }, 300_000)
})
