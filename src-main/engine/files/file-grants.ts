import { randomBytes } from 'node:crypto'
import { basename, isAbsolute } from 'node:path'
import { type FileRef, WorkbenchError } from '../../contract'
import { dataFolderRefused, findReadableFile } from './data-folder-guard'

/** A file the engine may read, as a handler gets it. */
export interface GrantedFile {
  /** the file's path without links, checked just now */
  path: string
  /** the name the user knows it by (an upload is saved under another) */
  name: string
  size: number
}

export interface GrantOptions {
  /** the name to show; default: the file's own */
  name?: string
  /** the web host saved this file in the data folder's uploads folder for this grant */
  upload?: boolean
}

interface Grant {
  path: string
  name: string
  /** an upload's identity when it was granted: the grant is for that file, not whatever is there later */
  upload: { dev: bigint; ino: bigint } | null
}

/** Old grants are forgotten beyond this many, so a long-running web host does not grow forever. */
const MAX_GRANTS = 10_000

/**
 * The files hosts have handed to this engine, by opaque handle. Only hosts grant (an in-process
 * call, not a contract method): Electron main for its dialogs and drops, the web host for its
 * uploads, the CLI for paths its user typed. A page can only pass back a handle it was given, so it
 * cannot name `/etc/passwd` or `uploads/../../etc/passwd`, nor guess a handle (128 random bits).
 * Grants live in memory: an engine restart forgets them and the user chooses the file again.
 */
export class FileGrants {
  private readonly grants = new Map<string, Grant>()

  constructor(private readonly dataDir: string) {}

  /** Records `path` and returns its reference; refuses the database and the data folder now. */
  async grant(path: string, options: GrantOptions = {}): Promise<FileRef> {
    if (!isAbsolute(path))
      throw new WorkbenchError(
        'invalid-input',
        `A file must be given by its full path, not "${path.slice(0, 200)}".`,
      )
    const name = options.name ?? basename(path)
    const found = await findReadableFile(this.dataDir, path, name)
    if (found.placement === 'upload' && !options.upload) throw dataFolderRefused(name, this.dataDir)
    const handle = randomBytes(16).toString('hex')
    this.grants.set(handle, {
      path,
      name,
      upload: options.upload ? { dev: found.stats.dev, ino: found.stats.ino } : null,
    })
    if (this.grants.size > MAX_GRANTS) {
      const oldest = this.grants.keys().next().value
      if (oldest !== undefined) this.grants.delete(oldest)
    }
    return { handle, name, size: Number(found.stats.size) }
  }

  /**
   * The file behind a reference, checked again now: the database refusal holds even if the
   * granted path has since become a link to it, and an upload must still be the file saved.
   */
  async resolve(ref: Pick<FileRef, 'handle'>): Promise<GrantedFile> {
    const grant = this.grants.get(ref.handle)
    if (!grant)
      throw new WorkbenchError(
        'file-not-allowed',
        'The workbench was not given this file, or no longer remembers it (the app restarted since it was chosen). Choose or drop the file again.',
        { reason: 'not-granted' },
      )
    const found = await findReadableFile(this.dataDir, grant.path, grant.name)
    const ownUpload =
      grant.upload !== null &&
      found.stats.dev === grant.upload.dev &&
      found.stats.ino === grant.upload.ino
    if (found.placement === 'upload' && !ownUpload)
      throw dataFolderRefused(grant.name, this.dataDir)
    return { path: found.realPath, name: grant.name, size: Number(found.stats.size) }
  }

  clear(): void {
    this.grants.clear()
  }
}
