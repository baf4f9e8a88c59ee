import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { AppStatus, SelfTestResult } from '../contract'
import { type Engine, createEngine } from '../engine/engine'
import { defaultDataDir } from './data-dir'
import { startWebHost } from './web-host'

export interface CliIo {
  workerPath: string
  rendererDir: string
  stdout(text: string): void
  stderr(text: string): void
  /** Resolves when the web host should stop (Ctrl+C by default). */
  untilStopped?: () => Promise<void>
}

export const HELP = `assay - Assay Workbench from the command line

Usage:
  assay status [--json] [--data-dir D]       engine versions, data folder and schema version
  assay self-test [--json] [--data-dir D]    compute RDKit descriptors in worker threads
  assay web [--port N] [--data-dir D]        serve the app to a browser on 127.0.0.1
  assay --help                               this text

The data folder defaults to ASSAY_DATA_DIR, else the desktop app's own folder.
Exit status: 0 on success, 1 when the command failed, 2 for a usage error.
`

class UsageError extends Error {}

/** Runs one CLI command and returns its exit code. Failures print one line on stderr. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(HELP)
    return command ? 0 : 2
  }
  try {
    switch (command) {
      case 'status':
        return await withEngine(rest, io, {}, false, async (engine, args) => {
          const status = await expectOk(engine.invoke('app.status', {}))
          io.stdout(args.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status))
          return 0
        })
      case 'self-test':
        return await withEngine(rest, io, {}, false, async (engine, args) => {
          const { jobId } = await expectOk(engine.invoke('app.selfTest', {}))
          const { info, result } = await engine.context.jobs.wait(jobId)
          if (info.state !== 'succeeded')
            throw new Error(info.error?.message ?? `the self-test was ${info.state}`)
          const r = result as SelfTestResult
          io.stdout(args.json ? `${JSON.stringify(r, null, 2)}\n` : formatSelfTest(r))
          return 0
        })
      case 'web':
        return await withEngine(
          rest,
          io,
          { port: { type: 'string' } },
          true,
          async (engine, args) => {
            const port = args.port === undefined ? 0 : Number(args.port)
            if (!Number.isInteger(port) || port < 0 || port > 65535)
              throw new UsageError(
                `--port must be a whole number from 0 to 65535, not ${args.port}`,
              )
            const host = await startWebHost({
              engine,
              rendererDir: io.rendererDir,
              uploadDir: join(engine.context.options.dataDir, 'uploads'),
              port,
            })
            io.stdout(
              `Assay Workbench is served at ${host.url}\nOpen that address in a browser. Press Ctrl+C to stop.\n`,
            )
            await (io.untilStopped ?? untilSignal)()
            await host.close()
            return 0
          },
        )
      default:
        throw new UsageError(`unknown command "${command}" (see assay --help)`)
    }
  } catch (error) {
    io.stderr(`assay: ${error instanceof Error ? error.message : String(error)}\n`)
    return error instanceof UsageError ? 2 : 1
  }
}

type Args = { json: boolean; 'data-dir': string | undefined; port?: string | undefined }

async function withEngine(
  argv: string[],
  io: CliIo,
  extra: Record<string, { type: 'string' }>,
  exclusive: boolean,
  body: (engine: Engine, args: Args) => Promise<number>,
): Promise<number> {
  let values: Args
  try {
    values = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        ...extra,
      },
      strict: true,
      allowPositionals: false,
    }).values as Args
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const engine = createEngine({
    dataDir: values['data-dir'] ?? defaultDataDir(),
    host: exclusive ? 'web' : 'cli',
    workerPath: io.workerPath,
    exclusive,
  })
  try {
    return await body(engine, values)
  } finally {
    await engine.close()
  }
}

async function expectOk<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
): Promise<T> {
  const r = await result
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

function formatStatus(s: AppStatus): string {
  return [
    `Assay Workbench ${s.appVersion}`,
    `data folder     ${s.dataDir}`,
    `database        ${s.databasePath} (schema ${s.schemaVersion})`,
    `node            ${s.versions.node}`,
    `sqlite          ${s.versions.sqlite}`,
    `onnxruntime     ${s.versions.onnxruntime}`,
    `rdkit           ${s.versions.rdkit ?? 'not installed'}`,
    `worker threads  ${s.workerThreads}`,
    '',
  ].join('\n')
}

function formatSelfTest(r: SelfTestResult): string {
  const rows = r.molecules.map(
    (m) =>
      `${m.smiles.padEnd(36)} ${m.mw.toFixed(3).padStart(9)} ${m.alogp.toFixed(4).padStart(8)} ${String(m.hba).padStart(4)} ${String(m.hbd).padStart(4)}`,
  )
  return [
    `RDKit ${r.rdkitVersion}: ${r.molecules.length} molecules in ${r.seconds.toFixed(2)} s on ${r.workersUsed} worker thread(s)`,
    `${'SMILES'.padEnd(36)} ${'MW'.padStart(9)} ${'logP'.padStart(8)} ${'HBA'.padStart(4)} ${'HBD'.padStart(4)}`,
    ...rows,
    '',
  ].join('\n')
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}
