import { useEffect, useState } from 'react'
import {
  DEFAULT_METRICS_BIND,
  DEFAULT_METRICS_PORT,
  type MetricsStatus,
  isLoopback,
} from '../../../src-main/contract'
import { call } from '../../api/client'
import { useApp } from '../../store/app-store'
import { useMetricsStatus } from './use-metrics-status'
import { useSettingChange } from '../../store/use-polled-status'

const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** "10:42" from an ISO time. */
const clock = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

function statusLine(s: MetricsStatus): string {
  if (s.listening && s.address)
    return `Listening on ${s.address} · ${s.lastScrapeAt ? `last scrape at ${clock(s.lastScrapeAt)}` : 'not scraped yet'}`
  if (s.error) return s.error
  return s.enabled ? 'Starting…' : 'Off: nothing listens.'
}

/**
 * Team monitoring: an opt-in endpoint the team's Prometheus scrapes (/metrics, /health) and,
 * behind a second switch and always behind the token, POST /predict. Everything goes through
 * `settings.set` and the `metrics.*` methods; the card reads again when the settings change.
 */
export function MonitoringCard() {
  const settings = useApp((s) => s.settings)
  const setSetting = useApp((s) => s.setSetting)
  const { status, refresh } = useMetricsStatus(10_000)
  const { problem, setProblem, busy, change } = useSettingChange(refresh)
  const [port, setPort] = useState('')
  const [bind, setBind] = useState('')
  const [token, setToken] = useState<string | null>(null)
  const [shown, setShown] = useState(false)
  const [copied, setCopied] = useState(false)

  const savedPort = settings?.['metrics.port'] ?? DEFAULT_METRICS_PORT
  const savedBind = settings?.['metrics.bind'] ?? DEFAULT_METRICS_BIND
  useEffect(() => setPort(String(savedPort)), [savedPort])
  useEffect(() => setBind(savedBind), [savedBind])
  useEffect(() => {
    if (!settings) return
    call('metrics.token', {})
      .then((t) => setToken(t.token))
      .catch((e: unknown) => setProblem(message(e)))
  }, [settings, setProblem])

  const enabled = settings?.['metrics.enabled'] ?? false
  const predict = settings?.['metrics.predict'] ?? false
  const exposed = !isLoopback(bind.trim() || DEFAULT_METRICS_BIND)

  const savePort = () => {
    const n = Number(port)
    if (port.trim() === '' || n === savedPort) return setPort(String(savedPort))
    void change(() => setSetting('metrics.port', n))
  }
  const saveBind = () => {
    const b = bind.trim()
    if (b === '' || b === savedBind) return setBind(savedBind)
    void change(() => setSetting('metrics.bind', b))
  }
  const renew = () => {
    if (
      !window.confirm(
        'Make a new token?\n\nThe current one stops working at once: the team’s Prometheus and any script calling /predict need the new one.',
      )
    )
      return
    void change(async () => {
      setToken((await call('metrics.renewToken', {})).token)
      setShown(false)
    })
  }
  const copy = async () => {
    if (!token) return
    try {
      await navigator.clipboard.writeText(token)
      setCopied(true)
      setTimeout(() => setCopied(false), 2000)
    } catch (e) {
      setProblem(`The token could not be copied: ${message(e)}`)
    }
  }

  return (
    <section className="card wide" aria-labelledby="monitoring" data-testid="monitoring-card">
      <h2 id="monitoring">Team monitoring</h2>
      <p className="muted small">
        Lets your team&apos;s Prometheus read this computer&apos;s predictions, models and drift
        checks (at /metrics, with a summary at /health), on a port of its own. Nothing listens while
        this is off.
      </p>
      <label className="chip">
        <input
          type="checkbox"
          checked={enabled}
          disabled={!settings || busy}
          onChange={(e) => {
            const on = e.target.checked
            void change(() => setSetting('metrics.enabled', on))
          }}
          data-testid="metrics-enabled"
        />
        Serve monitoring data
      </label>
      <div className="row monitoring-fields">
        <label className="field narrow">
          <span>Port</span>
          <input
            type="number"
            min={1024}
            max={65535}
            value={port}
            disabled={!settings || busy}
            onChange={(e) => setPort(e.target.value)}
            onBlur={savePort}
            onKeyDown={(e) => e.key === 'Enter' && savePort()}
            data-testid="metrics-port"
          />
        </label>
        <label className="field">
          <span>Address to listen on</span>
          <input
            type="text"
            className="mono"
            value={bind}
            disabled={!settings || busy}
            onChange={(e) => setBind(e.target.value)}
            onBlur={saveBind}
            onKeyDown={(e) => e.key === 'Enter' && saveBind()}
            data-testid="metrics-bind"
          />
        </label>
      </div>
      {exposed ? (
        <p className="warning" role="note" data-testid="metrics-bind-warning">
          Other computers on your network can reach this address; they need the token.
        </p>
      ) : (
        <p className="muted small">127.0.0.1: only this computer can reach it.</p>
      )}
      <div className="row monitoring-token">
        <span className="muted">Token</span>
        <code className="mono" data-testid="metrics-token">
          {token === null ? '…' : shown ? token : `${'•'.repeat(12)}${token.slice(-4)}`}
        </code>
        <button type="button" className="button" disabled={!token} onClick={() => setShown(!shown)}>
          {shown ? 'Hide' : 'Show'}
        </button>
        <button type="button" className="button" disabled={!token} onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button
          type="button"
          className="button"
          disabled={!token || busy}
          onClick={renew}
          data-testid="metrics-renew"
        >
          Renew…
        </button>
      </div>
      <label className="chip">
        <input
          type="checkbox"
          checked={predict}
          disabled={!settings || busy}
          onChange={(e) => {
            const on = e.target.checked
            void change(() => setSetting('metrics.predict', on))
          }}
          data-testid="metrics-predict"
        />
        Answer predictions over HTTP (/predict)
      </label>
      <p className="muted small">
        Scripts may then POST compounds (SMILES or the four features) and get the production
        model&apos;s predictions, stored like any other. The token is always required for this,
        whatever the address.
      </p>
      <p className={status?.error ? 'error' : 'muted'} role="status" data-testid="metrics-status">
        {status ? statusLine(status) : '…'}
      </p>
      {problem && problem !== status?.error && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  )
}
