import { copyFile, constants, link, mkdir, unlink } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'

/**
 * Moves `path` into `folder` (created when missing) under its own name, or "name (2).csv",
 * "name (3).csv", ... when that name is taken: a file already there is never overwritten (a
 * rename would replace it silently). The new name is claimed with a hard link, which fails when
 * the name exists; where links are not possible (some network and FAT drives) with an exclusive
 * copy. The original goes only once the new name holds the bytes. Returns the new path.
 */
export async function moveAside(path: string, folder: string): Promise<string> {
  await mkdir(folder, { recursive: true })
  const name = basename(path)
  const ext = extname(name)
  const stem = name.slice(0, name.length - ext.length)
  for (let n = 1; n < 10_000; n++) {
    const target = join(folder, n === 1 ? name : `${stem} (${n})${ext}`)
    try {
      await claim(path, target)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw error
    }
    await unlink(path)
    return target
  }
  throw new Error(`${folder} already holds 10,000 files named like ${name}.`)
}

async function claim(path: string, target: string): Promise<void> {
  try {
    await link(path, target)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOENT') throw error
    await copyFile(path, target, constants.COPYFILE_EXCL)
  }
}
