import { realpath, writeFile } from 'node:fs/promises'
import { WorkbenchError } from '../../contract'

/**
 * The files a host's `saveFile` wrote, the only ones its `openFile` opens: opening a file in the
 * system viewer runs its default program, so the engine may not name any other file there.
 */
export class SavedFiles {
  private readonly paths = new Set<string>()

  /** Writes the bytes where the user chose, and remembers the file by its real path. */
  async write(path: string, bytes: Uint8Array): Promise<void> {
    try {
      await writeFile(path, bytes)
    } catch (error) {
      throw new WorkbenchError(
        'file-not-readable',
        `The file could not be written to ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. Choose a folder you can write to.`,
      )
    }
    this.paths.add(await realpath(path))
  }

  /** The file's real path when it is one this host saved; anything else is refused. */
  async check(path: string): Promise<string> {
    const real = await realpath(path).catch(() => null)
    if (real === null || !this.paths.has(real))
      throw new WorkbenchError(
        'not-allowed',
        'Only a file saved from the workbench can be opened from here.',
      )
    return real
  }
}
