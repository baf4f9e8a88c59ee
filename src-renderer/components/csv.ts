export { csvCell, toCsv } from '../../src-main/contract/csv'

/** Lets the browser (or Electron) save text or bytes as a file. */
export function downloadFile(
  name: string,
  content: BlobPart,
  type = 'text/csv;charset=utf-8',
): void {
  const url = URL.createObjectURL(new Blob([content], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
