/** Saves text or bytes as a file the way a browser download does (Electron asks where). */
export function download(name: string, content: BlobPart, type = 'application/octet-stream') {
  const url = URL.createObjectURL(new Blob([content], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
