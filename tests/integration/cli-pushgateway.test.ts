import { writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assay } from '../cli-helpers'
import { tempDir } from '../helpers'
import { type Daemon, freePort, startDaemon } from '../monitoring-tools'

// A real Prometheus Pushgateway (Debian prometheus-pushgateway) on a free loopback port, in
// memory only (no --persistence.file), receives what `assay import --push-gateway` pushes.

interface GatewayFamily {
  type: string
  metrics: { labels: Record<string, string>; value: string }[]
}
type GatewayGroup = { labels: Record<string, string> } & Record<string, GatewayFamily>

describe('assay --push-gateway', () => {
  let gateway: Daemon
  let url: string
  let dir: ReturnType<typeof tempDir>

  beforeAll(async () => {
    dir = tempDir()
    const port = await freePort()
    url = `http://127.0.0.1:${port}`
    gateway = await startDaemon(
      '/usr/bin/prometheus-pushgateway',
      [`--web.listen-address=127.0.0.1:${port}`],
      `${url}/-/ready`,
    )
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
