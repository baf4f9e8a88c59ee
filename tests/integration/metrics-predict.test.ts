import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type BatchSummary,
  MAX_API_BODY_BYTES,
  MAX_API_COMPOUNDS,
  type PredictionRow,
  type SinglePrediction,
} from '../../src-main/contract'
import { DATABASE_FILE } from '../../src-main/engine/db/connection'
import type { Engine } from '../../src-main/engine/engine'
import {
  apiRateLimiter,
  handleApiPredict,
  setApiRateLimits,
} from '../../src-main/engine/metrics/predict-route'
import { API_RATE_LIMITS } from '../../src-main/engine/metrics/rate-limit'
import { BASELINE_ONNX, seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { scoreOnce } from '../../src-main/ml/runtime'
import { assay } from '../cli-helpers'
import { REPO_ROOT, fileRef, startTestEngine, tempDir, waitForFinished } from '../helpers'
import { readTable } from '../reference-csv'

/** A loopback port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

type Ok<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } }
async function ok<T>(p: Promise<Ok<T>>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** The first `n` distinct SMILES of the real aromatase export, with their ChEMBL ids. */
function aromataseCompounds(n: number): { id: string; smiles: string }[] {
  const t = readTable(join(REPO_ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv'), ';')
  const seen = new Set<string>()
  const out: { id: string; smiles: string }[] = []
  for (const r of t.rows) {
    const smiles = r['Smiles'] ?? ''
    if (smiles === '' || seen.has(smiles)) continue
    seen.add(smiles)
    out.push({ id: r['Molecule ChEMBL ID'] ?? '', smiles })
    if (out.length === n) break
  }
  return out
}

const round4 = (v: number) => Number(v.toFixed(4))

/** The baseline model as shipped before per-model feature sources (tests/fixtures/legacy-model). */
const LEGACY = join(REPO_ROOT, 'tests/fixtures/legacy-model')
/** A compound by its four features: the bundled baseline (trained on file values) scores it. */
const GOOD = { compounds: [{ features: { mw_freebase: 350.4, alogp: 3.1, hba: 5, hbd: 1 } }] }

describe('POST /predict with the bundled baseline model', () => {
  const dir = tempDir()
  const dataDir = join(dir.path, 'data')
  let engine: Engine
  let sqlite: Database.Database
  /** the old-format baseline, which computes the four features of a SMILES with RDKit */
  let legacy: string
  const key = 'test-client'
  const call = (body: unknown) =>
    handleApiPredict(engine.context, typeof body === 'string' ? body : JSON.stringify(body), key)
  const apiBatches = () =>
    sqlite
      .prepare(
        `SELECT id, rows_scored, rows_failed FROM prediction_batches WHERE source = 'api' ORDER BY id`,
      )
      .all() as { id: number; rows_scored: number; rows_failed: number }[]

  beforeAll(async () => {
    engine = startTestEngine(dataDir)
    expect(await seedSampleIfEmpty(engine.context, REPO_ROOT)).toBe(true)
    // the rate limit has its own test below; the others must not meet it
    setApiRateLimits(engine.context, {
      requestsPerSecond: 1e6,
      requestBurst: 1e6,
      compoundsPerMinute: 1e9,
    })
    sqlite = new Database(join(dataDir, DATABASE_FILE), { readonly: true })
    const imported = await ok(
      engine.invoke('models.import', {
        onnx: await fileRef(engine, join(LEGACY, 'baseline-core4-gbdt.onnx')),
        card: await fileRef(engine, join(LEGACY, 'baseline-core4-gbdt.json')),
      }),
    )
    legacy = imported.model.version
  }, 60_000)
  afterAll(async () => {
    sqlite.close()
    await engine.close()
    dir.remove()
  })

  it('answers one compound by its features as ONNX Runtime scores it, as predictions.single and the CLI do, and stores it as api', async () => {
    const features = { mw_freebase: 350.4, alogp: 3.1, hba: 5, hbd: 1 }
    const before = apiBatches().length
    const r = await call({ compounds: [{ id: 'X-1', features }] })
    expect(r.status).toBe(200)
    const body = r.body as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(
      ['inDomain', 'interval', 'modelVersion', 'nM', 'pActivity'].sort(),
    )
    // independent: the bundled ONNX file itself
    const [expected] = await scoreOnce(readFileSync(join(REPO_ROOT, BASELINE_ONNX)), {
      n: 1,
      f: 4,
      x: Float32Array.of(350.4, 3.1, 5, 1),
    })
    expect(body.pActivity as number).toBeCloseTo(expected!, 4)
    const single: SinglePrediction = await ok(engine.invoke('predictions.single', { features }))
    expect(body.pActivity).toBe(round4(single.pActivity))
    expect(body.interval).toEqual(single.interval.map(round4))
    expect(body.inDomain).toBe(single.inDomain)
    const cli = await assay(
      'predict',
      '--mw',
      '350.4',
      '--alogp',
      '3.1',
      '--hba',
      '5',
      '--hbd',
      '1',
      '--json',
      '--data-dir',
      dataDir,
    )
    expect(cli.code).toBe(0)
    expect(JSON.parse(cli.stdout)).toEqual(body)
    const stored = apiBatches()
    expect(stored.length).toBe(before + 1)
    expect(stored.at(-1)).toMatchObject({ rows_scored: 1, rows_failed: 0 })
    const row = sqlite
      .prepare('SELECT p_activity, inputs_json FROM predictions WHERE batch_id = ?')
      .get(stored.at(-1)!.id) as { p_activity: number; inputs_json: string }
    expect(row.p_activity).toBeCloseTo(single.pActivity, 10)
    expect(JSON.parse(row.inputs_json)).toEqual(features)
  })

  it('answers one compound by SMILES as predictions.single and the CLI do', async () => {
    const smiles = 'CC(=O)Oc1ccccc1C(=O)O'
    // the production baseline is trained on file values: a SMILES alone is refused, with why
    const refused = await call({ compounds: [{ smiles }] })
    expect(refused.status).toBe(400)
    expect((refused.body as { error: { message: string } }).error.message).toMatch(
      /trained on MW, AlogP, HBA and HBD values from a file/,
    )
    const r = await call({ model: legacy, compounds: [{ smiles }] })
    expect(r.status).toBe(200)
    expect((r.body as { modelVersion: string }).modelVersion).toBe(legacy)
    const single: SinglePrediction = await ok(
      engine.invoke('predictions.single', { smiles, model: legacy }),
    )
    // aspirin by hand: RDKit average MW 180.159, HBD 1 (features the model was given)
    expect(single.features.mw_freebase).toBeCloseTo(180.159, 2)
    expect((r.body as { pActivity: number }).pActivity).toBe(round4(single.pActivity))
    const cli = await assay(
      'predict',
      '--smiles',
      smiles,
      '--model',
      legacy,
      '--json',
      '--data-dir',
      dataDir,
    )
    expect(JSON.parse(cli.stdout)).toEqual(r.body)
    const last = apiBatches().at(-1)!
    const stored = sqlite
      .prepare('SELECT smiles, p_activity FROM predictions WHERE batch_id = ?')
      .get(last.id) as { smiles: string; p_activity: number }
    expect(stored.smiles).toBe(smiles)
    expect(stored.p_activity).toBeCloseTo(single.pActivity, 10)
  })

  it('answers 20 SMILES of a real ChEMBL export as predictions.batch scores the same rows', async () => {
    const compounds = aromataseCompounds(20)
    expect(compounds).toHaveLength(20)
    // every row a SMILES only: the production baseline (file values) refuses the whole call
    expect((await call({ compounds })).status).toBe(400)
    const r = await call({ model: legacy, compounds })
    expect(r.status).toBe(200)
    const body = r.body as {
      rowsScored: number
      rowsFailed: number
      batchId: number
      rows: {
        row: number
        id: string
        smiles: string
        pActivity: number | null
        failure: string | null
      }[]
    }
    expect(body.rowsScored + body.rowsFailed).toBe(20)
    expect(body.rowsScored).toBeGreaterThan(0)
    expect(body.rows).toHaveLength(20)
    expect(body.rows.map((x) => x.id)).toEqual(compounds.map((c) => c.id))

    const file = join(dir.path, 'twenty.csv')
    writeFileSync(
      file,
      `molecule_chembl_id,smiles\n${compounds.map((c) => `${c.id},"${c.smiles}"`).join('\n')}\n`,
    )
    const job = await ok(
      engine.invoke('predictions.batch', { model: legacy, file: await fileRef(engine, file) }),
    )
    const done = await waitForFinished(engine, job.jobId)
    expect(done.state).toBe('succeeded')
    const s = done.result as BatchSummary
    expect(body.rowsScored).toBe(s.rowsScored)
    const page = await ok(
      engine.invoke('predictions.rows', { batchId: s.batchId, limit: 100, sort: 'row' }),
    )
    const fileRows = (page as { rows: PredictionRow[] }).rows
    expect(fileRows).toHaveLength(20)
    fileRows.forEach((f, i) => {
      const a = body.rows[i]!
      expect(a.smiles).toBe(f.smiles)
      expect(a.failure).toBe(f.failure)
      expect(a.pActivity).toBe(f.pActivity === null ? null : round4(f.pActivity))
    })
    const last = apiBatches().at(-1)!
    expect(last.id).toBe(body.batchId)
    expect(last.rows_scored + last.rows_failed).toBe(20)
  })

  it('answers 50 concurrent calls (stored in shared commits) each with its own compound and batch', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => [250 + 5 * i, -1 + 0.1 * i, i % 9, i % 5])
    const before = apiBatches().length
    const answers = await Promise.all(
      rows.map(([mw, alogp, hba, hbd]) =>
        call({ compounds: [{ features: { mw_freebase: mw, alogp, hba, hbd } }] }),
      ),
    )
    const expected = await scoreOnce(readFileSync(join(REPO_ROOT, BASELINE_ONNX)), {
      n: 50,
      f: 4,
      x: Float32Array.from(rows.flat()),
    })
    answers.forEach((a, i) => {
      expect(a.status).toBe(200)
      expect((a.body as { pActivity: number }).pActivity).toBeCloseTo(expected[i]!, 4)
    })
    const stored = apiBatches().slice(before)
    expect(stored).toHaveLength(50)
    const byInputs = new Map(
      (
        sqlite
          .prepare(
            `SELECT inputs_json, p_activity FROM predictions WHERE batch_id IN (${stored.map((b) => b.id).join(',')})`,
          )
          .all() as { inputs_json: string; p_activity: number }[]
      ).map((r) => [r.inputs_json, r.p_activity]),
    )
    rows.forEach(([mw, alogp, hba, hbd], i) => {
      const key = JSON.stringify({ mw_freebase: mw, alogp, hba, hbd })
      expect(byInputs.get(key)).toBeCloseTo(expected[i]!, 4)
    })
  })

  it('names the wrong field of a bad body with 400, and keeps serving', async () => {
    const before = apiBatches().length
    const cases: [unknown, RegExp][] = [
      ['{"compounds": [', /not JSON/],
      [{}, /^compounds: expected array/],
      [{ compounds: [] }, /^compounds: /],
      [
        {
          compounds: [
            { smiles: 'CCO' },
            { features: { mw_freebase: 300, alogp: 1, hba: 'x', hbd: 1 } },
          ],
        },
        /^compounds\[1\]\.features\.hba: /,
      ],
      [
        { compounds: [{ features: { mw_freebase: 300, alogp: 1, hba: 2 } }] },
        /^compounds\[0\]\.features\.hbd: /,
      ],
      [{ compounds: [{ smiles: 42 }] }, /^compounds\[0\]\.smiles: expected string/],
      [{ compounds: [{ id: 'a' }] }, /^compounds\[0\]: give either "smiles" or "features"/],
      [{ compounds: [{ smiles: 'CCO' }], color: 'red' }, /unknown field "color"/],
      [{ model: 'latest', compounds: [{ smiles: 'CCO' }] }, /^model: /],
      [[1, 2], /^body: expected object/],
    ]
    for (const [body, message] of cases) {
      const r = await call(body)
      expect(r.status, JSON.stringify(body)).toBe(400)
      const e = (r.body as { error: { code: string; message: string } }).error
      expect(e.code).toBe('invalid-input')
      expect(e.message).toMatch(message)
    }
    const many = Array.from({ length: MAX_API_COMPOUNDS + 1 }, () => ({ smiles: 'C' }))
    const big = await call({ compounds: many })
    expect(big.status).toBe(400)
    expect((big.body as { error: { message: string } }).error.message).toMatch(/at most 10,000/)
    // nothing stored for any of them, and a good call still works
    expect(apiBatches().length).toBe(before)
    expect((await call(GOOD)).status).toBe(200)
  })

  it('answers 404 for an unknown model and 400 for a SMILES RDKit cannot read', async () => {
    const unknown = await call({ model: 'v99', compounds: [{ smiles: 'CCO' }] })
    expect(unknown.status).toBe(404)
    expect((unknown.body as { error: { message: string } }).error.message).toMatch(/v99/)
    const target = await call({ target: 'CHEMBL0', compounds: [{ smiles: 'CCO' }] })
    expect(target.status).toBe(404)
    const bad = await call({ model: legacy, compounds: [{ smiles: 'C1CC(' }] })
    expect(bad.status).toBe(400)
    expect((bad.body as { error: { message: string } }).error.message).toMatch(/cannot read/)
    expect((await call(GOOD)).status).toBe(200)
  })

  it('refuses a burst past the default limit with 429 and Retry-After, per client', async () => {
    setApiRateLimits(engine.context, API_RATE_LIMITS)
    expect(apiRateLimiter(engine.context).limits).toEqual(API_RATE_LIMITS)
    const n = API_RATE_LIMITS.requestBurst * 3
    // malformed bodies count too, and cost nothing to answer: the burst is quicker than the refill
    const answers = await Promise.all(
      Array.from({ length: n }, () => handleApiPredict(engine.context, '{', 'burst-client')),
    )
    const limited = answers.filter((a) => a.status === 429)
    expect(limited.length).toBeGreaterThan(0)
    expect(answers.filter((a) => a.status === 400).length).toBeGreaterThanOrEqual(
      API_RATE_LIMITS.requestBurst,
    )
    expect(Number(limited[0]!.headers?.['Retry-After'])).toBeGreaterThanOrEqual(1)
    expect((limited[0]!.body as { error: { code: string } }).error.code).toBe('rate-limited')
    // another client is not held back by this one
    expect((await handleApiPredict(engine.context, JSON.stringify(GOOD), 'other')).status).toBe(200)
  })

  describe('over HTTP, through the monitoring listener', () => {
    let base = ''
    let token = ''
    const post = (body: string, auth: string | null = token) =>
      fetch(`${base}/predict`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(auth === null ? {} : { authorization: `Bearer ${auth}` }),
        },
        body,
      })
    const set = (key: string, value: unknown) =>
      ok(engine.invoke('settings.set', { key, value } as never))

    beforeAll(async () => {
      setApiRateLimits(engine.context, {
        requestsPerSecond: 1e6,
        requestBurst: 1e6,
        compoundsPerMinute: 1e9,
      })
      const port = await freePort()
      await set('metrics.port', port)
      await set('metrics.enabled', true)
      base = `http://127.0.0.1:${port}`
      token = (await ok(engine.invoke('metrics.token', {}))).token
    })

    it('has no /predict while its switch is off', async () => {
      const status = await ok(engine.invoke('metrics.status', {}))
      expect(status).toMatchObject({ listening: true, predictEnabled: false })
      expect((await post('{"compounds":[{"smiles":"CCO"}]}')).status).toBe(404)
      expect((await fetch(`${base}/health`)).status).toBe(200)
    })

    it('answers with the token only, refuses an oversized body with 413, and keeps serving', async () => {
      await set('metrics.predict', true)
      const body = '{"compounds":[{"features":{"mw_freebase":350.4,"alogp":3.1,"hba":5,"hbd":1}}]}'
      expect((await post(body, null)).status).toBe(401)
      expect((await post(body, `${token}x`)).status).toBe(401)
      expect((await post(body, 'A'.repeat(token.length))).status).toBe(401)
      const good = await post(body)
      expect(good.status).toBe(200)
      const answer = (await good.json()) as { pActivity: number; modelVersion: string }
      const single: SinglePrediction = await ok(
        engine.invoke('predictions.single', {
          features: { mw_freebase: 350.4, alogp: 3.1, hba: 5, hbd: 1 },
        }),
      )
      expect(answer).toMatchObject({ modelVersion: 'v1', pActivity: round4(single.pActivity) })
      // a body past MAX_API_BODY_BYTES (4 MiB): one SMILES padded with spaces JSON allows
      const huge = `{"compounds":[{"smiles":"CCO"}]${' '.repeat(MAX_API_BODY_BYTES)}}`
      const refused = await post(huge)
      expect(refused.status).toBe(413)
      const wrong = await post('{"compounds":[{"features":{"mw_freebase":"heavy"}}]}')
      expect(wrong.status).toBe(400)
      expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(
        /^compounds\[0\]\.features\.mw_freebase: /,
      )
      expect((await post(body)).status).toBe(200)
    })

    it('refuses a burst past the default limit with 429 and a Retry-After header', async () => {
      setApiRateLimits(engine.context, API_RATE_LIMITS)
      const n = API_RATE_LIMITS.requestBurst * 4
      const answers = await Promise.all(
        Array.from({ length: n }, () =>
          post('{').then(async (r) => ({
            status: r.status,
            retry: r.headers.get('retry-after'),
            code: ((await r.json()) as { error: { code: string } }).error.code,
          })),
        ),
      )
      const limited = answers.filter((a) => a.status === 429)
      expect(limited.length).toBeGreaterThan(0)
      expect(limited[0]).toMatchObject({ code: 'rate-limited' })
      expect(Number(limited[0]!.retry)).toBeGreaterThanOrEqual(1)
      expect(answers.every((a) => a.status === 429 || a.status === 400)).toBe(true)
      // once the bucket refills (Retry-After says when) a good call is served again
      await new Promise((r) => setTimeout(r, 1000 * Number(limited.at(-1)!.retry) + 100))
      expect((await post(JSON.stringify(GOOD))).status).toBe(200)
    })
  })
})
