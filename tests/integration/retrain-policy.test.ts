import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  ActivityEntry,
  ModelDetail,
  ModelSummary,
  RetrainOutcome,
  RetrainPolicyState,
} from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { startTestEngine, tempDir } from '../helpers'
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

  it('after the newer file, the new-measurements trigger counts its rows; saving the policy is audited', async () => {
    await importFile(engine, split.newPath)
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
