import { statSync } from 'node:fs'
import { join } from 'node:path'
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type Metric,
} from 'prom-client'
import type { BatchSummary, EventName, Events, PredictionSource } from '../../contract'
import type { HostKind } from '../context'
import { DATABASE_FILE, type Db } from '../db/connection'
import { METRICS, type MetricName, type MetricSource, type MetricSpec } from './catalogue'

/** Where a stored batch came from, as the `source` label says it (a CLI command's are `cli`). */
export function metricSource(source: PredictionSource, host: HostKind): MetricSource {
  // `assay serve --predict` runs a CLI engine; its callers are the API's
  if (source === 'api') return 'api'
  if (host === 'cli') return 'cli'
  if (source === 'single') return 'ui'
  return 'batch'
}

/** What the recorder needs of the model a batch was scored with. */
export interface ScoredBy {
  row: { version: string; target_chembl_id: string }
}

interface ProductionModel {
  id: number
  version: string
  target: string
  learner: string
  features: string
  createdAt: string
  cvRmse: number | null
  cvR2: number | null
}

interface LatestCheck {
  target: string
  version: string
  share: number
  datasetDrift: boolean
  createdAt: string
  features: { feature: string; method: string; statistic: number | null; psi: number | null }[]
  nnSimilarityMedian: number | null
  rmse: number | null
  coverage: number | null
  degraded: boolean | null
}

/** What the stored gauges show, read from SQLite once per scrape. */
export interface StoredState {
  compounds: number
  activities: number
  databaseBytes: number
  models: ProductionModel[]
  checks: LatestCheck[]
}

type Labels = Record<string, string>

/** Compounds observed into the duration histogram in one go (about 15 ms). */
const OBSERVE_SLICE = 20_000

const NON_COUNTER_TOTALS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
]

/**
 * The engine's metrics: one prom-client registry per engine (several engines share a process in
 * tests, so never the global one). Counters and histograms change as work happens; the gauges
 * that describe stored state are read from SQLite when scraped, so they are right after a
 * restart and a deleted model's series are gone at the next scrape. Nothing here reads the
 * predictions table: a scrape stays cheap however many predictions are stored.
 */
export class MetricsRecorder {
  readonly registry = new Registry()
  private readonly counters = new Map<MetricName, Counter>()
  private readonly histograms = new Map<MetricName, Histogram>()
  private snapshot: StoredState | null = null
  /** ISO time of the last scrape answered */
  lastScrapeAt: string | null = null

  constructor(
    private readonly source: {
      db: () => Db
      dataDir: string
      host: HostKind
    },
  ) {
    for (const [name, spec] of Object.entries(METRICS) as [MetricName, MetricSpec][]) {
      const base = {
        name,
        help: spec.help,
        labelNames: [...spec.labels],
        registers: [this.registry],
      }
      if (spec.type === 'counter') this.counters.set(name, new Counter(base))
      else if (spec.type === 'histogram')
        this.histograms.set(name, new Histogram({ ...base, buckets: [...(spec.buckets ?? [])] }))
      else {
        const fill = (gauge: Gauge) => {
          gauge.reset()
          this.fillGauge(name, gauge, this.stored())
        }
        new Gauge({
          ...base,
          collect(this: Gauge) {
            fill(this)
          },
        })
      }
    }
    collectDefaultMetrics({ register: this.registry })
    // prom-client's totals of active handles, requests and resources are gauges named like
    // counters (promtool objects); the same counts by type stay (nodejs_active_handles, ...).
    for (const name of NON_COUNTER_TOTALS) this.registry.removeSingleMetric(name)
  }

  /** The exposition text; the stored gauges are read now. */
  async scrape(): Promise<string> {
    this.snapshot = null
    try {
      const text = await this.registry.metrics()
      this.lastScrapeAt = new Date().toISOString()
      return text
    } finally {
      this.snapshot = null
    }
  }

  get contentType(): string {
    return this.registry.contentType
  }

  /** Counts a stored batch (or single prediction): compounds scored, failed, out of domain. */
  predictionsStored(summary: BatchSummary, model: ScoredBy, seconds = summary.seconds): void {
    const source = metricSource(summary.source, this.source.host)
    const labels = { target: model.row.target_chembl_id, model_version: model.row.version, source }
    this.counter('assay_predictions_total').inc(labels, summary.rowsScored)
    const outOfDomain = summary.rowsScored - summary.inDomain
    // the series exists from the first prediction on, so a rate over it reads 0, not nothing
    this.counter('assay_predictions_out_of_domain_total').inc(labels, Math.max(0, outOfDomain))
    for (const [reason, n] of Object.entries(summary.failuresByReason))
      this.counter('assay_prediction_failures_total').inc({ source, reason }, n)
    const compounds = summary.rowsScored + summary.rowsFailed
    if (compounds > 0 && Number.isFinite(seconds) && seconds >= 0) {
      const each = seconds / compounds
      const histogram = this.histogram('assay_prediction_duration_seconds')
      // prom-client observes one value at a time (about 0.8 µs each): a million-row batch would
      // hold the engine's thread for most of a second, so past one slice the rest follows in
      // slices between other work.
      const observe = (left: number) => {
        const n = Math.min(left, OBSERVE_SLICE)
        for (let i = 0; i < n; i++) histogram.observe({ source }, each)
        if (left > n) setImmediate(() => observe(left - n))
      }
      observe(compounds)
    }
  }

  /** Every event the engine emits passes here; imports and training runs are counted as they end. */
  observe<E extends EventName>(event: E, payload: Events[E]): void {
    if (event === 'automation.activity') {
      const entry = payload as Events['automation.activity']
      this.counter('assay_automation_events_total').inc({ kind: entry.kind })
      const decision = entry.details.decision
      if (
        (entry.kind === 'retrain-decided' || entry.kind === 'retrain-failed') &&
        typeof decision === 'string'
      )
        this.counter('assay_retrain_decisions_total').inc({
          target: entry.target ?? '',
          decision,
        })
      return
    }
    if (event !== 'job.finished') return
    const finished = payload as Events['job.finished']
    if (finished.kind === 'imports.start') {
      this.counter('assay_imports_total').inc({ outcome: finished.state })
      this.histogram('assay_import_duration_seconds').observe(finished.seconds)
      if (finished.state === 'succeeded' && !finished.result.skipped) {
        this.counter('assay_import_rows_accepted_total').inc(finished.result.rowsAccepted)
        for (const [reason, n] of Object.entries(finished.result.rejectionsByReason))
          this.counter('assay_import_rows_rejected_total').inc({ reason }, n)
      }
    } else if (finished.kind === 'models.train') {
      this.counter('assay_training_runs_total').inc({ outcome: finished.state })
      this.histogram('assay_training_duration_seconds').observe(finished.seconds)
    }
  }

  private counter(name: MetricName): Counter {
    return this.counters.get(name) as Counter
  }

  private histogram(name: MetricName): Histogram {
    return this.histograms.get(name) as Histogram
  }

  /** The stored state, read once per scrape however many gauges ask. */
  private stored(): StoredState {
    this.snapshot ??= readStoredState(this.source.db(), this.source.dataDir)
    return this.snapshot
  }

  private fillGauge(name: MetricName, gauge: Gauge, s: StoredState): void {
    const set = (labels: Labels, value: number | null | undefined) => {
      if (value !== null && value !== undefined && Number.isFinite(value)) gauge.set(labels, value)
    }
    const nowSeconds = Date.now() / 1000
    switch (name) {
      case 'assay_compounds':
        return set({}, s.compounds)
      case 'assay_activities':
        return set({}, s.activities)
      case 'assay_database_size_bytes':
        return set({}, s.databaseBytes)
      case 'assay_model_info':
        for (const m of s.models)
          set(
            {
              target: m.target,
              version: m.version,
              learner: m.learner,
              features: m.features,
              stage: 'production',
            },
            1,
          )
        return
      case 'assay_model_cv_rmse':
        for (const m of s.models) set({ target: m.target, version: m.version }, m.cvRmse)
        return
      case 'assay_model_cv_r2':
        for (const m of s.models) set({ target: m.target, version: m.version }, m.cvR2)
        return
      case 'assay_model_age_seconds':
        for (const m of s.models)
          set(
            { target: m.target, version: m.version },
            Math.max(0, nowSeconds - Date.parse(m.createdAt) / 1000),
          )
        return
      default:
        return this.fillDriftGauge(name, set, s.checks)
    }
  }

  private fillDriftGauge(
    name: MetricName,
    set: (labels: Labels, value: number | null | undefined) => void,
    checks: LatestCheck[],
  ): void {
    for (const c of checks) {
      const labels = { target: c.target, version: c.version }
      switch (name) {
        case 'assay_drift_share':
          set(labels, c.share)
          break
        case 'assay_drift_dataset_drift':
          set(labels, c.datasetDrift ? 1 : 0)
          break
        case 'assay_drift_feature_statistic':
          for (const f of c.features)
            set({ ...labels, feature: f.feature, method: f.method }, f.statistic)
          break
        case 'assay_drift_feature_psi':
          for (const f of c.features) set({ ...labels, feature: f.feature }, f.psi)
          break
        case 'assay_drift_nn_similarity_median':
          set(labels, c.nnSimilarityMedian)
          break
        case 'assay_drift_current_rmse':
          set(labels, c.rmse)
          break
        case 'assay_drift_interval_coverage':
          set(labels, c.coverage)
          break
        case 'assay_drift_performance_degraded':
          set(labels, c.degraded === null ? null : c.degraded ? 1 : 0)
          break
        case 'assay_drift_last_check_timestamp_seconds':
          set(labels, Date.parse(c.createdAt) / 1000)
          break
        default:
          break
      }
    }
  }

  /** For tests: the metric object prom-client holds under `name`. */
  metric(name: MetricName): Metric | undefined {
    return this.registry.getSingleMetric(name)
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/**
 * Reads what the stored gauges show: counts from the compounds and measurements tables, the
 * production models (never their ONNX blobs) and the latest drift check of each. Simulated
 * checks are left out: they are demonstrations, and an alert on one would be a false alarm.
 */
export function readStoredState(db: Db, dataDir: string): StoredState {
  const compounds = db.prepare('SELECT count(*) FROM compounds').pluck().get() as number
  const activities = db.prepare('SELECT count(*) FROM activity_records').pluck().get() as number
  const dbPath = join(dataDir, DATABASE_FILE)
  const databaseBytes = fileSize(dbPath) + fileSize(`${dbPath}-wal`)
  const rows = db
    .prepare(
      `SELECT id, version, target_chembl_id AS target, learner, feature_set AS features,
              created_at AS createdAt,
              json_extract(cv_metrics_json, '$.cv.rmse') AS cvRmse,
              json_extract(cv_metrics_json, '$.cv.r2') AS cvR2
         FROM model_versions WHERE stage = 'production' ORDER BY target_chembl_id`,
    )
    .all() as ProductionModel[]
  const latest = db.prepare(
    `SELECT id, drifted_share, dataset_drifted, created_at, performance_json, chemistry_json
       FROM drift_runs WHERE model_version = ? AND source_kind != 'simulated'
      ORDER BY id DESC LIMIT 1`,
  )
  const features = db.prepare(
    `SELECT feature, method, statistic, psi FROM drift_features
      WHERE drift_run_id = ? ORDER BY position`,
  )
  const checks: LatestCheck[] = []
  for (const m of rows) {
    const run = latest.get(m.version) as
      | {
          id: number
          drifted_share: number
          dataset_drifted: number
          created_at: string
          performance_json: string | null
          chemistry_json: string | null
        }
      | undefined
    if (!run) continue
    const performance = run.performance_json
      ? (JSON.parse(run.performance_json) as {
          rmse?: number
          coverage?: number
          degraded?: boolean
        })
      : null
    const chemistry = run.chemistry_json
      ? (JSON.parse(run.chemistry_json) as { medianNnSimilarity?: number })
      : null
    checks.push({
      target: m.target,
      version: m.version,
      share: run.drifted_share,
      datasetDrift: run.dataset_drifted === 1,
      createdAt: run.created_at,
      features: features.all(run.id) as LatestCheck['features'],
      nnSimilarityMedian: chemistry?.medianNnSimilarity ?? null,
      rmse: performance?.rmse ?? null,
      coverage: performance?.coverage ?? null,
      degraded: performance ? performance.degraded === true : null,
    })
  }
  return { compounds, activities, databaseBytes, models: rows, checks }
}
