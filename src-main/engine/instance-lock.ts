import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { WorkbenchError } from '../contract'

export const LOCK_FILE = 'engine.lock'

/** Whether a process with this id runs on this machine (whoever it belongs to). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Claims the data folder for one long-running engine (the desktop app or a web host). A second
 * one on the same folder is refused with a clear message instead of two apps writing the same
 * models and imports. A lock left by a process that no longer runs is taken over.
 */
export function acquireInstanceLock(dataDir: string, pid = process.pid): () => void {
  const path = join(dataDir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(pid), { flag: 'wx' })
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(pid)) rmSync(path, { force: true })
        } catch {
          // already gone
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10)
      if (Number.isInteger(holder) && isRunning(holder)) {
        throw new WorkbenchError(
          'already-running',
          `Assay Workbench is already running with this data folder (process ${holder}). Switch to that window, or close it first.`,
          { pid: holder },
        )
      }
      rmSync(path, { force: true })
    }
  }
  throw new WorkbenchError('internal', `Could not claim the data folder ${dataDir}.`)
}
