import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jobExposition } from '../../src-main/hosts/cli-push'
import { assay } from '../cli-helpers'
import { REPO_ROOT, startTestEngine, tempDir } from '../helpers'
import { seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { type Daemon, freePort, startDaemon } from '../monitoring-tools'

// A real Prometheus Pushgateway (Debian prometheus-pushgateway) on a free loopback port, in
// memory only (no --persistence.file), receives what `assay import --push-gateway` pushes.

interface GatewayFamily {
  type: string
  metrics: { labels: Record<string, string>; value: string }[]
}
type GatewayGroup = { labels: Record<string, string> } & Record<string, GatewayFamily>

/** A real Pushgateway on a free loopback port, kept in memory only. */
async function startGateway(): Promise<{ url: string; gateway: Daemon }> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const gateway = await startDaemon(
    '/usr/bin/prometheus-pushgateway',
    [`--web.listen-address=127.0.0.1:${port}`],
    `${url}/-/ready`,
  )
  return { url, gateway }
}

describe('assay --push-gateway', () => {
  let gateway: Daemon
  let url: string
  let dir: ReturnType<typeof tempDir>

  beforeAll(async () => {
    dir = tempDir()
    ;({ url, gateway } = await startGateway())
  }, 40_000)
  afterAll(async () => {
    await gateway?.stop()
    dir?.remove()
  })

  async function group(job: string): Promise<GatewayGroup | undefined> {
    const r = await fetch(`${url}/api/v1/metrics`)
    expect(r.status).toBe(200)
    const body = (await r.json()) as { status: string; data: GatewayGroup[] }
    expect(body.status).toBe('success')
    return body.data.find((g) => g.labels.job === job && g.labels.instance === hostname())
  }
  const value = (g: GatewayGroup, name: string) => Number(g[name]?.metrics[0]?.value)

  it('pushes an import: duration, the rows it stored, success 1, completion time', async () => {
    // Three rows, one without a value: the file itself says two rows can be stored.
    const file = join(dir.path, 'mine.csv')
    writeFileSync(file, 'Compound Code,Structure,pIC50\nA1,CCO,5.5\nA2,c1ccccc1,\nA3,CCN,6.1\n')
    const before = Date.now() / 1000
    const r = await assay(
      'import',
      file,
      '--no-descriptors',
      '--map',
      'Structure=smiles',
      '--data-dir',
      join(dir.path, 'data'),
      '--push-gateway',
      url,
    )
    const after = Date.now() / 1000
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const g = await group('assay_import')
    expect(g).toBeDefined()
    if (!g) return
    expect(g.assay_job_success?.type).toBe('GAUGE')
    expect(value(g, 'assay_job_success')).toBe(1)
    expect(value(g, 'assay_job_rows')).toBe(2)
    const duration = value(g, 'assay_job_duration_seconds')
    expect(duration).toBeGreaterThan(0)
    expect(duration).toBeLessThanOrEqual(after - before)
    const completed = value(g, 'assay_job_last_completion_timestamp_seconds')
    expect(completed).toBeGreaterThanOrEqual(before)
    expect(completed).toBeLessThanOrEqual(after)
    // the gateway accepted the push as it was: no failed-push timestamp
    expect(value(g, 'push_failure_time_seconds')).toBe(0)
  })

  it('pushes a failed job as success 0 and keeps its non-zero exit status', async () => {
    const r = await assay(
      'train',
      '--data-dir',
      join(dir.path, 'empty'),
      '--push-gateway',
      `${url}/`,
    )
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^assay: /)
    expect(r.stderr).not.toMatch(/warning/)
    const g = await group('assay_train')
    expect(g).toBeDefined()
    if (!g) return
    expect(value(g, 'assay_job_success')).toBe(0)
    expect(value(g, 'assay_job_rows')).toBe(0)

    // an import of a file that does not exist is a failed import job too
    const missing = await assay(
      'import',
      join(dir.path, 'no-such-file.csv'),
      '--data-dir',
      join(dir.path, 'data'),
      '--push-gateway',
      url,
    )
    expect(missing.code).toBe(1)
    const imp = await group('assay_import')
    expect(imp && value(imp, 'assay_job_success')).toBe(0)
    expect(imp && value(imp, 'assay_job_rows')).toBe(0)
  })

  it('warns once on stderr when the gateway cannot be reached, and the job still succeeds', async () => {
    const closed = await freePort()
    const file = join(dir.path, 'again.csv')
    writeFileSync(file, 'Compound Code,Structure,pIC50\nB1,CCCO,5.1\n')
    const r = await assay(
      'import',
      file,
      '--no-descriptors',
      '--map',
      'Structure=smiles',
      '--data-dir',
      join(dir.path, 'data'),
      '--push-gateway',
      `http://127.0.0.1:${closed}`,
    )
    expect(r.code).toBe(0)
    const lines = r.stderr.split('\n').filter(Boolean)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      new RegExp(
        `^assay: warning: could not reach the Pushgateway at http://127\\.0\\.0\\.1:${closed} `,
      ),
    )
    expect(r.stdout).toMatch(/again\.csv/)
  })

  it('pushes an exposition promtool finds no problem in', () => {
    const text = jobExposition({
      command: 'import',
      durationSeconds: 1.25,
      rows: 7,
      success: false,
      completedAt: 1_800_000_000.5,
    })
    const r = spawnSync('/usr/bin/promtool', ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(`${r.stdout}${r.stderr}`).toBe('')
    expect(r.status).toBe(0)
    expect(text).toMatch(/^assay_job_success 0$/m)
    expect(text).toMatch(/^assay_job_rows 7$/m)
  })

  it('refuses a --push-gateway that is not an http URL before the job runs', async () => {
    const r = await assay(
      'import',
      'x.csv',
      '--push-gateway',
      'ftp://gateway',
      '--data-dir',
      join(dir.path, 'data'),
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('assay: --push-gateway takes an http or https URL, not "ftp://gateway"\n')
    const status = await assay(
      'status',
      '--push-gateway',
      url,
      '--data-dir',
      join(dir.path, 'data'),
    )
    expect(status.code).toBe(2)
  })
})

describe('assay predict, drift and train --push-gateway', () => {
  let gateway: Daemon
  let url: string
  let dir: ReturnType<typeof tempDir>
  const data = () => join(dir.path, 'data')
  let model = ''

  beforeAll(async () => {
    dir = tempDir()
    // the synthetic sample with its baseline model in production, as the app's first start has it
    const engine = startTestEngine(data())
    try {
      expect(await seedSampleIfEmpty(engine.context, REPO_ROOT)).toBe(true)
      const models = await engine.invoke('models.list', {})
      model = (models.ok && models.value.find((m) => m.stage === 'production')?.version) || ''
    } finally {
      await engine.close()
    }
    ;({ url, gateway } = await startGateway())
  }, 120_000)
  afterAll(async () => {
    await gateway?.stop()
    dir?.remove()
  })

  async function pushed(job: string) {
    const r = await fetch(`${url}/api/v1/metrics`)
    const body = (await r.json()) as { data: GatewayGroup[] }
    const g = body.data.find((x) => x.labels.job === job && x.labels.instance === hostname())
    return {
      rows: Number(g?.assay_job_rows?.metrics[0]?.value),
      success: Number(g?.assay_job_success?.metrics[0]?.value),
    }
  }

  it('predict pushes the rows it scored', async () => {
    expect(model).toMatch(/^v\d+$/)
    // the baseline is trained on file values: two rows with the four values can be scored, one
    // whose MW is not a number cannot
    const file = join(dir.path, 'in.csv')
    writeFileSync(
      file,
      'molecule_chembl_id,mw_freebase,alogp,hba,hbd\nA,350.4,3.1,5,1\nB,410.2,2.2,6,2\nC,heavy,3,5,1\n',
    )
    const r = await assay('predict', '--input', file, '--data-dir', data(), '--push-gateway', url)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(await pushed('assay_predict')).toEqual({ rows: 2, success: 1 })
    // a single compound is one row
    const one = await assay(
      'predict',
      '--mw',
      '350',
      '--alogp',
      '3',
      '--hba',
      '5',
      '--hbd',
      '1',
      '--data-dir',
      data(),
      '--push-gateway',
      url,
    )
    expect(one.code).toBe(0)
    expect(await pushed('assay_predict')).toEqual({ rows: 1, success: 1 })
  }, 120_000)

  it('drift pushes the rows it checked, and a drift found with --fail-on-drift is still a success', async () => {
    // 40 compounds far outside the sample's chemistry: every feature drifts
    const lines = ['molecule_chembl_id,mw_freebase,alogp,hba,hbd']
    for (let i = 0; i < 40; i++)
      lines.push(`X${i},${900 + i},${9 + i / 10},${15 + (i % 3)},${9 + (i % 2)}`)
    const file = join(dir.path, 'far.csv')
    writeFileSync(file, `${lines.join('\n')}\n`)
    const r = await assay(
      'drift',
      '--model',
      model,
      '--input',
      file,
      '--fail-on-drift',
      '--data-dir',
      data(),
      '--push-gateway',
      url,
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(3)
    expect(await pushed('assay_drift')).toEqual({ rows: 40, success: 1 })
  }, 120_000)

  it('train pushes the compounds it trained on', async () => {
    // The sample's own facts (read with Python's csv): 2,500 rows, every one an IC50 in nM with
    // relation "=" and a pChEMBL value, for 2,500 distinct molecules.
    const r = await assay(
      'train',
      '--learner',
      'ridge',
      '--features',
      'core4',
      '--data-dir',
      data(),
      '--push-gateway',
      url,
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(await pushed('assay_train')).toEqual({ rows: 2500, success: 1 })
  }, 300_000)
})
