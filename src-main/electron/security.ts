import { type Session, type WebContents, shell } from 'electron'

/** Opens only http(s) links, in the user's browser; anything else (file:, javascript:, custom schemes) is dropped. */
export function openExternalSafely(url: string): void {
  try {
    const { protocol } = new URL(url)
    if (protocol === 'https:' || protocol === 'http:') void shell.openExternal(url)
  } catch {
    // not a URL: ignore
  }
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  // The Content-Security-Policy is a <meta> tag in the built index.html: a page loaded from a
  // file gets no response headers to carry it (see electron.vite.config.ts).
}

/**
 * The page may not navigate away from the app or open windows; the app's links go to the
 * browser. With `openLinks: false` (a document printed from data) nothing is opened at all: a
 * `<meta http-equiv="refresh">` in a report would otherwise send the user's browser to whatever
 * address the data named.
 */
export function hardenContents(
  contents: WebContents,
  isAppUrl: (url: string) => boolean,
  { openLinks = true }: { openLinks?: boolean } = {},
): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return
    event.preventDefault()
    if (openLinks) openExternalSafely(url)
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (openLinks) openExternalSafely(url)
    return { action: 'deny' }
  })
}
