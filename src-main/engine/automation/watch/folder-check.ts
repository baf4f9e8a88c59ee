import { constants } from 'node:fs'
import { access, readdir, realpath, stat } from 'node:fs/promises'
import { relative, isAbsolute, sep } from 'node:path'

/**
 * Why `folder` cannot be watched, as a sentence for the Settings screen, or null when it can:
 * it must exist, be a folder the workbench may list and read, and lie outside the data folder
 * (the database and its side files live there; reading them as exports damaged a database once,
 * see data-folder-guard.ts, and the workbench writes there itself, so it would take its own files).
 */
export async function folderProblem(folder: string, dataDir: string): Promise<string | null> {
  let real: string
  try {
    real = await realpath(folder)
    const info = await stat(real)
    if (!info.isDirectory())
      return `${folder} is a file, not a folder. Choose the folder your exports are saved in.`
    await access(real, constants.R_OK | constants.X_OK)
    await readdir(real)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return `The folder ${folder} does not exist (any more). Create it, or choose another folder to watch.`
    if (code === 'EACCES' || code === 'EPERM')
      return `The workbench is not allowed to read the folder ${folder}. Choose another folder, or ask for read access to this one.`
    return `The folder ${folder} cannot be read: ${(error as Error).message}`
  }
  const data = await realpath(dataDir).catch(() => dataDir)
  const rel = relative(data, real)
  if (rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)))
    return `${folder} is the workbench's own data folder, or inside it, where only the workbench keeps its files. Choose another folder, such as one in Documents, for your exports.`
  return null
}
