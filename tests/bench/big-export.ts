import { createReadStream, createWriteStream } from 'node:fs'
import { once } from 'node:events'

/**
 * Writes a web-export file of `rows` data rows by repeating the source export's rows (header
 * once). Line by line, so a 550 MB file is written with a few MB of memory.
 */
export async function writeRepeatedExport(
  source: string,
  dest: string,
  rows: number,
): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = []
    createReadStream(source)
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      .on('error', reject)
  })
  const lines = text.split('\n').filter((l) => l.length > 0)
  const [header, ...body] = lines
  const out = createWriteStream(dest)
  let bytes = 0
  const write = async (line: string) => {
    bytes += Buffer.byteLength(line) + 1
    if (!out.write(`${line}\n`)) await once(out, 'drain')
  }
  await write(header as string)
  for (let i = 0; i < rows; i++) await write(body[i % body.length] as string)
  out.end()
  await once(out, 'finish')
  return bytes
}
