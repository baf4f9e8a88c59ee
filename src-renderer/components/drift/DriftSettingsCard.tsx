import { useEffect, useState } from 'react'
import { type DriftMethodName, type DriftSettings, driftMethods } from '../../../src-main/contract'
import { call } from '../../api/client'
import { useDataVersion } from '../../store/use-job'
import { METHOD_LABELS, featureLabel, isPValueMethod } from './labels'

interface Row {
  feature: string
  method: DriftMethodName | ''
  threshold: string
}

const toRows = (s: DriftSettings): Row[] =>
  Object.entries(s.features).map(([feature, o]) => ({
    feature,
    method: o.method ?? '',
    threshold: o.threshold === undefined ? '' : String(o.threshold),
  }))

/**
 * A model's drift settings: the test and threshold of any feature (else Evidently's default for
 * its size), and the share of drifted features that makes the whole dataset count as drifted.
 */
export function DriftSettingsCard({ model }: { model: string }) {
  const [features, setFeatures] = useState<string[]>([])
  const [share, setShare] = useState('50')
  const [rows, setRows] = useState<Row[]>([])
  const [adding, setAdding] = useState('')
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const changed = useDataVersion('drift')

  useEffect(() => {
    let live = true
    void Promise.all([
      call('drift.settings', { model }),
      call('models.get', { version: model }),
    ]).then(
      ([settings, detail]) => {
        if (!live) return
        // fingerprint bits are not tested one by one, so they take no settings
        setFeatures(detail.featureNames.filter((n) => !n.startsWith('morgan_')))
        setShare(String(Math.round(settings.datasetShare * 1000) / 10))
        setRows(toRows(settings))
      },
      (e: unknown) =>
        live && setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) }),
    )
    return () => {
      live = false
    }
  }, [model, changed])

  const update = (i: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)))

  const save = async () => {
    setMessage(null)
    const datasetShare = Number(share) / 100
    if (!(datasetShare > 0 && datasetShare <= 1))
      return setMessage({ ok: false, text: 'The dataset share must be above 0% and at most 100%.' })
    const out: DriftSettings['features'] = {}
    for (const r of rows) {
      const threshold = r.threshold.trim() === '' ? undefined : Number(r.threshold)
      if (threshold !== undefined && !(Number.isFinite(threshold) && threshold >= 0))
        return setMessage({
          ok: false,
          text: `The threshold of ${featureLabel(r.feature)} must be a number of 0 or more.`,
        })
      if (r.method === '' && threshold === undefined) continue
      out[r.feature] = {
        ...(r.method ? { method: r.method } : {}),
        ...(threshold !== undefined ? { threshold } : {}),
      }
    }
    try {
      const saved = await call('drift.saveSettings', {
        model,
        settings: { features: out, datasetShare },
      })
      setRows(toRows(saved))
      setMessage({ ok: true, text: 'Saved. The next checks of this model use these settings.' })
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) })
    }
  }

  const free = features.filter((f) => !rows.some((r) => r.feature === f))
  return (
    <section className="card" aria-labelledby="drift-settings-title" data-testid="drift-settings">
      <h2 id="drift-settings-title">Settings for {model}</h2>
      <label className="field drift-settings-share">
        <span>The dataset drifts when at least this % of its features drift</span>
        <input
          value={share}
          onChange={(e) => setShare(e.target.value)}
          inputMode="decimal"
          aria-label="Share of drifted features that makes the dataset drift, in percent"
        />
      </label>
      <p className="muted small">
        Each feature gets Evidently’s test for its size unless you choose one here. p-value tests
        (KS, chi-square, Z) flag drift at p ≤ threshold; distances (Wasserstein, Jensen–Shannon,
        PSI) at ≥ threshold.
      </p>
      {rows.length > 0 && (
        <table className="table drift-overrides">
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Test</th>
              <th scope="col">Threshold</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.feature}>
                <td>{featureLabel(r.feature)}</td>
                <td>
                  <select
                    value={r.method}
                    onChange={(e) => update(i, { method: e.target.value as Row['method'] })}
                    aria-label={`Test for ${featureLabel(r.feature)}`}
                  >
                    <option value="">default for its size</option>
                    {driftMethods.map((m) => (
                      <option key={m} value={m}>
                        {METHOD_LABELS[m].name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    className="threshold-input"
                    value={r.threshold}
                    onChange={(e) => update(i, { threshold: e.target.value })}
                    inputMode="decimal"
                    placeholder={r.method && isPValueMethod(r.method) ? '0.05' : 'default'}
                    aria-label={`Threshold for ${featureLabel(r.feature)}`}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => setRows((rs) => rs.filter((_, k) => k !== i))}
                    aria-label={`Remove the setting for ${featureLabel(r.feature)}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="row wrap" style={{ marginTop: 10 }}>
        <select
          value={adding}
          onChange={(e) => setAdding(e.target.value)}
          aria-label="Feature to set a test for"
          disabled={free.length === 0}
        >
          <option value="">Choose a feature…</option>
          {free.map((f) => (
            <option key={f} value={f}>
              {featureLabel(f)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          disabled={!adding}
          onClick={() => {
            setRows((rs) => [...rs, { feature: adding, method: '', threshold: '' }])
            setAdding('')
          }}
        >
          Set its test
        </button>
        <button type="button" className="button primary" onClick={() => void save()}>
          Save settings
        </button>
      </div>
      {message && (
        <p
          className={message.ok ? 'ok-text small' : 'error'}
          role={message.ok ? 'status' : 'alert'}
        >
          {message.text}
        </p>
      )}
    </section>
  )
}
