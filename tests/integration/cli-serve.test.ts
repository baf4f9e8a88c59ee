import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src-main/hosts/cli-commands'
import { REPO_ROOT, WORKER_SOURCE, startTestEngine, tempDir } from '../helpers'
import { freePort, http } from '../metrics-helpers'

const CHILD = join(REPO_ROOT, 'tests/fixtures/serve-cli.ts')

interface Served {
  lines: () => string
  errors: () => string
  exit: Promise<number | null>
  kill: (signal: NodeJS.Signals) => void
}

/** Starts `assay serve` in a child process and waits for its first stdout line. */
async function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr.on('data', (c: Buffer) => (err += c.toString()))
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000)
  void exit.then(() => clearTimeout(killer))
  const deadline = Date.now() + 60_000
  while (!out.includes('\n') && child.exitCode === null && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100))
  return {
    lines: () => out,
    errors: () => err,
    exit,
    kill: (signal) => child.kill(signal),
  }
}

describe('assay serve', () => {
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir('assay-serve-')
  })
  afterEach(() => dir.remove())

  it('prints one line with its address, answers /health, and stops on SIGTERM with exit 0', async () => {
    const port = await freePort()
    const served = await serve(['--port', String(port), '--data-dir', dir.path])
    try {
      expect(served.lines()).toBe(`serving http://127.0.0.1:${port} (/metrics, /health)\n`)
      const health = await http(port, '/health')
      expect(health.status).toBe(200)
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', productionModels: [] })
      const metrics = await http(port, '/metrics')
      expect(metrics.status).toBe(200)
      expect(metrics.body).toContain('# TYPE assay_predictions_total counter')
      // no /predict without --predict
      expect((await http(port, '/predict', { method: 'POST', body: '{}' })).status).toBe(404)
    } finally {
      served.kill('SIGTERM')
    }
    expect(await served.exit).toBe(0)
    expect(served.errors()).toBe('')
    await expect(http(port, '/health')).rejects.toThrow(/ECONNREFUSED/)
  }, 120_000)

  it('with --token and --predict guards /predict with that token, and SIGINT stops it', async () => {
    const port = await freePort()
    const token = 'team-prometheus-token-0123456789'
    const served = await serve([
      '--port',
      String(port),
      '--token',
      token,
      '--predict',
      '--data-dir',
      dir.path,
    ])
    try {
      expect(served.lines()).toBe(
        `serving http://127.0.0.1:${port} (/metrics, /health, /predict)\n`,
      )
      const body = '{"compounds":[{"smiles":"CCO"}]}'
      expect((await http(port, '/predict', { method: 'POST', body })).status).toBe(401)
      const wrong = await http(port, '/predict', {
        method: 'POST',
        body,
        headers: { authorization: 'Bearer team-prometheus-token-0123456788' },
      })
      expect(wrong.status).toBe(401)
      const right = await http(port, '/predict', {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}` },
      })
      expect(right.status).not.toBe(401)
    } finally {
      served.kill('SIGINT')
    }
    expect(await served.exit).toBe(0)
    // the command line's token is not stored, and serve saved no setting
    const engine = startTestEngine(dir.path)
    try {
      const stored = engine.context.db
        .prepare("SELECT key FROM settings WHERE key LIKE 'metrics.%'")
        .pluck()
        .all()
      expect(stored).toEqual([])
    } finally {
      await engine.close()
    }
  }, 120_000)

  it('a busy port is a one-line failure with exit 1', async () => {
    const first = await serve(['--port', String(await freePort()), '--data-dir', dir.path])
    const port = Number(/:(\d+) /.exec(first.lines())?.[1])
    try {
      let stdout = ''
      let stderr = ''
      const code = await runCli(['serve', '--port', String(port), '--data-dir', dir.path], {
        workerPath: WORKER_SOURCE,
        rendererDir: '/nonexistent',
        appRoot: REPO_ROOT,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        untilStopped: () => Promise.resolve(),
      })
      expect(code).toBe(1)
      expect(stdout).toBe('')
      expect(stderr).toBe(
        `assay: Port ${port} is in use by another program, so the monitoring endpoint stays off. Choose another port.\n`,
      )
    } finally {
      first.kill('SIGTERM')
    }
    expect(await first.exit).toBe(0)
  }, 120_000)

  it('is a registered command that checks its options', async () => {
    const run = async (...argv: string[]) => {
      let stdout = ''
      let stderr = ''
      const code = await runCli(argv, {
        workerPath: WORKER_SOURCE,
        rendererDir: '/nonexistent',
        appRoot: REPO_ROOT,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        untilStopped: () => Promise.resolve(),
      })
      return { code, stdout, stderr }
    }
    expect((await run('--help')).stdout).toContain('assay serve [--port 9477]')
    expect(await run('serve', '--port', '80', '--data-dir', dir.path)).toMatchObject({
      code: 2,
      stderr: 'assay: --port must be a whole number from 1024 to 65535, not 80\n',
    })
    expect((await run('serve', '--bind', 'example.com', '--data-dir', dir.path)).code).toBe(2)
    expect((await run('serve', '--token', 'short', '--data-dir', dir.path)).code).toBe(2)
    const port = await freePort()
    const ran = await run('serve', '--port', String(port), '--data-dir', dir.path)
    expect(ran).toEqual({
      code: 0,
      stdout: `serving http://127.0.0.1:${port} (/metrics, /health)\n`,
      stderr: '',
    })
  }, 120_000)
})
