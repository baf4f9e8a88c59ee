import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_RETRAIN_POLICY, type MetricsStatus, type Settings } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { METRICS } from '../../src-main/engine/metrics/catalogue'
import { fileRef, runJob, startTestEngine, tempDir } from '../helpers'
import { freePort, http, parseExposition, value, find, type Sample } from '../metrics-helpers'
import { ACHE, AROMATASE, readTable } from '../reference-csv'
import { type ReportSubjects, makeReportSubjects } from '../report-subjects'

// The monitoring endpoint of an engine holding real data: the aromatase export and the AChE dump
// imported, a core4 model trained and promoted, the AChE import checked for drift, the AChE file
// scored as a batch and three compounds scored one by one. Expected values come from the files
// themselves and from SQLite, never from the recorder.

const dir = tempDir('assay-metrics-')
let engine: Engine
let subjects: ReportSubjects
let port: number
const aromataseRows = readTable(AROMATASE, ';').rows
const acheRows = readTable(ACHE, ',').rows
const SINGLE = [
  { mw_freebase: 300, alogp: 3, hba: 3, hbd: 1 },
  { mw_freebase: 420.5, alogp: 4.2, hba: 5, hbd: 2 },
  // far outside the training data: outside the applicability domain
  { mw_freebase: 4900, alogp: -19, hba: 45, hbd: 30 },
]

async function ok<T>(answer: Promise<{ ok: boolean; value?: unknown; error?: unknown }>) {
  const a = await answer
  if (!a.ok) throw new Error(JSON.stringify(a.error))
  return a.value as T
}

async function scrape(): Promise<Sample[]> {
  const res = await http(port, '/metrics')
  expect(res.status).toBe(200)
  return parseExposition(res.body).samples
}

beforeAll(async () => {
  engine = startTestEngine(dir.path)
  await ok(engine.invoke('settings.set', { key: 'drift.autoCheck', value: false }))
  const imported = await runJob(engine, 'imports.start', {
    file: await fileRef(engine, AROMATASE),
  })
  if (imported.state !== 'succeeded') throw new Error(imported.error?.message)
  subjects = await makeReportSubjects(engine)
  for (const features of SINGLE)
    await ok(engine.invoke('predictions.single', { model: subjects.version, features }))
  // the automation's counters get their series: a retraining policy saved, and one dry run of it
  await ok(
    engine.invoke('automation.savePolicy', {
      target: 'CHEMBL1978',
      policy: { ...DEFAULT_RETRAIN_POLICY, enabled: true },
    }),
  )
  const dryRun = await runJob(engine, 'automation.retrain', { target: 'CHEMBL1978', dryRun: true })
  if (dryRun.state !== 'succeeded') throw new Error(dryRun.error?.message)
  port = await freePort()
}, 300_000)

afterAll(async () => {
  await engine?.close()
  dir.remove()
})

describe('the monitoring endpoint, off by default', () => {
  it('listens nowhere until switched on, then on 127.0.0.1 only', async () => {
    const status = await ok<MetricsStatus>(engine.invoke('metrics.status', {}))
    expect(status).toMatchObject({ enabled: false, listening: false, address: null })
    expect(status.bind).toBe('127.0.0.1')
    await ok(engine.invoke('settings.set', { key: 'metrics.port', value: port }))
    await expect(http(port, '/metrics')).rejects.toThrow(/ECONNREFUSED/)
    await ok(engine.invoke('settings.set', { key: 'metrics.enabled', value: true }))
    const on = await ok<MetricsStatus>(engine.invoke('metrics.status', {}))
    expect(on).toMatchObject({
      enabled: true,
      listening: true,
      address: `http://127.0.0.1:${port}`,
      tokenRequired: false,
      error: null,
    })
    // loopback only: the same port on the machine's other addresses refuses
    const { networkInterfaces } = await import('node:os')
    const other = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)
    if (other)
      await expect(http(port, '/health', { host: other.address })).rejects.toThrow(/ECONNREFUSED/)
    expect((await http(port, '/health')).status).toBe(200)
  })
})

describe('/metrics with real data', () => {
  let samples: Sample[]
  let text: string
  beforeAll(async () => {
    const res = await http(port, '/metrics')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    text = res.body
    samples = parseExposition(text).samples
  })

  it('has every catalogue family with its type', () => {
    const { types } = parseExposition(text)
    for (const [name, spec] of Object.entries(METRICS))
      expect(types.get(name), name).toBe(spec.type)
    // prom-client's process metrics too
    expect(types.get('process_cpu_user_seconds_total')).toBe('counter')
    expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge')
  })

  it('counts the imports and their rows as the files have them', () => {
    expect(value(samples, 'assay_imports_total', { outcome: 'succeeded' })).toBe(2)
    const accepted = value(samples, 'assay_import_rows_accepted_total')
    const rejected = find(samples, 'assay_import_rows_rejected_total').reduce(
      (s, x) => s + x.value,
      0,
    )
    // every row of both files was either stored or rejected with a reason
    expect(accepted + rejected).toBe(aromataseRows.length + acheRows.length)
    const db = engine.context.db
    const stored = db.prepare('SELECT sum(rows_accepted) FROM imports').pluck().get() as number
    expect(accepted).toBe(stored)
    const byReason = db
      .prepare('SELECT reason, count(*) AS n FROM import_rejections GROUP BY reason')
      .all() as { reason: string; n: number }[]
    for (const r of byReason)
      expect(value(samples, 'assay_import_rows_rejected_total', { reason: r.reason })).toBe(r.n)
    expect(value(samples, 'assay_import_duration_seconds_count')).toBe(2)
    expect(value(samples, 'assay_compounds')).toBe(
      db.prepare('SELECT count(*) FROM compounds').pluck().get(),
    )
    expect(value(samples, 'assay_activities')).toBe(
      db.prepare('SELECT count(*) FROM activities').pluck().get(),
    )
    const file = join(dir.path, 'workbench.sqlite')
    const size = statSync(file).size
    expect(value(samples, 'assay_database_size_bytes')).toBeGreaterThanOrEqual(size)
  })

  it('counts predictions by source as SQLite stored them', () => {
    const v = subjects.version
    const labels = (source: string) => ({ target: 'CHEMBL1978', model_version: v, source })
    expect(value(samples, 'assay_predictions_total', labels('ui'))).toBe(SINGLE.length)
    const db = engine.context.db
    const batchRows = db
      .prepare(
        `SELECT count(*) AS rows, count(p_activity) AS scored, sum(in_domain = 0) AS ood
           FROM predictions p JOIN prediction_batches b ON b.id = p.batch_id WHERE b.source = ?`,
      )
      .get('file') as { rows: number; scored: number; ood: number }
    // every row of the AChE file was scored or failed
    expect(batchRows.rows).toBe(acheRows.length)
    expect(value(samples, 'assay_predictions_total', labels('batch'))).toBe(batchRows.scored)
    expect(value(samples, 'assay_predictions_out_of_domain_total', labels('batch'))).toBe(
      batchRows.ood,
    )
    const singleOod = db
      .prepare(
        `SELECT sum(in_domain = 0) FROM predictions p JOIN prediction_batches b
          ON b.id = p.batch_id WHERE b.source = 'single'`,
      )
      .pluck()
      .get() as number
    expect(singleOod).toBeGreaterThanOrEqual(1)
    expect(value(samples, 'assay_predictions_out_of_domain_total', labels('ui'))).toBe(singleOod)
    const failures = db
      .prepare(
        `SELECT failure_reason AS reason, count(*) AS n FROM predictions
          WHERE failure_reason IS NOT NULL GROUP BY failure_reason`,
      )
      .all() as { reason: string; n: number }[]
    expect(failures.length).toBeGreaterThan(0)
    for (const f of failures)
      expect(
        value(samples, 'assay_prediction_failures_total', { source: 'batch', reason: f.reason }),
      ).toBe(f.n)
    // one duration per compound: the file's rows and the three typed ones
    expect(value(samples, 'assay_prediction_duration_seconds_count', { source: 'batch' })).toBe(
      acheRows.length,
    )
    expect(value(samples, 'assay_prediction_duration_seconds_count', { source: 'ui' })).toBe(3)
  })

  it('describes the production model from its stored evaluation', () => {
    const v = subjects.version
    expect(
      value(samples, 'assay_model_info', {
        target: 'CHEMBL1978',
        version: v,
        learner: 'gbdt',
        features: 'core4',
        stage: 'production',
      }),
    ).toBe(1)
    const row = engine.context.db
      .prepare('SELECT cv_metrics_json, created_at FROM model_versions WHERE version = ?')
      .get(v) as { cv_metrics_json: string; created_at: string }
    // RMSE and R² computed here from the stored out-of-fold predictions
    const { oof } = JSON.parse(row.cv_metrics_json) as {
      oof: { observed: number[]; predicted: number[] }
    }
    const n = oof.observed.length
    const sse = oof.observed.reduce((s, y, i) => s + (y - (oof.predicted[i] as number)) ** 2, 0)
    const mean = oof.observed.reduce((s, y) => s + y, 0) / n
    const sst = oof.observed.reduce((s, y) => s + (y - mean) ** 2, 0)
    const labels = { target: 'CHEMBL1978', version: v }
    expect(value(samples, 'assay_model_cv_rmse', labels)).toBeCloseTo(Math.sqrt(sse / n), 6)
    expect(value(samples, 'assay_model_cv_r2', labels)).toBeCloseTo(1 - sse / sst, 6)
    const age = value(samples, 'assay_model_age_seconds', labels)
    const expected = (Date.now() - Date.parse(row.created_at)) / 1000
    expect(age).toBeGreaterThanOrEqual(0)
    expect(Math.abs(age - expected)).toBeLessThan(120)
    expect(value(samples, 'assay_training_runs_total', { outcome: 'succeeded' })).toBe(1)
    expect(value(samples, 'assay_training_duration_seconds_count')).toBe(1)
  })

  it("shows the latest drift check's share and each feature's statistic", () => {
    const v = subjects.version
    const labels = { target: 'CHEMBL1978', version: v }
    const db = engine.context.db
    const run = db
      .prepare('SELECT * FROM drift_runs WHERE model_version = ? ORDER BY id DESC LIMIT 1')
      .get(v) as {
      id: number
      features_drifted: number
      features_tested: number
      dataset_drifted: number
      created_at: string
    }
    expect(run.id).toBe(subjects.check.driftRunId)
    expect(value(samples, 'assay_drift_share', labels)).toBeCloseTo(
      run.features_drifted / run.features_tested,
      12,
    )
    expect(value(samples, 'assay_drift_dataset_drift', labels)).toBe(run.dataset_drifted)
    expect(value(samples, 'assay_drift_last_check_timestamp_seconds', labels)).toBeCloseTo(
      Date.parse(run.created_at) / 1000,
      3,
    )
    const features = db
      .prepare('SELECT feature, method, statistic, psi FROM drift_features WHERE drift_run_id = ?')
      .all(run.id) as { feature: string; method: string; statistic: number | null; psi: number }[]
    expect(features.length).toBeGreaterThan(0)
    for (const f of features) {
      if (f.statistic !== null)
        expect(
          value(samples, 'assay_drift_feature_statistic', {
            ...labels,
            feature: f.feature,
            method: f.method,
          }),
        ).toBeCloseTo(f.statistic, 9)
      if (f.psi !== null)
        expect(
          value(samples, 'assay_drift_feature_psi', { ...labels, feature: f.feature }),
        ).toBeCloseTo(f.psi, 9)
    }
    const chemistry = subjects.check.chemistry
    if (chemistry)
      expect(value(samples, 'assay_drift_nn_similarity_median', labels)).toBeCloseTo(
        chemistry.medianNnSimilarity,
        9,
      )
    const performance = subjects.check.performance
    if (performance) {
      expect(value(samples, 'assay_drift_current_rmse', labels)).toBeCloseTo(performance.rmse, 9)
      expect(value(samples, 'assay_drift_interval_coverage', labels)).toBeCloseTo(
        performance.coverage,
        9,
      )
      expect(value(samples, 'assay_drift_performance_degraded', labels)).toBe(
        performance.degraded ? 1 : 0,
      )
    }
  })

  it('never carries a compound ID or a file name in a label', () => {
    const labelText = samples.map((s) => Object.values(s.labels).join('\n')).join('\n')
    const ids = new Set([
      ...aromataseRows.map((r) => r['Molecule ChEMBL ID'] as string),
      ...acheRows.map((r) => r.molecule_chembl_id as string),
    ])
    expect(ids.size).toBeGreaterThan(7000)
    for (const id of ids) if (id) expect(labelText.includes(id), id).toBe(false)
    expect(text.includes(basename(ACHE))).toBe(false)
    expect(text.includes(basename(AROMATASE))).toBe(false)
    expect(text.includes('chembl_')).toBe(false)
  })

  it('passes promtool check metrics', () => {
    const lint = spawnSync('/usr/bin/promtool', ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(`${lint.stdout}${lint.stderr}`.trim()).toBe('')
    expect(lint.status).toBe(0)
  })
})

describe('/health', () => {
  it('names the app, the schema, the production model and its last check', async () => {
    const res = await http(port, '/health')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const health = JSON.parse(res.body) as Record<string, unknown>
    const db = engine.context.db
    const model = db
      .prepare('SELECT created_at FROM model_versions WHERE version = ?')
      .pluck()
      .get(subjects.version) as string
    expect(health).toMatchObject({
      status: 'ok',
      schemaVersion: db.pragma('user_version', { simple: true }),
      productionModels: [
        { target: 'CHEMBL1978', version: subjects.version, learner: 'gbdt', trainedAt: model },
      ],
      driftChecks: [
        {
          target: 'CHEMBL1978',
          version: subjects.version,
          checkedAt: subjects.check.createdAt,
          datasetDrift: subjects.check.datasetDrift,
          verdict: subjects.check.datasetDrift
            ? 'dataset drift'
            : subjects.check.performance?.degraded
              ? 'performance degraded'
              : 'no drift',
        },
      ],
    })
    expect(typeof health.appVersion).toBe('string')
    expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0)
  })
})

describe('what the endpoint refuses', () => {
  it('answers nothing but its routes, never with CORS headers', async () => {
    const answers = [
      await http(port, '/'),
      await http(port, '/metrics/'),
      await http(port, '/predict', { method: 'POST', body: '{}' }),
      await http(port, '/metrics', { method: 'OPTIONS', headers: { origin: 'https://evil.test' } }),
      await http(port, '/metrics', { headers: { origin: 'https://evil.test' } }),
    ]
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 405, 200])
    for (const a of answers)
      expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control'))).toEqual([])
  })

  it('refuses a Host header naming another site (DNS rebinding)', async () => {
    for (const host of [`evil.test:${port}`, 'localhost', `127.0.0.1:${port + 1}`]) {
      const res = await http(port, '/metrics', { headers: { host } })
      expect(res.status, host).toBe(421)
    }
    expect((await http(port, '/health', { headers: { host: `localhost:${port}` } })).status).toBe(
      200,
    )
  })

  it('asks for the token on /predict, once switched on', async () => {
    await ok(engine.invoke('settings.set', { key: 'metrics.predict', value: true }))
    const { token } = await ok<{ token: string }>(engine.invoke('metrics.token', {}))
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const body = JSON.stringify({ compounds: [{ features: SINGLE[0] }] })
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${token}`, `Bearer ${token}x`]) {
      const res = await http(port, '/predict', {
        method: 'POST',
        body,
        headers: authorization ? { authorization } : {},
      })
      expect(res.status, authorization).toBe(401)
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/)
    }
    const right = await http(port, '/predict', {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}` },
    })
    expect(right.status).not.toBe(401)
    // a renewed token replaces the old one at once, and the renewal is audited without it
    const renewed = await ok<{ token: string }>(engine.invoke('metrics.renewToken', {}))
    expect(renewed.token).not.toBe(token)
    const old = await http(port, '/predict', {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}` },
    })
    expect(old.status).toBe(401)
    const audit = engine.context.db
      .prepare("SELECT action, details_json FROM audit_log WHERE entity_type = 'metrics'")
      .all() as { action: string; details_json: string }[]
    expect(audit.map((a) => a.action)).toEqual(['create-token', 'renew-token'])
    expect(JSON.stringify(audit).includes(token)).toBe(false)
    expect(JSON.stringify(audit).includes(renewed.token)).toBe(false)
    // the token is no setting: settings.get does not show it, settings.set cannot write it
    const settings = await ok<Settings>(engine.invoke('settings.get', {}))
    expect(JSON.stringify(settings).includes(renewed.token)).toBe(false)
    const set = await engine.invoke('settings.set', { key: 'metrics.token', value: 'mine' })
    expect(set.ok).toBe(false)
    // 413 past the body limit, before anything reads it
    const big = await http(port, '/predict', {
      method: 'POST',
      body: 'x'.repeat(4 * 1024 ** 2 + 1),
      headers: { authorization: `Bearer ${renewed.token}` },
    })
    expect(big.status).toBe(413)
    await ok(engine.invoke('settings.set', { key: 'metrics.predict', value: false }))
    expect((await http(port, '/predict', { method: 'POST', body })).status).toBe(404)
  })

  it('a busy port is port-in-use, and the switch goes back off', async () => {
    const busy = createServer()
    const taken = await freePort()
    await new Promise<void>((r) => busy.listen(taken, '127.0.0.1', r))
    try {
      const answer = await engine.invoke('settings.set', { key: 'metrics.port', value: taken })
      expect(answer.ok).toBe(false)
      if (!answer.ok) {
        expect(answer.error.code).toBe('port-in-use')
        expect(answer.error.message).toContain(String(taken))
      }
      const settings = await ok<Settings>(engine.invoke('settings.get', {}))
      expect(settings['metrics.enabled']).toBe(false)
      const status = await ok<MetricsStatus>(engine.invoke('metrics.status', {}))
      expect(status).toMatchObject({ enabled: false, listening: false })
      expect(status.error).toContain(String(taken))
      await expect(http(port, '/health')).rejects.toThrow(/ECONNREFUSED/)
    } finally {
      await new Promise<void>((r) => busy.close(() => r()))
    }
    // back on its free port
    await ok(engine.invoke('settings.set', { key: 'metrics.port', value: port }))
    await ok(engine.invoke('settings.set', { key: 'metrics.enabled', value: true }))
    expect((await http(port, '/health')).status).toBe(200)
  })
})

describe('a real Prometheus scraping the endpoint', () => {
  let prometheus: ChildProcess | null = null
  let promPort: number
  const promDir = tempDir('assay-prometheus-')

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus?.once('exit', r))
      prometheus.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL')
    }
    promDir.remove()
  })

  async function query(
    promql: string,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const res = await http(promPort, `/api/v1/query?query=${encodeURIComponent(promql)}`, {
      headers: { host: `127.0.0.1:${promPort}` },
    })
    const body = JSON.parse(res.body) as {
      status: string
      data: { result: { metric: Record<string, string>; value: [number, string] }[] }
    }
    expect(body.status).toBe('success')
    return body.data.result
  }

  it('finds every family with its labels and values, scraping with the bearer token', async () => {
    // Bound as on a LAN (an IPv4-mapped loopback address is not one the endpoint trusts without
    // a token), so Prometheus must send the token; it still never leaves the machine.
    await ok(engine.invoke('settings.set', { key: 'metrics.bind', value: '::ffff:127.0.0.1' }))
    const { token } = await ok<{ token: string }>(engine.invoke('metrics.token', {}))
    expect((await http(port, '/metrics')).status).toBe(401)
    promPort = await freePort()
    const config = join(promDir.path, 'prometheus.yml')
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: assay',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${port}']`,
        '    authorization:',
        '      type: Bearer',
        `      credentials: ${token}`,
        '',
      ].join('\n'),
    )
    prometheus = spawn(
      '/usr/bin/prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(promDir.path, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'ignore' },
    )
    const deadline = Date.now() + 60_000
    let up: Awaited<ReturnType<typeof query>> = []
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000))
      try {
        up = await query('up{job="assay"} == 1 and on() assay_model_info')
        if (up.length > 0) break
      } catch {
        // not answering yet
      }
    }
    expect(up.length).toBe(1)
    const res = await http(port, '/metrics', { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const samples = parseExposition(res.body).samples
    const v = subjects.version
    // every family with samples at our endpoint is in Prometheus with the same labels and values
    // (counters and stored gauges do not move between the two reads)
    const families = Object.keys(METRICS)
    // measured values against a check of another target's data are not there to show
    const performance = [
      'assay_drift_current_rmse',
      'assay_drift_interval_coverage',
      'assay_drift_performance_degraded',
    ]
    for (const family of families) {
      if (performance.includes(family) && !subjects.check.performance) continue
      if (family === 'assay_drift_nn_similarity_median' && !subjects.check.chemistry) continue
      const ours = samples.filter((s) => s.name === family || s.name === `${family}_count`)
      expect(ours.length, family).toBeGreaterThan(0)
      for (const s of ours) {
        if (s.name.endsWith('_count') && s.name !== family) continue
        if (family === 'assay_model_age_seconds' || family === 'assay_database_size_bytes') continue
        const selector = Object.entries(s.labels)
          .map(([k, val]) => `${k}=${JSON.stringify(val)}`)
          .join(',')
        const result = await query(`${family}{${selector}}`)
        expect(result.length, `${family}{${selector}}`).toBe(1)
        expect(Number(result[0]?.value[1])).toBeCloseTo(s.value, 9)
        expect(result[0]?.metric.instance).toBe(`127.0.0.1:${port}`)
      }
    }
    const histograms = families.filter(
      (f) => METRICS[f as keyof typeof METRICS].type === 'histogram',
    )
    for (const h of histograms) expect((await query(`${h}_bucket`)).length, h).toBeGreaterThan(0)
    const info = await query('assay_model_info')
    expect(info[0]?.metric).toMatchObject({
      target: 'CHEMBL1978',
      version: v,
      learner: 'gbdt',
      features: 'core4',
      stage: 'production',
    })
    expect((await query('assay_database_size_bytes'))[0]?.value[1]).not.toBe('0')
    // one policy saved and one dry run, as the setup did
    const decisions = await query('assay_retrain_decisions_total{decision="dry-run"}')
    expect(decisions.map((r) => [r.metric.target, r.value[1]])).toEqual([['CHEMBL1978', '1']])
    const saved = await query('assay_automation_events_total{kind="policy-saved"}')
    expect(saved.map((r) => r.value[1])).toEqual(['1'])
    await ok(engine.invoke('settings.set', { key: 'metrics.bind', value: '127.0.0.1' }))
  }, 120_000)
})

describe('after a restart', () => {
  it('serves the stored gauges at once; counters start again', async () => {
    const before = await scrape()
    const imports = engine.context.db
      .prepare('SELECT count(*) FROM imports')
      .pluck()
      .get() as number
    expect(imports).toBe(2)
    await engine.close()
    engine = startTestEngine(dir.path)
    const status = await ok<MetricsStatus>(engine.invoke('metrics.status', {}))
    expect(status.listening).toBe(true)
    const after = await scrape()
    const v = subjects.version
    for (const [name, labels] of [
      ['assay_compounds', {}],
      ['assay_activities', {}],
      ['assay_model_cv_rmse', { target: 'CHEMBL1978', version: v }],
      ['assay_drift_share', { target: 'CHEMBL1978', version: v }],
    ] as const)
      expect(value(after, name, labels), name).toBe(value(before, name, labels))
    expect(find(after, 'assay_predictions_total')).toEqual([])
    expect(find(after, 'assay_imports_total')).toEqual([])
    // a model no longer in production leaves no series behind at the next scrape (the app
    // refuses to archive a production model; the target is left without one directly in SQLite)
    engine.context.db
      .prepare("UPDATE model_versions SET stage = 'archived' WHERE version = ?")
      .run(v)
    const archived = await scrape()
    for (const name of [
      'assay_model_info',
      'assay_model_cv_rmse',
      'assay_model_age_seconds',
      'assay_drift_share',
      'assay_drift_feature_statistic',
      'assay_drift_last_check_timestamp_seconds',
    ])
      expect(find(archived, name), name).toEqual([])
    const health = JSON.parse((await http(port, '/health')).body) as Record<string, unknown>
    expect(health).toMatchObject({ productionModels: [], driftChecks: [] })
  })
})
