// How long a GET /metrics takes with 1,000,000 stored predictions and a 43-feature drift check of
// the production model. The rows are written straight with SQL (what they hold does not matter to
// a scrape, which never reads them). Prints the timings; asserts nothing.
import { performance } from 'node:perf_hooks'
import { createEngine } from '../../src-main/engine/engine'
import { WORKER_SOURCE, tempDir } from '../helpers'
import { freePort, http } from '../metrics-helpers'

const PREDICTIONS = 1_000_000
const FEATURES = 43
const SCRAPES = 50

const dir = tempDir('assay-scrape-bench-')
const engine = createEngine({ dataDir: dir.path, host: 'test', workerPath: WORKER_SOURCE })
try {
  const db = engine.context.db
  const now = new Date().toISOString()
  const names = Array.from({ length: FEATURES }, (_, k) => `descriptor_${k}`)
  const t0 = performance.now()
  db.transaction(() => {
    const model = db
      .prepare(
        `INSERT INTO model_versions (version, target_chembl_id, learner, params_json, feature_set,
           feature_names_json, training_set_json, training_set_hash, training_rows, cv_metrics_json,
           calibration_json, domain_json, reference_json, onnx, onnx_sha256, stage, created_at)
         VALUES ('v1', 'CHEMBL1978', 'gbdt', '{}', 'physchem', ?, '{}', 'x', 1000, ?, '{}', '{}',
           '{}', x'00', ?, 'production', ?)`,
      )
      .run(
        JSON.stringify(names),
        JSON.stringify({ cv: { rmse: 0.8, r2: 0.5 } }),
        'a'.repeat(64),
        now,
      )
    const modelId = Number(model.lastInsertRowid)
    const batch = db
      .prepare(
        `INSERT INTO prediction_batches (model_version_id, source, input_name, rows_scored, created_at)
         VALUES (?, 'file', 'bench.csv', ?, ?)`,
      )
      .run(modelId, PREDICTIONS, now)
    const batchId = Number(batch.lastInsertRowid)
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO predictions (batch_id, row_number, inputs_json, p_activity, in_domain, created_at)
       SELECT ?, i, '{}', 6.0 + (i % 100) / 100.0, 1, ? FROM n`,
    ).run(PREDICTIONS, batchId, now)
    const run = db
      .prepare(
        `INSERT INTO drift_runs (model_version_id, model_version, target, source_kind, source_json,
           trigger, reference_rows, current_rows, features_tested, features_drifted, drifted_share,
           dataset_share, dataset_drifted, chemistry_json, seconds, created_at)
         VALUES (?, 'v1', 'CHEMBL1978', 'batch', '{"kind":"batch"}', 'manual', 1000, ?, ?, 10, ?,
           0.5, 0, '{"medianNnSimilarity":0.41}', 1.0, ?)`,
      )
      .run(modelId, PREDICTIONS, FEATURES, 10 / FEATURES, now)
    const feature = db.prepare(
      `INSERT INTO drift_features (drift_run_id, position, feature, method, overridden, statistic,
         threshold, psi, missing_reference, missing_current, distinct_values, drifted, histogram_json)
       VALUES (?, ?, ?, 'wasserstein', 0, ?, 0.1, ?, 0, 0, 100, ?, '{}')`,
    )
    names.forEach((name, k) =>
      feature.run(Number(run.lastInsertRowid), k, name, k / 100, k / 50, k < 10 ? 1 : 0),
    )
  })()
  const inserted = (performance.now() - t0) / 1000
  const stored = db.prepare('SELECT count(*) FROM predictions').pluck().get() as number
  if (stored !== PREDICTIONS) throw new Error(`${stored} predictions stored`)
  const port = await freePort()
  const on = async (key: string, value: unknown) => {
    const r = await engine.invoke('settings.set', { key: key as 'metrics.port', value })
    if (!r.ok) throw new Error(r.error.message)
  }
  await on('metrics.port', port)
  await on('metrics.enabled', true)
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < SCRAPES + 5; i++) {
    const t = performance.now()
    const res = await http(port, '/metrics')
    const ms = performance.now() - t
    if (res.status !== 200) throw new Error(`scrape answered ${res.status}`)
    bytes = res.body.length
    if (i >= 5) times.push(ms)
  }
  times.sort((a, b) => a - b)
  const q = (p: number) =>
    (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN).toFixed(1)
  console.log(
    JSON.stringify({
      predictions: PREDICTIONS,
      driftFeatures: FEATURES,
      insertSeconds: Number(inserted.toFixed(1)),
      scrapes: SCRAPES,
      exposition: bytes,
      medianMs: Number(q(0.5)),
      p95Ms: Number(q(0.95)),
      maxMs: Number((times.at(-1) ?? NaN).toFixed(1)),
      goalMs: 50,
    }),
  )
} finally {
  await engine.close()
  dir.remove()
}
