import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  type BackupInfo,
  type DatabaseCheck,
  type DatabaseStatus,
  type Events,
  type RestoreResult,
  WorkbenchError,
} from '../../contract'
import { type Db, databasePath } from '../db/connection'
import { DAMAGE_ADVICE } from '../db/database-file'
import type { JobRunner } from '../jobs/job-runner'
import type { WorkerPool } from '../workers/pool'
import { type FileCheck, backupDatabase, backupsDir, listBackups, localDay } from './backups'
import { type RestoreHooks, restoreDatabase } from './restore'

/** What maintenance needs from the engine that owns it. */
export interface MaintenanceHost extends RestoreHooks {
  dataDir: string
  db(): Db
  pool: WorkerPool
  jobs: JobRunner
  emit<E extends keyof Events>(event: E, payload: Events[E]): void
}

/** The first background check waits this long after start, so the first screens load first. */
export const FIRST_CHECK_DELAY_MS = 5_000
/** How often a long-running engine looks whether a new day needs its backup. */
const DAILY_TICK_MS = 60 * 60 * 1000

/**
 * The database's health and backups for one engine: quick_check on a worker thread, the daily
 * snapshot and restore. They run one at a time (a restore must not swap the file under a running
 * backup), and never on the engine thread except the file renames of a restore.
 */
export class DatabaseMaintenance {
  private lastCheck: DatabaseCheck | null = null
  private backupError: string | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private pending = 0
  private timers: NodeJS.Timeout[] = []
  private stopped = false
  private readonly host: MaintenanceHost

  constructor(host: MaintenanceHost) {
    this.host = host
  }

  status(): DatabaseStatus {
    return {
      lastCheck: this.lastCheck,
      busy: this.pending > 0,
      backupsDir: backupsDir(this.host.dataDir),
      backups: listBackups(this.host.dataDir),
      backupError: this.backupError,
    }
  }

  check(): Promise<DatabaseCheck> {
    return this.serially(() => this.runCheck())
  }

  backup(now = new Date()): Promise<BackupInfo> {
    return this.serially(() => this.runBackup(now))
  }

  restore(name: string): Promise<RestoreResult> {
    return this.serially(async () => {
      this.refuseWhileJobsRun()
      const backup = listBackups(this.host.dataDir).find((b) => b.name === name)
      if (!backup)
        throw new WorkbenchError('not-found', `There is no backup named ${name}.`, { name })
      const result = await restoreDatabase(this.host.dataDir, backup.path, this.fileCheck, {
        // Asked again at the swap: a job started while the backup was copied and checked would
        // go on writing to the file renamed aside (an import writes through its own connection).
        close: () => {
          this.refuseWhileJobsRun()
          this.host.close()
        },
        open: () => this.host.open(),
      })
      // the check of the restored file, shown on the Settings screen
      await this.runCheck()
      return result
    })
  }

  private refuseWhileJobsRun(): void {
    const running = this.host.jobs.list().filter((j) => j.state === 'running')
    if (running.length > 0)
      throw new WorkbenchError(
        'not-allowed',
        `A backup cannot be restored while ${running.length === 1 ? 'a job is' : `${running.length} jobs are`} running (${running.map((j) => j.kind).join(', ')}). Wait for ${running.length === 1 ? 'it' : 'them'} to finish, or cancel, then restore.`,
      )
  }

  /**
   * For long-running engines (desktop app, web host): a quick_check a few seconds after start,
   * then today's backup when there is none yet, and again whenever a new day begins.
   */
  startBackground(firstDelayMs = FIRST_CHECK_DELAY_MS): void {
    removePartials(this.host.dataDir)
    const first = setTimeout(() => void this.daily(), firstDelayMs)
    const tick = setInterval(() => void this.daily(), DAILY_TICK_MS)
    first.unref()
    tick.unref()
    this.timers.push(first, tick)
  }

  /** Stops the timers and waits for a check, backup or restore in progress. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const t of this.timers) clearTimeout(t)
    this.timers = []
    await this.queue.catch(() => undefined)
  }

  /**
   * The first run after start always checks; later ticks check and back up only when today has
   * no backup yet: a quick_check reads the whole file, too much to repeat every hour.
   */
  private async daily(): Promise<void> {
    if (this.stopped) return
    const today = localDay(new Date())
    const have = () => listBackups(this.host.dataDir).some((b) => b.day === today)
    if (this.lastCheck !== null && have()) return
    try {
      const check = await this.check()
      if (check.ok && !have() && !this.stopped) await this.backup()
    } catch (error) {
      // reported through status(); an engine shutting down ends a check in progress
      if (!this.stopped) this.backupError = error instanceof Error ? error.message : String(error)
    }
  }

  private readonly fileCheck: FileCheck = (path) => this.host.pool.run('quickCheck', { path })

  private async runCheck(): Promise<DatabaseCheck> {
    const started = performance.now()
    const result = await this.fileCheck(databasePath(this.host.dataDir))
    const check: DatabaseCheck = {
      ok: result.ok,
      problems: result.problems,
      checkedAt: new Date().toISOString(),
      seconds: (performance.now() - started) / 1000,
      advice: result.ok
        ? null
        : `SQLite found damage in the database file. ${DAMAGE_ADVICE} ${newest(this.host.dataDir)}`,
    }
    this.lastCheck = check
    this.host.emit('database.checked', check)
    return check
  }

  private async runBackup(now: Date): Promise<BackupInfo> {
    try {
      const made = await backupDatabase(this.host.db(), this.host.dataDir, this.fileCheck, now)
      this.backupError = null
      return made
    } catch (error) {
      this.backupError = error instanceof Error ? error.message : String(error)
      throw error
    }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    this.pending++
    const run = this.queue.then(work, work).finally(() => {
      this.pending--
    })
    this.queue = run.catch(() => undefined)
    return run
  }
}

function newest(dataDir: string): string {
  const [latest] = listBackups(dataDir)
  return latest
    ? `The newest backup is ${latest.name}, from ${latest.day}.`
    : 'There is no backup yet: copy the whole data folder somewhere safe before changing anything.'
}

/** A backup interrupted by a crash or power cut leaves its temporary file; it is never a backup. */
function removePartials(dataDir: string): void {
  try {
    for (const name of readdirSync(backupsDir(dataDir)))
      if (/^\.workbench-.*\.partial/.test(name))
        rmSync(join(backupsDir(dataDir), name), { force: true })
  } catch {
    // no backups folder yet
  }
}
