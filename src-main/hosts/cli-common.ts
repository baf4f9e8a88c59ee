import type { CallResult, JobMethodName, JobResult } from '../contract'
import type { Engine } from '../engine/engine'

export interface CliIo {
  workerPath: string
  rendererDir: string
  /** the folder holding resources/ and models/ (the bundled sample and baseline model) */
  appRoot: string
  stdout(text: string): void
  stderr(text: string): void
  /** Resolves when the web host should stop (Ctrl+C by default). */
  untilStopped?: () => Promise<void>
  /** A job command adds the rows it read, scored or stored (pushed with `--push-gateway`). */
  countRows?: (rows: number) => void
}

/** A mistake in how the command was typed: exit status 2. */
export class UsageError extends Error {}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>
export type Values = Record<string, string | boolean | string[] | undefined>

/** `--push-gateway URL`, taken by every job command (import, train, predict, drift). */
export const PUSH_GATEWAY_OPTION: OptionSpec = { 'push-gateway': { type: 'string' } }

export interface Command {
  options: OptionSpec
  positionals?: boolean
  /** long-running hosts claim the data folder */
  exclusive?: boolean
  run(engine: Engine, values: Values, positionals: string[], io: CliIo): Promise<number>
}

/** A command that must not open the database through an engine (restore replaces it). */
export interface StandaloneCommand {
  options: OptionSpec
  positionals?: boolean
  standalone: true
  run(dataDir: string, values: Values, positionals: string[], io: CliIo): Promise<number>
}

export async function expectOk<T>(result: Promise<CallResult<T>>): Promise<T> {
  const r = await result
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** Waits for a `kind` job; resolves with its declared result, or throws its error. */
export async function waitForJob<K extends JobMethodName>(
  engine: Engine,
  kind: K,
  jobId: string,
): Promise<JobResult<K>> {
  const { info, result } = await engine.context.jobs.waitFor(kind, jobId)
  if (info.state !== 'succeeded' || result === undefined)
    throw new Error(info.error?.message ?? `the job was ${info.state}`)
  return result
}
