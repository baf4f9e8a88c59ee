/**
 * When a file in the watched folder is complete: its size and modification time have not changed
 * for the stable time, and it opens for reading. A file still being copied or downloaded grows
 * (size) or is touched (mtime: a download that preallocates its full size only changes the time),
 * and on Windows a file being written cannot be opened; any of these keeps it waiting, so a file
 * is never imported half. Pure logic on samples and a clock, so it is tested with a hand-moved
 * clock; the watcher feeds it what `stat` and `open` said.
 */

/** What the watcher saw of a file just now; null when it is gone. */
export interface FileSample {
  size: number
  mtimeMs: number
  /** it could be opened for reading */
  readable: boolean
}

/** What became of a file after a sample. */
export type Completeness = 'waiting' | 'complete' | 'gone'

interface Seen {
  size: number
  mtimeMs: number
  /** when the size and time were last seen to change (or first seen) */
  since: number
}

export class CompletenessTracker {
  private readonly files = new Map<string, Seen>()

  /** @param stableMs how long size and time must stay the same */
  constructor(private readonly stableMs: number) {}

  /**
   * Records a sample of `path` taken at `now` (milliseconds on any clock that only moves
   * forward). A complete file is forgotten (it is handed on once); so is a vanished one.
   */
  observe(path: string, sample: FileSample | null, now: number): Completeness {
    if (sample === null) {
      this.files.delete(path)
      return 'gone'
    }
    const seen = this.files.get(path)
    if (!seen || seen.size !== sample.size || seen.mtimeMs !== sample.mtimeMs) {
      this.files.set(path, { size: sample.size, mtimeMs: sample.mtimeMs, since: now })
      return 'waiting'
    }
    if (now - seen.since < this.stableMs || !sample.readable) return 'waiting'
    this.files.delete(path)
    return 'complete'
  }

  /** Whether `path` is waiting. */
  has(path: string): boolean {
    return this.files.has(path)
  }

  forget(path: string): void {
    this.files.delete(path)
  }

  /** The files waiting to be complete, in the order they were first seen. */
  waiting(): string[] {
    return [...this.files.keys()]
  }
}
