import { DEFAULT_METRICS_BIND, DEFAULT_METRICS_PORT, isLoopback, settingSchemas } from '../contract'
import { createEngine } from '../engine/engine'
import { type StandaloneCommand, UsageError } from './cli-common'

export const SERVE_HELP = `  assay serve [--port ${DEFAULT_METRICS_PORT}] [--bind ADDR] [--token T] [--predict] [--data-dir D]
                                             serve the monitoring endpoint (/metrics, /health, and
                                             with --predict a token-guarded POST /predict) until
                                             stopped; off loopback every route needs the token
`

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

/**
 * `assay serve`: the monitoring endpoint of a headless lab PC. The port, address and token are
 * this run's only and are not saved as settings (the desktop app's own switch stays as the user
 * set it). A token is always that of `--token`, or the one stored in the data folder; off
 * loopback without either, one is made, stored and printed once on stderr.
 */
export const SERVE_COMMANDS: Record<string, StandaloneCommand> = {
  serve: {
    standalone: true,
    options: {
      port: { type: 'string' },
      bind: { type: 'string' },
      token: { type: 'string' },
      predict: { type: 'boolean' },
    },
    async run(dataDir, values, _p, io) {
      const port = values.port === undefined ? DEFAULT_METRICS_PORT : Number(values.port)
      if (!settingSchemas['metrics.port'].safeParse(port).success)
        throw new UsageError(
          `--port must be a whole number from 1024 to 65535, not ${String(values.port)}`,
        )
      const bind = values.bind === undefined ? DEFAULT_METRICS_BIND : String(values.bind)
      if (!settingSchemas['metrics.bind'].safeParse(bind).success)
        throw new UsageError(`--bind takes an IP address or localhost, not ${bind}`)
      const token = values.token === undefined ? undefined : String(values.token)
      if (token !== undefined && !/^[\x21-\x7e]{16,512}$/.test(token))
        throw new UsageError('--token takes 16 to 512 printable characters without spaces')
      const predict = values.predict === true
      const engine = createEngine({
        dataDir,
        host: 'cli',
        workerPath: io.workerPath,
        metricsEndpoint: { port, bind, predict, ...(token === undefined ? {} : { token }) },
      })
      try {
        // waits for the engine's services, the endpoint among them: a busy port is this answer
        const status = await engine.invoke('metrics.status', {})
        if (!status.ok) throw new Error(status.error.message)
        const routes = predict ? '/metrics, /health, /predict' : '/metrics, /health'
        io.stdout(`serving ${status.value.address ?? ''} (${routes})\n`)
        const made = engine.context.metricsEndpoint.createdToken
        if (made !== null && !isLoopback(bind))
          io.stderr(
            `A token was made for this endpoint; give it to Prometheus as its bearer token:\n${made}\n`,
          )
        await (io.untilStopped ?? untilSignal)()
        return 0
      } finally {
        await engine.close()
      }
    },
  },
}
