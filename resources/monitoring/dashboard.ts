/**
 * The team's Grafana dashboard for Assay Workbench workstations, as code (Grafana Foundation SDK).
 * `npm run monitoring:dashboard` writes grafana-dashboard.json beside this file; a test checks the
 * committed JSON is what this file generates, and runs every query against a real Prometheus.
 *
 * Every expression names only metric families from src-main/engine/metrics/catalogue.ts (and
 * Prometheus' own `up`), selects job="assay" as prometheus.yml labels the workstations, and one
 * workstation through the `instance` variable.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard'
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus'
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat'
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table'
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries'
import { format } from 'prettier'

export const DASHBOARD_FILE = fileURLToPath(new URL('./grafana-dashboard.json', import.meta.url))

/** The Prometheus data source is chosen on the dashboard, so one JSON fits every Grafana. */
const datasource = { type: 'prometheus', uid: '${datasource}' }
/** One workstation: the rows repeat over the `instance` variable. */
const one = 'job="assay", instance="$instance"'

const query = (refId: string, expr: string, legend?: string) => {
  const q = new DataqueryBuilder().refId(refId).expr(expr).datasource(datasource).range()
  return legend === undefined ? q : q.legendFormat(legend)
}
const tableQuery = (refId: string, expr: string) =>
  new DataqueryBuilder()
    .refId(refId)
    .expr(expr)
    .datasource(datasource)
    .instant()
    .format(PromQueryFormat.Table)

/**
 * A per-model gauge with the model's learner, features and stage copied from `assay_model_info`,
 * so the table's queries carry the same labels and Grafana's merge joins them into one row per
 * model (and only production models, which are the ones with an info series).
 */
const withModelLabels = (name: string) =>
  `${name}{${one}} * on (job, instance, target, version) group_left (learner, features, stage) assay_model_info{${one}}`

const thresholds = (steps: [number | null, string][]) =>
  new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })))

function workstationRow(): RowBuilder {
  return new RowBuilder('Workstation $instance')
    .repeat('instance')
    .withPanel(
      new TimeseriesPanel()
        .title('Predictions by model')
        .description('Compounds scored per second, by target and model version (all sources).')
        .datasource(datasource)
        .withTarget(
          query(
            'A',
            `sum by (target, model_version) (rate(assay_predictions_total{${one}}[$__rate_interval]))`,
            '{{target}} {{model_version}}',
          ),
        )
        .unit('short')
        .axisLabel('compounds / s')
        .min(0)
        .height(8)
        .span(12),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Time to score one compound')
        .description('Median, 90th and 99th percentile, over every source.')
        .datasource(datasource)
        .withTarget(
          query(
            'A',
            `histogram_quantile(0.5, sum by (le) (rate(assay_prediction_duration_seconds_bucket{${one}}[$__rate_interval])))`,
            'median',
          ),
        )
        .withTarget(
          query(
            'B',
            `histogram_quantile(0.9, sum by (le) (rate(assay_prediction_duration_seconds_bucket{${one}}[$__rate_interval])))`,
            '90th percentile',
          ),
        )
        .withTarget(
          query(
            'C',
            `histogram_quantile(0.99, sum by (le) (rate(assay_prediction_duration_seconds_bucket{${one}}[$__rate_interval])))`,
            '99th percentile',
          ),
        )
        .unit('s')
        .min(0)
        .height(8)
        .span(12),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Drifted features')
        .description(
          'Share of tested features that drifted in the latest check of each production model; at half or more the dataset has drifted.',
        )
        .datasource(datasource)
        .withTarget(query('A', `assay_drift_share{${one}}`, '{{target}} {{version}}'))
        .unit('percentunit')
        .min(0)
        .max(1)
        .thresholds(
          thresholds([
            [null, 'green'],
            [0.5, 'red'],
          ]),
        )
        .height(8)
        .span(8),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Drift statistic per feature')
        .description(
          "Each feature's drift statistic in the latest check (method in brackets: KS p-value, Wasserstein distance / std, ...).",
        )
        .datasource(datasource)
        .withTarget(
          query(
            'A',
            `assay_drift_feature_statistic{${one}}`,
            '{{version}} {{feature}} ({{method}})',
          ),
        )
        .height(8)
        .span(8),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Population stability index per feature')
        .description('PSI of each feature in the latest check: above 0.2 is a large shift.')
        .datasource(datasource)
        .withTarget(query('A', `assay_drift_feature_psi{${one}}`, '{{version}} {{feature}}'))
        .min(0)
        .height(8)
        .span(8),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Error on new measurements vs cross-validation')
        .description(
          'RMSE (pActivity log units) on checked compounds with measured values, against the RMSE the model was cross-validated with.',
        )
        .datasource(datasource)
        .withTarget(
          query('A', `assay_drift_current_rmse{${one}}`, 'new data {{target}} {{version}}'),
        )
        .withTarget(
          query('B', `assay_model_cv_rmse{${one}}`, 'cross-validated {{target}} {{version}}'),
        )
        .axisLabel('RMSE (log units)')
        .min(0)
        .height(8)
        .span(8),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('90% interval coverage')
        .description(
          'Share of measured values inside their 90% prediction interval in the latest check; well below 90% means the intervals are too narrow.',
        )
        .datasource(datasource)
        .withTarget(query('A', `assay_drift_interval_coverage{${one}}`, '{{target}} {{version}}'))
        .unit('percentunit')
        .min(0)
        .max(1)
        .thresholds(
          thresholds([
            [null, 'red'],
            [0.85, 'green'],
          ]),
        )
        .height(8)
        .span(8),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Nearest-neighbour similarity')
        .description(
          'Median Tanimoto similarity of checked compounds to their nearest training compound: low means new chemistry.',
        )
        .datasource(datasource)
        .withTarget(
          query('A', `assay_drift_nn_similarity_median{${one}}`, '{{target}} {{version}}'),
        )
        .min(0)
        .max(1)
        .height(8)
        .span(8),
    )
    .withPanel(
      new TablePanel()
        .title('Production models')
        .description(
          'Each production model with its cross-validated RMSE and R² and its age (from the last scrape).',
        )
        .datasource(datasource)
        .withTarget(tableQuery('A', `assay_model_info{${one}}`))
        .withTarget(tableQuery('B', withModelLabels('assay_model_cv_rmse')))
        .withTarget(tableQuery('C', withModelLabels('assay_model_cv_r2')))
        .withTarget(tableQuery('D', withModelLabels('assay_model_age_seconds')))
        .withTransformation({ id: 'merge', options: {} })
        .withTransformation({
          id: 'organize',
          options: {
            excludeByName: {
              Time: true,
              __name__: true,
              job: true,
              instance: true,
              'Value #A': true,
            },
            renameByName: {
              'Value #B': 'CV RMSE',
              'Value #C': 'CV R²',
              'Value #D': 'Age',
            },
          },
        })
        .overrideByName('Age', [{ id: 'unit', value: 's' }])
        .height(8)
        .span(16),
    )
    .withPanel(
      new StatPanel()
        .title('Database')
        .description('Compounds and activity measurements stored on this workstation.')
        .datasource(datasource)
        .withTarget(query('A', `assay_compounds{${one}}`, 'compounds'))
        .withTarget(query('B', `assay_activities{${one}}`, 'activities'))
        .height(8)
        .span(8),
    )
}

export function buildDashboard(): Dashboard {
  return new DashboardBuilder('Assay Workbench')
    .uid('assay-workbench')
    .description(
      'Which model each workstation serves, how much it predicts, how fast, and whether its new compounds drift.',
    )
    .tags(['assay-workbench'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-24h', to: 'now' })
    .timezone('browser')
    .withVariable(
      new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'),
    )
    .withVariable(
      new QueryVariableBuilder('instance')
        .label('Workstation')
        .datasource(datasource)
        .query('label_values(up{job="assay"}, instance)')
        .definition('label_values(up{job="assay"}, instance)')
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true),
    )
    .withPanel(
      new StatPanel()
        .title('Workstations up')
        .description('Workstations Prometheus scraped at the last attempt, of all it scrapes.')
        .datasource(datasource)
        .withTarget(query('A', 'sum(up{job="assay"})', 'up'))
        .withTarget(query('B', 'count(up{job="assay"})', 'scraped'))
        .height(4)
        .span(6),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Predictions per workstation')
        .description('Compounds scored per second on each workstation.')
        .datasource(datasource)
        .withTarget(
          query(
            'A',
            'sum by (instance) (rate(assay_predictions_total{job="assay"}[$__rate_interval]))',
            '{{instance}}',
          ),
        )
        .unit('short')
        .axisLabel('compounds / s')
        .min(0)
        .height(4)
        .span(12),
    )
    .withPanel(
      new StatPanel()
        .title('Production models with dataset drift')
        .description('Production models whose latest drift check found dataset drift.')
        .datasource(datasource)
        .withTarget(query('A', 'sum(assay_drift_dataset_drift{job="assay"})', 'drifted'))
        .thresholds(
          thresholds([
            [null, 'green'],
            [1, 'red'],
          ]),
        )
        .height(4)
        .span(6),
    )
    .withRow(workstationRow())
    .build()
}

/** The JSON as committed: the SDK's object in the project's Prettier style. */
export async function dashboardJson(): Promise<string> {
  return format(JSON.stringify(buildDashboard(), null, 2), { parser: 'json' })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DASHBOARD_FILE, await dashboardJson())
  process.stdout.write(`Wrote ${DASHBOARD_FILE}\n`)
}
