// npm run bench:serve [-- --duration 10] — POST /predict with one compound, 50 connections,
// through the engine's monitoring endpoint (the sample's baseline model), next to a bare node:http
// server answering a constant JSON under the same load in the same process; then /metrics
// scraped with 1,000,000 stored predictions. autocannon runs in a child process so that it does
// not share the engine's thread. Prints tables; asserts nothing.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { createEngine } from '../../src-main/engine/engine'
import { setApiRateLimits } from '../../src-main/engine/metrics/predict-route'
import { API_RATE_LIMITS } from '../../src-main/engine/metrics/rate-limit'
import { seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { REPO_ROOT } from '../helpers'
import { table } from './table'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    predictions: { type: 'string', default: '1000000' },
    /** instead of the comparison: 2,000 req/s offered for --duration s, RSS sampled every 30 s */
    soak: { type: 'boolean', default: false },
  },
})
const DURATION = Number(values.duration)
const CONNECTIONS = Number(values.connections)
/** the goal's throughput: p99 is also measured with this many requests a second offered */
const GOAL_RATE = 2000
const STORED = Number(values.predictions)
const TOKEN = 'bench-token-not-stored'
const BODY = JSON.stringify({
  compounds: [{ id: 'bench-1', features: { mw_freebase: 350.4, alogp: 3.1, hba: 5, hbd: 1 } }],
})

interface Cannon {
  requests: { average: number; total: number }
  latency: { p50: number; p90: number; p99: number; max: number }
  errors: number
  timeouts: number
  non2xx: number
}

/** autocannon's own CLI in a child process, its JSON result read back. */
function autocannon(
  url: string,
  headers: Record<string, string>,
  /** requests per second offered in all (autocannon's -R); as fast as answered when absent */
  rate?: number,
): Promise<Cannon> {
  const args = [
    join(REPO_ROOT, 'node_modules/autocannon/autocannon.js'),
    ...(rate === undefined ? [] : ['-R', String(rate)]),
    '-c',
    String(CONNECTIONS),
    '-d',
    String(DURATION),
    '-m',
    'POST',
    '-b',
    BODY,
    '-j',
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    url,
  ]
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      args,
      { maxBuffer: 64 * 1024 ** 2, timeout: (DURATION + 60) * 1000 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as Cannon)),
    ),
  )
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`

function row(name: string, r: Cannon, rssBefore: number, rssAfter: number) {
  return [
    name,
    Math.round(r.requests.average).toLocaleString('en'),
    r.latency.p50,
    r.latency.p90,
    r.latency.p99,
    r.latency.max,
    r.errors + r.timeouts,
    r.non2xx,
    mb(rssBefore),
    mb(rssAfter),
  ]
}

/** A long run at the goal's rate: is memory flat (within 10%) once the load has warmed up? */
async function soak(address: string, headers: Record<string, string>): Promise<void> {
  const samples: [number, number][] = [[0, process.memoryUsage().rss]]
  const t0 = performance.now()
  const timer = setInterval(
    () => samples.push([(performance.now() - t0) / 1000, process.memoryUsage().rss]),
    30_000,
  )
  const run = await autocannon(`${address}/predict`, headers, GOAL_RATE)
  clearInterval(timer)
  samples.push([(performance.now() - t0) / 1000, process.memoryUsage().rss])
  table(
    `Soak: ${GOAL_RATE.toLocaleString('en')} req/s offered for ${DURATION} s, RSS of the engine's process`,
    ['s', 'RSS'],
    samples.map(([t, rss]) => [Math.round(t), mb(rss)]),
  )
  // from the first sample under load (30 s) to the end: the warm-up is not a leak
  const loaded = samples.slice(1).map(([, rss]) => rss)
  const growth = (Math.max(...loaded) - Math.min(...loaded)) / Math.min(...loaded)
  table(
    'Soak result',
    ['req/s', 'p99 ms', 'errors', 'non-2xx', 'RSS spread under load', 'flat within 10%'],
    [
      [
        Math.round(run.requests.average).toLocaleString('en'),
        run.latency.p99,
        run.errors + run.timeouts,
        run.non2xx,
        `${(growth * 100).toFixed(1)}%`,
        growth <= 0.1 ? 'yes' : 'NO',
      ],
    ],
  )
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-serve-'))
  const engine = createEngine({
    dataDir: join(dir, 'data'),
    host: 'cli',
    workerPath: join(REPO_ROOT, 'out/main/worker.js'),
    metricsEndpoint: { port: 0, bind: '127.0.0.1', predict: true, token: TOKEN },
  })
  const peer = createServer((req, res) => {
    // reads the body as the endpoint does, then answers a constant JSON of the same shape
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        '{"modelVersion":"v1","pActivity":6.1234,"nM":751.6,"interval":[5.1,7.1],"inDomain":true}',
      )
    })
  })
  try {
    await seedSampleIfEmpty(engine.context, REPO_ROOT)
    // A generous limit for this run only: the default (API_RATE_LIMITS) would refuse most of
    // the load from one client, and the bench measures serving, not refusing.
    setApiRateLimits(engine.context, {
      requestsPerSecond: 1e9,
      requestBurst: 1e9,
      compoundsPerMinute: 1e12,
    })
    for (let i = 0; i < 200 && engine.context.metricsEndpoint.address === null; i++)
      await new Promise((r) => setTimeout(r, 25))
    const address = engine.context.metricsEndpoint.address
    if (address === null) throw new Error('The monitoring endpoint did not start.')
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
    // one call first: the ONNX session is made on the first prediction, not under load
    const first = await fetch(`${address}/predict`, { method: 'POST', headers, body: BODY })
    if (first.status !== 200) throw new Error(`POST /predict answered ${first.status}`)
    if (values.soak) {
      await soak(address, headers)
      return
    }
    const stored0 = engine.context.db
      .prepare("SELECT count(*) FROM prediction_batches WHERE source = 'api'")
      .pluck()
      .get() as number
    console.log(
      `POST /predict with one compound (features), ${CONNECTIONS} connections, ${DURATION} s; ` +
        `rate limit raised for this run (default ${API_RATE_LIMITS.requestsPerSecond}/s, burst ${API_RATE_LIMITS.requestBurst})`,
    )
    const rss0 = process.memoryUsage().rss
    const api = await autocannon(`${address}/predict`, headers)
    const rss1 = process.memoryUsage().rss
    const stored =
      (engine.context.db
        .prepare("SELECT count(*) FROM prediction_batches WHERE source = 'api'")
        .pluck()
        .get() as number) - stored0
    // The same connections offered the goal's 2,000 requests a second: the latency a client
    // sees at that load, apart from the queueing of a server driven flat out.
    const paced = await autocannon(`${address}/predict`, headers, GOAL_RATE)
    const rss1b = process.memoryUsage().rss

    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r))
    const peerPort = (peer.address() as { port: number }).port
    const rss2 = process.memoryUsage().rss
    const bare = await autocannon(`http://127.0.0.1:${peerPort}/predict`, headers)
    const rss3 = process.memoryUsage().rss

    table(
      'POST /predict under load (latency in ms)',
      [
        'server',
        'req/s',
        'p50',
        'p90',
        'p99',
        'max',
        'errors',
        'non-2xx',
        'RSS before',
        'RSS after',
      ],
      [
        row('assay /predict, flat out', api, rss0, rss1),
        row(`assay /predict, ${GOAL_RATE.toLocaleString('en')} req/s offered`, paced, rss1, rss1b),
        row('bare node:http, constant JSON', bare, rss2, rss3),
      ],
    )
    const ok = (b: boolean) => (b ? 'met' : 'NOT met')
    table(
      'Goals',
      ['goal', 'measured', ''],
      [
        ['p99 < 10 ms, flat out', `${api.latency.p99} ms`, ok(api.latency.p99 < 10)],
        [
          `p99 < 10 ms at ${GOAL_RATE.toLocaleString('en')} req/s offered`,
          `${paced.latency.p99} ms`,
          ok(paced.latency.p99 < 10 && paced.errors + paced.timeouts + paced.non2xx === 0),
        ],
        [
          '>= 2,000 req/s',
          Math.round(api.requests.average).toLocaleString('en'),
          ok(api.requests.average >= 2000),
        ],
        [
          'no errors, all 2xx',
          `${api.errors + api.timeouts} errors, ${api.non2xx} non-2xx`,
          ok(api.errors + api.timeouts + api.non2xx === 0),
        ],
        [
          'every answered call stored (source api)',
          // autocannon counts the answers within its time; calls still in flight then are stored too
          `${stored.toLocaleString('en')} stored, ${(api.requests.total - api.non2xx).toLocaleString('en')} answered 2xx`,
          ok(stored >= api.requests.total - api.non2xx),
        ],
      ],
    )

    // /metrics with many stored predictions: copies of the bench's own rows, made in SQL
    const db = engine.context.db
    const batch = db
      .prepare("SELECT max(id) FROM prediction_batches WHERE source = 'api'")
      .pluck()
      .get() as number
    const have = db.prepare('SELECT count(*) FROM predictions').pluck().get() as number
    const add = Math.max(0, STORED - have)
    const t0 = performance.now()
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO predictions (batch_id, row_number, compound_id, molecule_id, smiles, inputs_json,
         p_activity, value_nm, interval_low, interval_high, in_domain, observed_p_activity,
         failure_reason, created_at, in_training_set)
       SELECT p.batch_id, p.row_number + n.i, p.compound_id, p.molecule_id, p.smiles, p.inputs_json,
         p.p_activity, p.value_nm, p.interval_low, p.interval_high, p.in_domain, p.observed_p_activity,
         p.failure_reason, p.created_at, p.in_training_set
       FROM n, (SELECT * FROM predictions WHERE batch_id = ? LIMIT 1) p`,
    ).run(add, batch)
    const total = db.prepare('SELECT count(*) FROM predictions').pluck().get() as number
    console.log(
      `\n${total.toLocaleString('en')} predictions stored (${add.toLocaleString('en')} copied in SQL in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    )
    const times: number[] = []
    let bytes = 0
    for (let i = 0; i < 21; i++) {
      const s = performance.now()
      const r = await fetch(`${address}/metrics`)
      bytes = (await r.text()).length
      if (i > 0) times.push(performance.now() - s)
    }
    times.sort((a, b) => a - b)
    const q = (p: number) => (times[Math.floor(p * (times.length - 1))] ?? NaN).toFixed(1)
    table(
      'GET /metrics, 20 scrapes after one to warm up (ms)',
      ['predictions stored', 'median', 'p90', 'max', 'bytes', 'goal < 50 ms'],
      [[total.toLocaleString('en'), q(0.5), q(0.9), q(1), bytes, ok(Number(q(0.5)) < 50)]],
    )
    console.log('(no drift check stored in this run: the scrape has no drift series to read)')
  } finally {
    peer.close()
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
