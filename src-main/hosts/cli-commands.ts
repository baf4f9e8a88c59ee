import { basename, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { AppStatus, CompoundRow, ImportSummary, SelfTestResult } from '../contract'
import { type Engine, createEngine } from '../engine/engine'
import {
  type CliIo,
  type Command,
  type StandaloneCommand,
  PUSH_GATEWAY_OPTION,
  UsageError,
  type Values,
  expectOk,
  waitForJob,
} from './cli-common'
import { DATABASE_COMMANDS, DATABASE_HELP, STANDALONE_COMMANDS } from './cli-database'
import { MODELS_HELP, MODEL_COMMANDS } from './cli-models'
import { PREDICT_COMMANDS, PREDICT_HELP } from './cli-predict'
import { DRIFT_COMMANDS, DRIFT_EXIT, DRIFT_HELP } from './cli-drift'
import { RETRAIN_COMMANDS, RETRAIN_HELP } from './cli-retrain'
import { WATCH_COMMANDS, WATCH_HELP } from './cli-watch'
import { REPORT_COMMANDS, REPORT_HELP } from './cli-report'
import { SIMULATE_COMMANDS, SIMULATE_HELP } from './cli-simulate'
import { SERVE_COMMANDS, SERVE_HELP } from './cli-serve'
import { UPLOADS_DIR } from '../engine/import/stored-file'
import { seedSampleIfEmpty } from '../engine/sample/sample'
import { defaultDataDir } from './data-dir'
import { startWebHost } from './web-host'
import { PUSHING_COMMANDS, parsePushGateway, pushJobOutcome } from './cli-push'

export type { CliIo } from './cli-common'

export const HELP = `assay - Assay Workbench from the command line

Usage:
  assay status [--json] [--data-dir D]       engine versions, data folder and schema version
  assay import FILE... [--map column=field]... [--no-descriptors] [--again] [--json] [--data-dir D]
                                             import ChEMBL exports (one JSON object per file with --json)
  assay compounds [--json] [--limit N] [--data-dir D]
                                             compounds with their four seed features
  assay self-test [--json] [--data-dir D]    compute RDKit descriptors in worker threads
${MODELS_HELP}${PREDICT_HELP}${DRIFT_HELP}${RETRAIN_HELP}${WATCH_HELP}${REPORT_HELP}${DATABASE_HELP}${SIMULATE_HELP}${SERVE_HELP}  assay web [--port N] [--no-sample] [--data-dir D]
                                             serve the app to a browser on 127.0.0.1 (a new data
                                             folder gets the synthetic sample unless --no-sample)
  assay --help                               this text

import: --map "Column Name=field" maps a column by hand (field names: molecule_chembl_id, smiles,
mw_freebase, alogp, hba, hbd, standard_type, standard_relation, standard_value, standard_units,
pchembl_value, target_chembl_id, ...; an empty field ignores the column; it applies to every FILE
named, so map files with different columns in separate commands). A file imported before
(same SHA-256) is skipped unless --again is given. Rejected rows are not a failure.

import, train, predict and drift take --push-gateway URL: when the job ends, also when it fails,
its duration, rows, success (1 or 0) and completion time are pushed to that Prometheus Pushgateway
(job assay_<command>, instance this host's name); an unreachable gateway is a warning only.

The data folder defaults to ASSAY_DATA_DIR, else the desktop app's own folder.
Exit status: 0 on success, 1 when the command failed, 2 for a usage error, 3 for drift with
--fail-on-drift.
`

const COMMANDS: Record<string, Command> = {
  status: {
    options: {},
    async run(engine, values, _p, io) {
      const status = await expectOk(engine.invoke('app.status', {}))
      io.stdout(values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status))
      return 0
    },
  },

  'self-test': {
    options: {},
    async run(engine, values, _p, io) {
      const { jobId } = await expectOk(engine.invoke('app.selfTest', {}))
      const result = await waitForJob(engine, 'app.selfTest', jobId)
      io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatSelfTest(result))
      return 0
    },
  },

  import: {
    options: {
      map: { type: 'string', multiple: true },
      'no-descriptors': { type: 'boolean' },
      again: { type: 'boolean' },
    },
    positionals: true,
    async run(engine, values, files, io) {
      if (files.length === 0) throw new UsageError('import needs at least one FILE')
      const mapping = parseMappings((values.map as string[] | undefined) ?? [])
      let failed = 0
      for (const file of files) {
        const path = resolve(file)
        try {
          // The user typed this path, so the CLI grants it; the engine still refuses its own
          // database and data folder.
          const ref = await engine.grantFile(path)
          const { jobId } = await expectOk(
            engine.invoke('imports.start', {
              file: ref,
              mapping,
              duplicate: values.again ? 'import' : 'skip',
              computeDescriptors: !values['no-descriptors'],
            }),
          )
          const summary = await waitForJob(engine, 'imports.start', jobId)
          io.countRows?.(summary.rowsAccepted)
          io.stdout(
            values.json ? `${JSON.stringify(importJson(summary))}\n` : formatImport(summary),
          )
        } catch (error) {
          failed++
          io.stderr(
            `assay: ${basename(path)}: ${error instanceof Error ? error.message : String(error)}\n`,
          )
        }
      }
      return failed > 0 ? 1 : 0
    },
  },

  compounds: {
    options: { limit: { type: 'string' } },
    async run(engine, values, _p, io) {
      const limit = values.limit === undefined ? 50 : Number(values.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new UsageError(
          `--limit must be a whole number from 1 to 10000, not ${String(values.limit)}`,
        )
      const { total: counted, rows } = await expectOk(
        engine.invoke('data.compounds', { offset: 0, limit, withTotal: true }),
      )
      const total = counted ?? rows.length
      io.stdout(
        values.json
          ? `${JSON.stringify({ total, compounds: rows.map(compoundJson) }, null, 2)}\n`
          : formatCompounds(total, rows),
      )
      return 0
    },
  },

  web: {
    options: { port: { type: 'string' }, 'no-sample': { type: 'boolean' } },
    exclusive: true,
    async run(engine, values, _p, io) {
      const port = values.port === undefined ? 0 : Number(values.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(
          `--port must be a whole number from 0 to 65535, not ${String(values.port)}`,
        )
      if (!values['no-sample'] && (await seedSampleIfEmpty(engine.context, io.appRoot)))
        io.stdout('New data folder: added the synthetic sample data and the baseline model.\n')
      const host = await startWebHost({
        engine,
        rendererDir: io.rendererDir,
        uploadDir: join(engine.context.options.dataDir, UPLOADS_DIR),
        port,
      })
      io.stdout(
        `Assay Workbench is served at ${host.url}\nOpen that address in a browser. Press Ctrl+C to stop.\n`,
      )
      await (io.untilStopped ?? untilSignal)()
      await host.close()
      return 0
    },
  },
  ...MODEL_COMMANDS,
  ...PREDICT_COMMANDS,
  ...DRIFT_COMMANDS,
  ...RETRAIN_COMMANDS,
  ...WATCH_COMMANDS,
  ...REPORT_COMMANDS,
  ...DATABASE_COMMANDS,
}

/** Runs one CLI command and returns its exit code. Failures print one line on stderr. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const job: JobTally = { pushGateway: null, rows: 0 }
  const started = performance.now()
  const code = await runCommand(argv, { ...io, countRows: (rows) => (job.rows += rows) }, job)
  if (job.pushGateway !== null) {
    // also after a failure: a job that failed is exactly what the team wants to see
    const warning = await pushJobOutcome(job.pushGateway, {
      command: argv[0] ?? '',
      durationSeconds: (performance.now() - started) / 1000,
      rows: job.rows,
      // --fail-on-drift's own exit status reports drift found by a check that succeeded
      success: code === 0 || (argv[0] === 'drift' && code === DRIFT_EXIT),
      completedAt: Date.now() / 1000,
    })
    // a warning only: the job's exit status stays the job's
    if (warning !== null) io.stderr(`assay: warning: ${warning}\n`)
  }
  return code
}

interface JobTally {
  pushGateway: URL | null
  rows: number
}

async function runCommand(argv: string[], io: CliIo, job: JobTally): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP)
    return name ? 0 : 2
  }
  try {
    const command: Command | StandaloneCommand | undefined = Object.hasOwn(COMMANDS, name)
      ? COMMANDS[name]
      : Object.hasOwn(STANDALONE_COMMANDS, name)
        ? STANDALONE_COMMANDS[name]
        : Object.hasOwn(SIMULATE_COMMANDS, name)
          ? SIMULATE_COMMANDS[name]
          : Object.hasOwn(SERVE_COMMANDS, name)
            ? SERVE_COMMANDS[name]
            : undefined
    if (!command) throw new UsageError(`unknown command "${name}" (see assay --help)`)
    let parsed: { values: Values; positionals: string[] }
    try {
      parsed = parseArgs({
        args: rest,
        options: {
          json: { type: 'boolean', default: false },
          'data-dir': { type: 'string' },
          ...command.options,
          ...(PUSHING_COMMANDS.has(name) ? PUSH_GATEWAY_OPTION : {}),
        },
        strict: true,
        allowPositionals: command.positionals ?? false,
      }) as { values: Values; positionals: string[] }
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error))
    }
    const gateway = parsed.values['push-gateway']
    if (typeof gateway === 'string') job.pushGateway = parsePushGateway(gateway)
    const dataDir = (parsed.values['data-dir'] as string | undefined) ?? defaultDataDir()
    if ('standalone' in command)
      return await command.run(dataDir, parsed.values, parsed.positionals, io)
    const engine = createEngine({
      dataDir,
      host: command.exclusive ? 'web' : 'cli',
      workerPath: io.workerPath,
      exclusive: command.exclusive ?? false,
      // the web host runs for hours: it checks the database after start and backs it up daily
      maintenance: command.exclusive ?? false,
    })
    try {
      const code = await command.run(engine, parsed.values, parsed.positionals, io)
      // An import or a batch may have started automatic drift checks: they finish and are stored
      // before the engine closes (closing would cancel them).
      if (!command.exclusive) await finishDriftChecks(engine)
      return code
    } finally {
      await engine.close()
    }
  } catch (error) {
    io.stderr(`assay: ${error instanceof Error ? error.message : String(error)}\n`)
    return error instanceof UsageError ? 2 : 1
  }
}

async function finishDriftChecks(engine: Engine): Promise<void> {
  const running = engine.context.jobs
    .list()
    .filter((j) => j.kind === 'drift.run' && j.state === 'running')
  // a check that fails is the check's result, not the command's
  for (const j of running) await engine.context.jobs.waitFor('drift.run', j.id).catch(() => null)
}

function parseMappings(items: string[]): Record<string, string> {
  const mapping: Record<string, string> = {}
  for (const item of items) {
    const eq = item.lastIndexOf('=')
    if (eq <= 0) throw new UsageError(`--map takes column=field, not "${item}"`)
    mapping[item.slice(0, eq).trim()] = item.slice(eq + 1).trim()
  }
  return mapping
}

/** The documented `assay import --json` object. */
function importJson(s: ImportSummary) {
  return {
    importId: s.importId,
    file: s.file,
    format: s.format,
    rowsTotal: s.rowsTotal,
    rowsAccepted: s.rowsAccepted,
    rowsRejected: s.rowsRejected,
    rejectionsByReason: s.rejectionsByReason,
    compoundsNew: s.compoundsNew,
    compoundsUpdated: s.compoundsUpdated,
    activities: s.activities,
    alreadyPresent: s.alreadyPresent,
    seconds: Number(s.seconds.toFixed(3)),
    rowsPerSecond: Math.round(s.rowsPerSecond),
    skipped: s.skipped,
    previousImportId: s.previousImportId,
    unusableByReason: s.unusableByReason,
    disagreements: s.disagreements,
    rdkitVersion: s.rdkitVersion,
    sha256: s.sha256,
  }
}

function compoundJson(c: CompoundRow) {
  return {
    chemblId: c.chemblId,
    name: c.name,
    smiles: c.smiles,
    mw_freebase: c.mw_freebase,
    alogp: c.alogp,
    hba: c.hba,
    hbd: c.hbd,
    sources: c.featureSources,
    activities: c.activities,
  }
}

const n = (x: number) => x.toLocaleString('en')

function formatImport(s: ImportSummary): string {
  if (s.skipped)
    return `${s.file}: skipped, the same file was imported before (import #${s.previousImportId}); use --again to import it again\n`
  const reasons = Object.entries(s.rejectionsByReason)
    .map(([r, c]) => `${r} ${n(c)}`)
    .join(', ')
  return (
    `${s.file} (${s.format}, import #${s.importId}): ${n(s.rowsTotal)} rows, ${n(s.rowsAccepted)} accepted, ${n(s.rowsRejected)} rejected${reasons ? ` (${reasons})` : ''}; ` +
    `${n(s.compoundsNew)} new compounds, ${n(s.compoundsUpdated)} updated; ${n(s.activities)} activities added${s.alreadyPresent > 0 ? `, ${n(s.alreadyPresent)} already present` : ''} in ${s.seconds.toFixed(1)} s (${n(Math.round(s.rowsPerSecond))} rows/s)\n`
  )
}

function formatCompounds(total: number, rows: CompoundRow[]): string {
  const f = (v: number | null, d: number) => (v === null ? '—' : v.toFixed(d))
  const lines = rows.map(
    (c) =>
      `${(c.chemblId ?? '').padEnd(16)} ${f(c.mw_freebase, 2).padStart(9)} ${f(c.alogp, 2).padStart(7)} ${f(c.hba, 0).padStart(4)} ${f(c.hbd, 0).padStart(4)}  ${c.smiles ?? ''}`,
  )
  return [
    `${n(total)} compounds${rows.length < total ? ` (first ${rows.length})` : ''}`,
    `${'ChEMBL ID'.padEnd(16)} ${'MW'.padStart(9)} ${'AlogP'.padStart(7)} ${'HBA'.padStart(4)} ${'HBD'.padStart(4)}  SMILES`,
    ...lines,
    '',
  ].join('\n')
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
