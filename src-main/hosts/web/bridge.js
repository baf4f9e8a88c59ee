// The web host's stand-in for the Electron preload: gives the page the same `window.workbench`
// ({ call, on, fileRef, download }) over HTTP and Server-Sent Events. Served as a file so the page's
// Content-Security-Policy can forbid inline scripts.
;(() => {
  const TOKEN_KEY = 'assay-workbench-token'
  const params = new URLSearchParams(window.location.search)
  let token = params.get('token')
  if (token) {
    // Keep the token for reloads, and out of the address bar and history.
    window.sessionStorage.setItem(TOKEN_KEY, token)
    params.delete('token')
    const rest = params.toString()
    window.history.replaceState(
      null,
      '',
      window.location.pathname + (rest ? `?${rest}` : '') + window.location.hash,
    )
  } else {
    token = window.sessionStorage.getItem(TOKEN_KEY) ?? ''
  }

  const unreachable = (what) => ({
    ok: false,
    error: {
      code: 'internal',
      message: `The workbench engine did not answer (${what}). Is the web host still running?`,
    },
  })

  let source = null
  const subscribed = new Set()
  const listeners = new Map()

  function ensureSource() {
    if (source) return source
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`)
    return source
  }

  window.workbench = Object.freeze({
    async call(method, input) {
      try {
        const response = await fetch('/api/call', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-workbench-token': token },
          body: JSON.stringify({ method, input: input ?? {} }),
        })
        return await response.json()
      } catch (error) {
        return unreachable(String(error))
      }
    },
    on(event, listener) {
      const es = ensureSource()
      if (!listeners.has(event)) listeners.set(event, new Set())
      listeners.get(event).add(listener)
      if (!subscribed.has(event)) {
        subscribed.add(event)
        es.addEventListener(event, (message) => {
          const payload = JSON.parse(message.data)
          for (const l of listeners.get(event) ?? []) l(payload)
        })
      }
      return () => listeners.get(event)?.delete(listener)
    },
    async fileRef(file) {
      const response = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-workbench-token': token },
        body: file,
      })
      const body = await response.json()
      if (!body.ok) throw Object.assign(new Error(body.error.message), { code: body.error.code })
      return body.value
    },
    download(downloadId) {
      // The engine keeps the file under a one-time id; a link to it makes the browser save it
      // with the name the host's Content-Disposition gives. Only ids, never paths, are sent.
      if (!/^[0-9a-f]{32}$/.test(String(downloadId))) return
      const link = document.createElement('a')
      link.href = `/api/download/${downloadId}?token=${encodeURIComponent(token)}`
      link.rel = 'noopener'
      link.download = ''
      document.body.appendChild(link)
      link.click()
      link.remove()
    },
  })
})()
