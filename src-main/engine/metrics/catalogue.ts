/**
 * Every metric family the endpoint exposes: its name, type, help and labels, in one place that
 * the recorder, the scrape-time collectors, the alert rules, the Grafana dashboard and the tests
 * all read. Prometheus naming: the `assay_` prefix, base units (seconds, bytes), `_total` on
 * counters. Labels stay bounded (target, model version, learner, feature set, stage, feature,
 * method, source, reason, outcome); never compound IDs, file names or free text.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram'

export interface MetricSpec {
  readonly type: MetricType
  readonly help: string
  readonly labels: readonly string[]
  /** histograms: bucket upper bounds, in the metric's unit */
  readonly buckets?: readonly number[]
  /**
   * `event`: changed as work happens (counters and histograms; reset when the app restarts, as
   * Prometheus expects). `stored`: read from SQLite at scrape time, so right after a restart.
   */
  readonly from: 'event' | 'stored'
}

/** Where predictions came from: the app's screens, a batch file or database set, the API, the CLI. */
export const METRIC_SOURCES = ['ui', 'batch', 'api', 'cli'] as const
export type MetricSource = (typeof METRIC_SOURCES)[number]

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
const JOB_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800]

export const METRICS = {
  // Predictions
  assay_predictions_total: {
    type: 'counter',
    help: 'Compounds scored, by target, model version and where the request came from.',
    labels: ['target', 'model_version', 'source'],
    from: 'event',
  },
  assay_prediction_duration_seconds: {
    type: 'histogram',
    help: 'Time to score one compound (a batch counts its time per compound), by source.',
    labels: ['source'],
    buckets: LATENCY_BUCKETS,
    from: 'event',
  },
  assay_prediction_failures_total: {
    type: 'counter',
    help: 'Compounds that could not be scored, by source and reason.',
    labels: ['source', 'reason'],
    from: 'event',
  },
  assay_predictions_out_of_domain_total: {
    type: 'counter',
    help: "Predictions outside the model's applicability domain.",
    labels: ['target', 'model_version', 'source'],
    from: 'event',
  },
  // Data
  // Automation
  assay_automation_events_total: {
    type: 'counter',
    help: 'What the automation did, by kind of timeline entry (file-imported, file-rejected, drift-checked, retrain-decided, ...).',
    labels: ['kind'],
    from: 'event',
  },
  assay_retrain_decisions_total: {
    type: 'counter',
    help: 'Retraining policy runs, by target and decision (promoted, kept-candidate, not-triggered, dry-run, failed, ...).',
    labels: ['target', 'decision'],
    from: 'event',
  },
  assay_imports_total: {
    type: 'counter',
    help: 'Imports finished, by outcome (succeeded, failed, cancelled).',
    labels: ['outcome'],
    from: 'event',
  },
  assay_import_rows_accepted_total: {
    type: 'counter',
    help: 'Rows imports stored.',
    labels: [],
    from: 'event',
  },
  assay_import_rows_rejected_total: {
    type: 'counter',
    help: 'Rows imports rejected, by reason.',
    labels: ['reason'],
    from: 'event',
  },
  assay_import_duration_seconds: {
    type: 'histogram',
    help: 'Time an import took, end to end.',
    labels: [],
    buckets: JOB_BUCKETS,
    from: 'event',
  },
  assay_compounds: {
    type: 'gauge',
    help: 'Compounds in the database.',
    labels: [],
    from: 'stored',
  },
  assay_activities: {
    type: 'gauge',
    help: 'Activity measurements in the database.',
    labels: [],
    from: 'stored',
  },
  assay_database_size_bytes: {
    type: 'gauge',
    help: 'Size of the database file (with its write-ahead log).',
    labels: [],
    from: 'stored',
  },
  // Models
  assay_model_info: {
    type: 'gauge',
    help: 'One series, value 1, for each production model.',
    labels: ['target', 'version', 'learner', 'features', 'stage'],
    from: 'stored',
  },
  assay_model_cv_rmse: {
    type: 'gauge',
    help: 'Cross-validated RMSE of each production model, in pActivity log units.',
    labels: ['target', 'version'],
    from: 'stored',
  },
  assay_model_cv_r2: {
    type: 'gauge',
    help: 'Cross-validated R² of each production model.',
    labels: ['target', 'version'],
    from: 'stored',
  },
  assay_model_age_seconds: {
    type: 'gauge',
    help: 'Seconds since each production model was trained.',
    labels: ['target', 'version'],
    from: 'stored',
  },
  assay_training_runs_total: {
    type: 'counter',
    help: 'Training runs finished, by outcome (succeeded, failed, cancelled).',
    labels: ['outcome'],
    from: 'event',
  },
  assay_training_duration_seconds: {
    type: 'histogram',
    help: 'Time a training run took, end to end.',
    labels: [],
    buckets: JOB_BUCKETS,
    from: 'event',
  },
  // Drift: the latest check of each production model
  assay_drift_share: {
    type: 'gauge',
    help: 'Share of tested features that drifted in the latest check.',
    labels: ['target', 'version'],
    from: 'stored',
  },
  assay_drift_dataset_drift: {
    type: 'gauge',
    help: 'Whether the latest check found dataset drift (1) or not (0).',
    labels: ['target', 'version'],
    from: 'stored',
  },
  assay_drift_feature_statistic: {
    type: 'gauge',
    help: "Each feature's drift statistic in the latest check, with its method.",
    labels: ['target', 'version', 'feature', 'method'],
    from: 'stored',
  },
  assay_drift_feature_psi: {
    type: 'gauge',
    help: "Each feature's population stability index in the latest check.",
    labels: ['target', 'version', 'feature'],
    from: 'stored',
  },
  assay_drift_nn_similarity_median: {
    type: 'gauge',
    help: 'Median nearest-neighbour Tanimoto similarity of the checked compounds to the training set.',
    labels: ['target', 'version'],
    from: 'stored',
  },
  assay_drift_current_rmse: {
    type: 'gauge',
    help: 'RMSE on the checked rows with measured values, in pActivity log units.',
    labels: ['target', 'version'],
    from: 'stored',
  },
  assay_drift_interval_coverage: {
    type: 'gauge',
    help: 'Share of measured values inside their 90% prediction interval in the latest check.',
    labels: ['target', 'version'],
    from: 'stored',
  },
  assay_drift_performance_degraded: {
    type: 'gauge',
    help: 'Whether the latest check with measured values found performance degraded (1) or not (0).',
    labels: ['target', 'version'],
    from: 'stored',
  },
  assay_drift_last_check_timestamp_seconds: {
    type: 'gauge',
    help: 'Unix time of the latest drift check.',
    labels: ['target', 'version'],
    from: 'stored',
  },
} as const satisfies Record<string, MetricSpec>

export type MetricName = keyof typeof METRICS

/** The families a CLI job pushes to a Pushgateway when it ends (grouped by job and instance). */
export const PUSHED_METRICS = {
  assay_job_duration_seconds: { type: 'gauge', help: 'How long the job ran.' },
  assay_job_rows: { type: 'gauge', help: 'Rows the job read, scored or stored.' },
  assay_job_success: { type: 'gauge', help: 'Whether the job succeeded (1) or failed (0).' },
  assay_job_last_completion_timestamp_seconds: {
    type: 'gauge',
    help: 'Unix time the job ended.',
  },
} as const
