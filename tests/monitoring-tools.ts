import { type ChildProcess, spawn } from 'node:child_process'

export { freePort } from './metrics-helpers'

export interface Daemon {
  process: ChildProcess
  output(): string
  stop(): Promise<void>
}

/**
 * Starts a Debian daemon (prometheus, prometheus-pushgateway) and waits until `readyUrl` answers
 * 200, at most `timeoutMs`; fails with the daemon's own output so a broken start is readable.
 */
export async function startDaemon(
  command: string,
  args: string[],
  readyUrl: string,
  timeoutMs = 30_000,
): Promise<Daemon> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  let exited = false
  child.once('exit', () => (exited = true))
  const stop = async () => {
    if (exited) return
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await gone
    clearTimeout(timer)
  }
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (exited) throw new Error(`${command} exited before it was ready:\n${output}`)
    try {
      const r = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) })
      if (r.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${command} was not ready in ${timeoutMs} ms:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { process: child, output: () => output, stop }
}
