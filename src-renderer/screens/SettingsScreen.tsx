import { useState } from 'react'
import type { Settings } from '../../src-main/contract'
import { ScreenHeader } from '../components/ScreenHeader'
import { DatabaseCard } from '../components/settings/DatabaseCard'
import { MonitoringCard } from '../components/settings/MonitoringCard'
import { WatchFolderCard } from '../components/settings/WatchFolderCard'
import { useApp } from '../store/app-store'
import { useJob } from '../store/use-job'

const THEMES: { value: Settings['theme']; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

/** Fixed decimals without a '-0.00' for values that round to zero. */
function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits)
  return Number(text) === 0 ? (0).toFixed(digits) : text
}

/** each visit to Settings shows only the self-test run from it, as before */
let screens = 0

export function SettingsScreen() {
  const settings = useApp((s) => s.settings)
  const setSetting = useApp((s) => s.setSetting)
  const status = useApp((s) => s.status)
  const [slot] = useState(() => `app.selfTest:${++screens}`)
  const { job: selfTest, start } = useJob('app.selfTest', slot)
  const [error, setError] = useState<string | null>(null)
  const result = selfTest?.state === 'succeeded' ? selfTest.result : null

  const runSelfTest = async () => {
    setError(null)
    try {
      // A short pause per molecule keeps the progress bar readable; the test itself takes milliseconds.
      await start('app.selfTest', { delayMs: 120 })
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <>
      <ScreenHeader title="Settings">
        Appearance, automatic drift checks, a watched folder for new exports, the data folder, the
        database's health and backups, team monitoring, and a check that the engine works.
      </ScreenHeader>
      <div className="cards">
        <section className="card" aria-labelledby="appearance">
          <h2 id="appearance">Appearance</h2>
          <label className="field">
            <span>Theme</span>
            <select
              value={settings?.theme ?? 'system'}
              disabled={!settings}
              onChange={(e) => void setSetting('theme', e.target.value as Settings['theme'])}
            >
              {THEMES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
        </section>

        <section className="card" aria-labelledby="about">
          <h2 id="about">About this installation</h2>
          {status ? (
            <dl className="facts" data-testid="about-facts">
              <dt>Version</dt>
              <dd>{status.appVersion}</dd>
              <dt>Data folder</dt>
              <dd className="mono">{status.dataDir}</dd>
              <dt>Database</dt>
              <dd>schema version {status.schemaVersion}</dd>
              <dt>Runtime</dt>
              <dd>
                Node {status.versions.node}
                {status.versions.electron
                  ? ` · Electron ${status.versions.electron}`
                  : ` · ${status.host} host`}
              </dd>
              <dt>Libraries</dt>
              <dd>
                SQLite {status.versions.sqlite} · ONNX Runtime {status.versions.onnxruntime} · RDKit{' '}
                {status.versions.rdkit ?? '—'}
              </dd>
            </dl>
          ) : (
            <p className="muted">Waiting for the engine…</p>
          )}
        </section>

        <section className="card wide" aria-labelledby="drift-auto">
          <h2 id="drift-auto">Drift checks</h2>
          <label className="chip drift-auto-check">
            <input
              type="checkbox"
              checked={settings?.['drift.autoCheck'] ?? true}
              disabled={!settings}
              onChange={(e) => void setSetting('drift.autoCheck', e.target.checked)}
              data-testid="drift-auto-check"
            />
            Check new data for drift automatically
          </label>
          <p className="muted small">
            After every import and every prediction batch, the new compounds are compared with the
            data the target&apos;s production model was trained on, in the background. The import
            summary and the batch then say whether they drifted, and the Drift screen keeps every
            check. Turn this off to check only when you ask.
          </p>
        </section>

        <WatchFolderCard />

        <DatabaseCard />

        <MonitoringCard />

        <section className="card wide" aria-labelledby="selftest">
          <h2 id="selftest">Self-test</h2>
          <p className="muted">
            Computes RDKit descriptors for eight well-known molecules in worker threads and reports
            progress, to check that chemistry, workers and progress reporting work on this computer.
          </p>
          <div className="row">
            <button
              type="button"
              className="button primary"
              onClick={() => void runSelfTest()}
              disabled={selfTest?.state === 'running'}
            >
              Run self-test
            </button>
            {selfTest && (
              <span className="muted" data-testid="selftest-state">
                {selfTest.state === 'running'
                  ? `Running… ${Math.round(selfTest.progress.fraction * 100)}%`
                  : selfTest.state === 'succeeded'
                    ? 'Passed'
                    : `Self-test ${selfTest.state}${selfTest.error ? `: ${selfTest.error}` : ''}`}
              </span>
            )}
          </div>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {result && (
            <table className="table" data-testid="selftest-result">
              <caption>
                RDKit {result.rdkitVersion} · {result.molecules.length} molecules ·{' '}
                {result.workersUsed} worker threads · {result.seconds.toFixed(2)} s
              </caption>
              <thead>
                <tr>
                  <th scope="col">Molecule</th>
                  <th scope="col">SMILES</th>
                  <th scope="col" className="num">
                    MW (g/mol)
                  </th>
                  <th scope="col" className="num">
                    logP
                  </th>
                  <th scope="col" className="num">
                    HBA
                  </th>
                  <th scope="col" className="num">
                    HBD
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.molecules.map((m) => (
                  <tr key={m.smiles}>
                    <td>{m.name ?? '—'}</td>
                    <td className="mono">{m.smiles}</td>
                    <td className="num">{fixed(m.mw, 2)}</td>
                    <td className="num">{fixed(m.alogp, 2)}</td>
                    <td className="num">{m.hba}</td>
                    <td className="num">{m.hbd}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  )
}
