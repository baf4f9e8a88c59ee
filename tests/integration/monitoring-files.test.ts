import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Engine, createEngine } from '../../src-main/engine/engine'
import { METRICS, PUSHED_METRICS } from '../../src-main/engine/metrics/catalogue'
import { waitForJob } from '../../src-main/hosts/cli-common'
import { DASHBOARD_FILE, dashboardJson } from '../../resources/monitoring/dashboard'
import { assay } from '../cli-helpers'
import { REPO_ROOT, WORKER_SOURCE, tempDir } from '../helpers'
import { ACHE } from '../reference-csv'
import { type Daemon, freePort, startDaemon } from '../monitoring-tools'

// The team's monitoring files (resources/monitoring) checked with Prometheus' own tools, and every
// PromQL expression in them run against a real Prometheus scraping a real engine's /metrics.

const MONITORING = join(REPO_ROOT, 'resources/monitoring')

function promtool(args: string[], cwd: string) {
  const r = spawnSync('/usr/bin/promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, output: `${r.stdout}${r.stderr}` }
}

interface DashboardPanel {
  type: string
  title?: string
  targets?: { expr: string; refId: string; instant?: boolean }[]
  panels?: DashboardPanel[]
}
interface DashboardJson {
  panels: DashboardPanel[]
  templating: { list: { name: string; type: string; query?: unknown }[] }
}

const dashboard = () => JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as DashboardJson

/** Every query of every panel, rows' panels included. */
function dashboardQueries(d: DashboardJson) {
  const out: { panel: string; expr: string; instant: boolean }[] = []
  const walk = (panels: DashboardPanel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? [])
        out.push({ panel: p.title ?? p.type, expr: t.expr, instant: t.instant === true })
      walk(p.panels ?? [])
    }
  }
  walk(d.panels)
  return out
}

/** The alert rules' expressions, read with a YAML-free scan of `expr:` (plain or `|` block). */
function alertExpressions(): { alert: string; expr: string }[] {
  const lines = readFileSync(join(MONITORING, 'alerts.yml'), 'utf8').split('\n')
  const out: { alert: string; expr: string }[] = []
  let alert = ''
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const name = /^\s*- alert: (\S+)/.exec(line)
    if (name) alert = name[1]!
    const expr = /^(\s*)expr:\s*(.*)$/.exec(line)
    if (!expr) continue
    if (expr[2] !== '|') {
      out.push({ alert, expr: expr[2]! })
      continue
    }
    const body: string[] = []
    const indent = expr[1]!.length
    while (
      i + 1 < lines.length &&
      (lines[i + 1]!.trim() === '' || /^\s*/.exec(lines[i + 1]!)![0].length > indent)
    )
      body.push(lines[++i]!)
    out.push({ alert, expr: body.join('\n').trim() })
  }
  return out
}

const PROMQL_WORDS = new Set([
  // aggregations, functions and keywords the expressions use
  'sum',
  'count',
  'min',
  'max',
  'avg',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
  'rate',
  'increase',
  'irate',
  'histogram_quantile',
  'min_over_time',
  'max_over_time',
  'count_over_time',
  'avg_over_time',
  'time',
  'label_values',
  'le',
])

/**
 * The metric names an expression selects: strings, label matchers, grouping clauses, durations
 * and numbers are removed first, then what is left that is not a PromQL word is a metric name.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\boffset\s+\w+/g, ' ')
    .replace(/\blabel_values\(([^,]*),[^)]*\)/g, ' $1 ')
    .replace(/(^|[^\w.])\d+(\.\d+)?(e[+-]?\d+)?/gi, '$1 ')
  const names = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []
  return [...new Set(names.filter((n) => !PROMQL_WORDS.has(n)))]
}

/** What an expression may select: the catalogue (histograms with their series), `up`, pushes. */
function allowedNames(): Set<string> {
  const names = new Set<string>(['up', ...Object.keys(PUSHED_METRICS)])
  for (const [name, spec] of Object.entries(METRICS)) {
    names.add(name)
    if (spec.type === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`)
  }
  return names
}

describe('team monitoring files', () => {
  let dir: ReturnType<typeof tempDir>
  beforeAll(() => {
    dir = tempDir('assay-monitoring-')
  })
  afterAll(() => dir.remove())

  it('prometheus.yml is a valid configuration (with its token files present)', () => {
    const copy = join(dir.path, 'config')
    mkdirSync(join(copy, 'tokens'), { recursive: true })
    for (const f of ['prometheus.yml', 'alerts.yml'])
      copyFileSync(join(MONITORING, f), join(copy, f))
    // Each workstation's token lives in a file beside the configuration; promtool checks they exist.
    const config = readFileSync(join(copy, 'prometheus.yml'), 'utf8')
    const tokenFiles = [...config.matchAll(/credentials_file:\s*(\S+)/g)].map((m) => m[1]!)
    expect(tokenFiles.length).toBeGreaterThanOrEqual(2)
    const missing = promtool(['check', 'config', 'prometheus.yml'], copy)
    expect(missing.code).not.toBe(0)
    expect(missing.output).toMatch(/credentials/)
    for (const f of tokenFiles) writeFileSync(join(copy, f), 'token-of-the-workstation\n')
    const r = promtool(['check', 'config', 'prometheus.yml'], copy)
    expect(r.output).toMatch(/SUCCESS: prometheus\.yml is valid/)
    expect(r.output).toMatch(/SUCCESS: 6 rules found/)
    expect(r.code).toBe(0)
    expect(config).toMatch(/type: Bearer/)
    expect(config).toMatch(/rule_files:\s*\n\s*- alerts\.yml/)
  })

  it('alerts.yml passes promtool check rules', () => {
    const r = promtool(['check', 'rules', 'alerts.yml'], MONITORING)
    expect(r.output).toMatch(/SUCCESS: 6 rules found/)
    expect(r.code).toBe(0)
  })

  it("the alert rules' unit tests pass, and fail against a broken copy of the rules", () => {
    const r = promtool(['test', 'rules', 'alerts.test.yml'], MONITORING)
    expect(r.output).toMatch(/SUCCESS/)
    expect(r.code).toBe(0)

    const tests = readFileSync(join(MONITORING, 'alerts.test.yml'), 'utf8')
    for (const alert of [
      'AssayDatasetDrift',
      'AssayPerformanceDegraded',
      'AssayNoPredictions',
      'AssayModelStale',
      'AssayTargetDown',
      'AssayCliJobFailed',
    ]) {
      // each alert is tested firing (an expected alert) and silent (an empty expectation)
      expect(tests).toMatch(new RegExp(`alertname: ${alert}\\n\\s*exp_alerts:\\n`))
      expect(tests).toMatch(new RegExp(`alertname: ${alert}\\n\\s*exp_alerts: \\[\\]`))
    }

    const broken = join(dir.path, 'broken')
    mkdirSync(broken, { recursive: true })
    copyFileSync(join(MONITORING, 'alerts.test.yml'), join(broken, 'alerts.test.yml'))
    const rules = readFileSync(join(MONITORING, 'alerts.yml'), 'utf8')
    // the no-predictions rule without its guard for workstations that never predicted
    const mutated = rules.replace(
      /\n\s*or on \(job, instance\)\n\s*\(up\{job="assay"\} unless[^\n]*\n/,
      '\n',
    )
    expect(mutated).not.toBe(rules)
    writeFileSync(join(broken, 'alerts.yml'), mutated)
    expect(promtool(['check', 'rules', 'alerts.yml'], broken).code).toBe(0)
    const failed = promtool(['test', 'rules', 'alerts.test.yml'], broken)
    expect(failed.code).not.toBe(0)
    expect(failed.output).toMatch(/AssayNoPredictions/)
    expect(failed.output).toMatch(/instance="never"/)
  })

  it('the committed dashboard JSON is what dashboard.ts generates now', async () => {
    expect(readFileSync(DASHBOARD_FILE, 'utf8')).toBe(await dashboardJson())
  })

  it('the dashboard has the panels the team asked for, repeated per workstation', () => {
    const d = dashboard()
    const variables = Object.fromEntries(d.templating.list.map((v) => [v.name, v]))
    expect(variables.datasource).toMatchObject({ type: 'datasource', query: 'prometheus' })
    expect(variables.instance).toMatchObject({ type: 'query' })
    const rows = d.panels.filter((p) => p.type === 'row') as (DashboardPanel & {
      repeat?: string
    })[]
    expect(rows).toHaveLength(1)
    expect(rows[0]!.repeat).toBe('instance')
    const inRow = dashboardQueries({ ...d, panels: rows[0]!.panels ?? [] }).map((q) => q.expr)
    for (const needed of [
      /rate\(assay_predictions_total\{[^}]*\}\[\$__rate_interval\]\)/,
      /histogram_quantile\(0\.99, .*assay_prediction_duration_seconds_bucket/,
      /assay_drift_share/,
      /assay_drift_feature_statistic/,
      /assay_drift_current_rmse/,
      /assay_model_cv_rmse/,
      /assay_drift_interval_coverage/,
      /assay_model_info/,
    ])
      expect(
        inRow.some((e) => needed.test(e)),
        String(needed),
      ).toBe(true)
    // every query inside the repeated row selects its one workstation
    for (const e of inRow) expect(e).toMatch(/instance="\$instance"/)
  })

  it('every expression in the dashboard and the alert rules names only catalogue metrics', () => {
    const allowed = allowedNames()
    const expressions = [
      ...dashboardQueries(dashboard()).map((q) => q.expr),
      ...alertExpressions().map((a) => a.expr),
      ...dashboard().templating.list.flatMap((v) =>
        typeof v.query === 'string' && v.type === 'query' ? [v.query] : [],
      ),
    ]
    expect(alertExpressions()).toHaveLength(6)
    expect(expressions.length).toBeGreaterThan(20)
    for (const expr of expressions) {
      const names = metricNames(expr)
      expect(names.length, expr).toBeGreaterThan(0)
      for (const name of names) expect(allowed.has(name), `${name} in ${expr}`).toBe(true)
    }
    // the parser itself: it finds a misspelt name and does not take functions for names
    expect(metricNames('sum by (le) (rate(assay_predictions_totl{job="a"}[5m])) > 0.5')).toEqual([
      'assay_predictions_totl',
    ])
  })

  describe('against a real Prometheus scraping a real engine', () => {
    let engine: Engine
    let prometheus: Daemon
    let api: string
    let scratch: ReturnType<typeof tempDir>
    const INSTANCE = 'ws-test'
    let predictions = 0

    async function promQuery(path: string, params: Record<string, string>) {
      const r = await fetch(`${api}${path}?${new URLSearchParams(params).toString()}`)
      const body = (await r.json()) as {
        status: string
        error?: string
        data: {
          resultType: string
          result: {
            metric: Record<string, string>
            value?: [number, string]
            values?: [number, string][]
          }[]
        }
      }
      return body
    }
    const instant = (query: string) => promQuery('/api/v1/query', { query })

    async function until<T>(what: string, probe: () => Promise<T | null>, ms = 60_000): Promise<T> {
      const deadline = Date.now() + ms
      for (;;) {
        const v = await probe()
        if (v !== null) return v
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}\n${prometheus.output().slice(-2000)}`)
        await new Promise((r) => setTimeout(r, 250))
      }
    }

    async function predictSome(n: number) {
      for (let i = 0; i < n; i++) {
        const r = await engine.invoke('predictions.single', {
          features: { mw_freebase: 300 + i, alogp: 2.5, hba: 4, hbd: 1 },
        })
        expect(r.ok).toBe(true)
        predictions++
        await new Promise((res) => setTimeout(res, 100))
      }
    }

    beforeAll(async () => {
      scratch = tempDir('assay-prom-')
      const metricsPort = await freePort()
      // A real model with structures: the first 600 rows of the AChE dump imported and a ridge
      // model trained on them and promoted, through the CLI.
      const dataDir = join(scratch.path, 'data')
      const ache = readFileSync(ACHE, 'utf8').trimEnd().split('\n')
      const training = join(scratch.path, 'ache-first.csv')
      writeFileSync(training, `${ache.slice(0, 601).join('\n')}\n`)
      const imported = await assay('import', training, '--data-dir', dataDir)
      expect(imported.stderr).toBe('')
      const trained = await assay(
        'train',
        ...['--features', 'core4', '--learner', 'ridge', '--promote', '--json'],
        ...['--data-dir', dataDir],
      )
      expect(trained.stderr).toBe('')
      const version = (JSON.parse(trained.stdout) as { modelVersion: string }).modelVersion
      engine = createEngine({
        dataDir,
        host: 'test',
        workerPath: WORKER_SOURCE,
        metricsEndpoint: { port: metricsPort, bind: '127.0.0.1', predict: false },
      })
      // A drift check on the next 300 rows, with structures and measured values, so the drift,
      // chemistry, performance and coverage families all have data.
      const current = join(scratch.path, 'ache-next.csv')
      writeFileSync(current, `${[ache[0], ...ache.slice(601, 901)].join('\n')}\n`)
      const started = await engine.invoke('drift.run', {
        model: version,
        source: { kind: 'file', file: await engine.grantFile(current) },
      })
      if (!started.ok) throw new Error(started.error.message)
      const check = await waitForJob(engine, 'drift.run', started.value.jobId)
      expect(check.chemistry).not.toBeNull()
      expect(check.performance).not.toBeNull()

      const promPort = await freePort()
      api = `http://127.0.0.1:${promPort}`
      const config = join(scratch.path, 'prometheus.yml')
      writeFileSync(
        config,
        [
          'global:',
          '  scrape_interval: 1s',
          '  evaluation_interval: 1s',
          'scrape_configs:',
          '  - job_name: assay',
          '    static_configs:',
          `      - targets: ['127.0.0.1:${metricsPort}']`,
          '        labels:',
          `          instance: ${INSTANCE}`,
          '',
        ].join('\n'),
      )
      prometheus = await startDaemon(
        '/usr/bin/prometheus',
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${join(scratch.path, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
        ],
        `${api}/-/ready`,
      )
      await until('the first successful scrape', async () => {
        const r = await instant('up{job="assay"} == 1')
        return r.data.result.length > 0 ? true : null
      })
      // predictions spread over several scrapes, so rates are above zero in the window
      await predictSome(30)
      await until('the scrape that saw every prediction', async () => {
        const r = await instant(
          `sum(assay_predictions_total{instance="${INSTANCE}"}) == ${predictions}`,
        )
        return r.data.result.length > 0 ? true : null
      })
      await new Promise((r) => setTimeout(r, 2000))
    }, 240_000)

    afterAll(async () => {
      await prometheus?.stop()
      await engine?.close()
      scratch?.remove()
    })

    const substitute = (expr: string) =>
      expr.replaceAll('$__rate_interval', '20s').replaceAll('$instance', INSTANCE)

    it('every dashboard query runs without error and returns series', async () => {
      const queries = dashboardQueries(dashboard())
      const end = Date.now() / 1000
      const empty: string[] = []
      for (const q of queries) {
        const expr = substitute(q.expr)
        const body = q.instant
          ? await instant(expr)
          : await promQuery('/api/v1/query_range', {
              query: expr,
              start: String(end - 30),
              end: String(end),
              step: '1',
            })
        expect(body.status, `${q.panel}: ${expr}: ${body.error ?? ''}`).toBe('success')
        const numbers = body.data.result.flatMap((s) =>
          (s.values ?? (s.value ? [s.value] : [])).map(([, v]) => Number(v)),
        )
        if (!numbers.some((v) => Number.isFinite(v))) empty.push(`${q.panel}: ${expr}`)
      }
      // with a check on compounds with structures and measured values, every family has data
      expect(empty).toEqual([])
      // the rates saw the predictions made while Prometheus scraped
      const rate = await instant(
        substitute(queries.find((q) => q.expr.startsWith('sum by (target, model_version)'))!.expr),
      )
      expect(Number(rate.data.result[0]?.value?.[1])).toBeGreaterThan(0)
    })

    it("the models table's queries carry the same labels, so Grafana merges them into one row per model", async () => {
      const table = dashboardQueries(dashboard()).filter((q) => q.panel === 'Production models')
      expect(table.map((q) => q.instant)).toEqual([true, true, true, true])
      const labelSets = await Promise.all(
        table.map(async (q) => {
          const body = await instant(substitute(q.expr))
          expect(body.data.result.length, q.expr).toBeGreaterThan(0)
          return body.data.result.map((s) => {
            const { __name__: _name, ...labels } = s.metric
            return JSON.stringify(Object.entries(labels).sort())
          })
        }),
      )
      for (const labels of labelSets.slice(1)) expect(labels).toEqual(labelSets[0])
      expect(labelSets[0]![0]).toMatch(/"learner"/)
    })

    it('the workstation variable lists the scraped instance', async () => {
      const r = await fetch(
        `${api}/api/v1/label/instance/values?${new URLSearchParams({ 'match[]': 'up{job="assay"}' }).toString()}`,
      )
      const body = (await r.json()) as { data: string[] }
      expect(body.data).toEqual([INSTANCE])
    })

    it('every alert expression runs without error', async () => {
      for (const { alert, expr } of alertExpressions()) {
        const body = await instant(expr)
        expect(body.status, `${alert}: ${body.error ?? ''}`).toBe('success')
      }
      // the scraped workstation is up, so the target-down alert is silent
      const down = alertExpressions().find((a) => a.alert === 'AssayTargetDown')!
      expect((await instant(down.expr)).data.result).toEqual([])
    })
  })
})
