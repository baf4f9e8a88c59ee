import { useEffect, useState } from 'react'
import {
  DEFAULT_RETRAIN_POLICY,
  MIN_COMPARISON_ROWS,
  RETRAIN_BOOTSTRAP,
  type RetrainOutcome,
  type RetrainPolicy,
  type RetrainPolicyState,
  type TriggerKind,
} from '../../../src-main/contract'
import { call } from '../../api/client'
import { useDataVersion, useJob } from '../../store/use-job'
import { JobProgress } from '../JobProgress'
import { ReasonDialog } from '../ReasonDialog'
import { PolicyOutcome } from './PolicyOutcome'
import { fmtDate } from '../format'

const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

const TRIGGER_LABELS: Record<TriggerKind, string> = {
  'dataset-drift': 'Dataset drift',
  'performance-degraded': 'Performance degraded',
  'new-measurements': 'New measurements',
  schedule: 'Schedule',
  manual: 'By hand',
}

const clampInt = (text: string, min: number, max: number, fallback: number) => {
  const n = Math.floor(Number(text))
  return Number.isFinite(n) && text.trim() !== '' ? Math.min(max, Math.max(min, n)) : fallback
}

/**
 * A target's retraining policy: when to train a challenger, how, and whether a significantly
 * better one may replace the production model without asking. Saved with a reason (audited);
 * "Dry run" says what would happen, "Retrain now" runs it whatever the triggers say.
 */
export function PolicyPanel({ target }: { target: string }) {
  const changed = useDataVersion('automation', 'models', 'activities', 'drift')
  const [state, setState] = useState<RetrainPolicyState | null>(null)
  const [draft, setDraft] = useState<RetrainPolicy>(DEFAULT_RETRAIN_POLICY)
  const [newCount, setNewCount] = useState('200')
  const [days, setDays] = useState('30')
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const { job, running, start } = useJob('automation.retrain', `automation.retrain:${target}`)

  const finished = job && job.state !== 'running' ? job.id : null
  useEffect(() => {
    let live = true
    call('automation.policy', { target }).then(
      (s) => live && setState(s),
      (e: unknown) => live && setProblem(message(e)),
    )
    return () => {
      live = false
    }
  }, [target, changed, finished])

  // the form shows the saved policy whenever it (or the target) changes
  const savedPolicy = state?.target === target ? state.policy : null
  useEffect(() => {
    if (!savedPolicy) return
    setDraft(savedPolicy)
    if (savedPolicy.triggers.newMeasurements !== null)
      setNewCount(String(savedPolicy.triggers.newMeasurements))
    if (savedPolicy.triggers.scheduleDays !== null)
      setDays(String(savedPolicy.triggers.scheduleDays))
  }, [savedPolicy])
  useEffect(() => {
    setSaved(null)
    setProblem(null)
  }, [target])

  const dirty = savedPolicy !== null && JSON.stringify(savedPolicy) !== JSON.stringify(draft)
  const triggers = (patch: Partial<RetrainPolicy['triggers']>) =>
    setDraft((d) => ({ ...d, triggers: { ...d.triggers, ...patch } }))

  const run = async (dryRun: boolean) => {
    setProblem(null)
    try {
      await start('automation.retrain', { target, dryRun, force: !dryRun })
    } catch (e) {
      setProblem(message(e))
    }
  }

  const outcome: RetrainOutcome | null =
    job?.state === 'succeeded' && job.result.target === target
      ? job.result
      : (state?.lastOutcome ?? null)
  const noProduction = state !== null && state.productionVersion === null

  return (
    <section className="card wide" aria-labelledby="policy-title" data-testid="policy-panel">
      <h2 id="policy-title">Retraining policy · {target}</h2>
      <p className="muted small">
        When one of the chosen triggers fires, a challenger is trained on all current usable data
        and compared with the production model
        {state?.productionVersion ? ` (${state.productionVersion})` : ''} on the same compounds:
        those measured since it was trained (at least {MIN_COMPARISON_ROWS}) and the
        challenger&apos;s cross-validation folds, with a paired bootstrap (
        {RETRAIN_BOOTSTRAP.resamples.toLocaleString('en')} resamples). It replaces production only
        when it is significantly better and you allow it.
      </p>
      {state === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <label className="chip">
            <input
              type="checkbox"
              checked={draft.enabled}
              onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })}
              data-testid="policy-enabled"
            />
            Retrain this target automatically
          </label>
          <div className="policy-grid">
            <fieldset className="field">
              <span>Retrain when</span>
              <label className="chip">
                <input
                  type="checkbox"
                  checked={draft.triggers.datasetDrift}
                  onChange={(e) => triggers({ datasetDrift: e.target.checked })}
                />
                a drift check finds the dataset drifted
              </label>
              <label className="chip">
                <input
                  type="checkbox"
                  checked={draft.triggers.performanceDegraded}
                  onChange={(e) => triggers({ performanceDegraded: e.target.checked })}
                />
                a check on measured values finds performance degraded
              </label>
              <label className="chip">
                <input
                  type="checkbox"
                  checked={draft.triggers.newMeasurements !== null}
                  onChange={(e) =>
                    triggers({
                      newMeasurements: e.target.checked
                        ? clampInt(newCount, 1, 10_000_000, 200)
                        : null,
                    })
                  }
                  data-testid="policy-new-on"
                />
                at least
                <input
                  type="number"
                  className="inline-number"
                  min={1}
                  max={10_000_000}
                  value={newCount}
                  disabled={draft.triggers.newMeasurements === null}
                  aria-label="New usable measurements"
                  onChange={(e) => {
                    setNewCount(e.target.value)
                    triggers({ newMeasurements: clampInt(e.target.value, 1, 10_000_000, 200) })
                  }}
                />
                new usable measurements since the production model was trained
              </label>
              <label className="chip">
                <input
                  type="checkbox"
                  checked={draft.triggers.scheduleDays !== null}
                  onChange={(e) =>
                    triggers({
                      scheduleDays: e.target.checked ? clampInt(days, 1, 3650, 30) : null,
                    })
                  }
                />
                every
                <input
                  type="number"
                  className="inline-number"
                  min={1}
                  max={3650}
                  value={days}
                  disabled={draft.triggers.scheduleDays === null}
                  aria-label="Days between retrains"
                  onChange={(e) => {
                    setDays(e.target.value)
                    triggers({ scheduleDays: clampInt(e.target.value, 1, 3650, 30) })
                  }}
                />
                days
              </label>
            </fieldset>
            <fieldset className="field">
              <span>Challenger</span>
              <div className="segmented" role="radiogroup" aria-label="Challenger's learner">
                {(
                  [
                    { value: 'same', label: 'Same as production' },
                    { value: 'auto', label: 'Auto search' },
                  ] as const
                ).map((o) => (
                  <button
                    key={o.value}
                    type="button"
                    role="radio"
                    aria-checked={draft.learner === o.value}
                    className={draft.learner === o.value ? 'active' : ''}
                    onClick={() => setDraft({ ...draft, learner: o.value })}
                  >
                    {o.label}
                  </button>
                ))}
              </div>
              <p className="muted small policy-learner-hint">
                {draft.learner === 'same'
                  ? 'The production model’s learner, features and parameters, on all current data.'
                  : 'Auto’s search over learners and parameters, with the production model’s features.'}
              </p>
              <label className="chip">
                Auto may search for
                <input
                  type="number"
                  className="inline-number"
                  min={5}
                  max={3600}
                  value={draft.budgetSeconds}
                  disabled={draft.learner !== 'auto'}
                  aria-label="Auto's time budget in seconds"
                  onChange={(e) =>
                    setDraft({
                      ...draft,
                      budgetSeconds: clampInt(e.target.value, 5, 3600, draft.budgetSeconds),
                    })
                  }
                />
                seconds
              </label>
              <label className="chip">
                <input
                  type="checkbox"
                  checked={draft.autoPromote}
                  onChange={(e) => setDraft({ ...draft, autoPromote: e.target.checked })}
                  data-testid="policy-autopromote"
                />
                promote automatically when significantly better
              </label>
            </fieldset>
          </div>
          <div className="row">
            <button
              type="button"
              className="button primary"
              disabled={!dirty}
              onClick={() => setSaving(true)}
              data-testid="policy-save"
            >
              Save policy…
            </button>
            {dirty && <span className="muted small">Unsaved changes</span>}
            {!dirty && (
              <span className="muted small">
                {state.isDefault
                  ? 'Never saved: these are the defaults (off).'
                  : `Saved ${state.updatedAt ? fmtDate(state.updatedAt) : ''}`}
              </span>
            )}
            {saved && (
              <span className="ok-text small" role="status">
                {saved}
              </span>
            )}
          </div>

          <h3>The triggers now</h3>
          <ul className="trigger-list" data-testid="policy-triggers">
            {state.triggers.map((t) => (
              <li
                key={t.kind}
                className={t.fired ? 'fired' : t.enabled ? '' : 'muted'}
                data-fired={t.fired}
              >
                <span className={`tag${t.fired ? ' fired-tag' : ''}`}>
                  {t.fired ? 'fired' : t.enabled ? 'not fired' : 'off'}
                </span>{' '}
                <strong>{TRIGGER_LABELS[t.kind]}</strong>: {t.detail}
              </li>
            ))}
          </ul>

          {running && job ? (
            <JobProgress
              job={job}
              label="Retraining progress"
              cancelLabel="Cancel this retraining run"
              testId="policy-progress"
            />
          ) : (
            <div className="row">
              <button
                type="button"
                className="button"
                onClick={() => void run(true)}
                data-testid="policy-dry-run"
              >
                Dry run
              </button>
              <button
                type="button"
                className="button"
                disabled={noProduction}
                title={noProduction ? 'This target has no production model to compare with' : ''}
                onClick={() => void run(false)}
                data-testid="policy-retrain"
              >
                Retrain now
              </button>
              <span className="muted small">
                A dry run says what would happen, without training or changing anything.
              </span>
              {job?.state === 'failed' && (
                <span className="error">Retraining failed: {job.error}</span>
              )}
              {job?.state === 'cancelled' && (
                <span className="muted">Retraining was cancelled; nothing was registered.</span>
              )}
            </div>
          )}
          {outcome && <PolicyOutcome outcome={outcome} />}
        </>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {saving && (
        <ReasonDialog
          title={`Save the retraining policy of ${target}`}
          confirmLabel="Save policy"
          reasonLabel="Why this change? (kept in the audit log)"
          optional
          placeholder="e.g. monthly exports from the assay team"
          onConfirm={async (reason) => {
            const next = await call('automation.savePolicy', {
              target,
              policy: draft,
              reason: reason === '' ? undefined : reason,
            })
            setState(next)
            setSaving(false)
            setSaved(next.policy.enabled ? 'Saved: the policy is on.' : 'Saved: the policy is off.')
          }}
          onClose={() => setSaving(false)}
        >
          <p>
            {draft.enabled
              ? `The policy will be on${draft.autoPromote ? ' and may promote a significantly better challenger without asking' : '; a challenger is only ever kept as a candidate'}.`
              : 'The policy will be off: nothing is retrained by itself.'}
          </p>
        </ReasonDialog>
      )}
    </section>
  )
}
