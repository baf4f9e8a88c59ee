import { useEffect, useState } from 'react'
import type { ActivityEntry } from '../../src-main/contract'
import { call } from '../api/client'
import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'
import { ActivityItem } from '../components/activity/ActivityItem'
import { ACTIVITY_GROUPS, type ActivityGroup, useAutomation } from '../store/automation-store'
import { useDataVersion } from '../store/use-job'

const GROUPS: { value: ActivityGroup; label: string }[] = [
  { value: 'all', label: 'Everything' },
  { value: 'files', label: 'Files' },
  { value: 'checks', label: 'Drift checks' },
  { value: 'retrains', label: 'Retraining' },
]

/** What the automation did, newest first: files taken, checks, retrains and their decisions. */
export function ActivityScreen() {
  const { target, group, setFilter } = useAutomation()
  const changed = useDataVersion('automation')
  const [entries, setEntries] = useState<ActivityEntry[] | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    call('automation.activity', { limit: 500 }).then(
      (list) => {
        if (!live) return
        setEntries(list)
        setProblem(null)
      },
      (e: unknown) => live && setProblem(e instanceof Error ? e.message : String(e)),
    )
    return () => {
      live = false
    }
  }, [changed])

  const targets = [...new Set((entries ?? []).flatMap((e) => (e.target ? [e.target] : [])))].sort()
  const kinds: readonly string[] | null = group === 'all' ? null : ACTIVITY_GROUPS[group]
  const shown = (entries ?? []).filter(
    (e) => (!target || e.target === target) && (!kinds || kinds.includes(e.kind)),
  )

  return (
    <>
      <ScreenHeader title="Activity">
        What the automation did: files taken from the watched folder, the drift checks that
        followed, retraining runs and their decisions with the numbers behind them.
      </ScreenHeader>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {entries !== null && entries.length === 0 ? (
        <EmptyState
          title="Nothing has happened yet"
          action={{ label: 'Go to Settings', screen: 'settings' }}
          steps={[
            'Choose a folder to watch in Settings and switch it on.',
            'Save new ChEMBL exports into it: each is imported and checked for drift.',
            'Set a retraining policy for a target on the Models screen.',
          ]}
        >
          <p>The timeline fills as the watched folder and the retraining policies do their work.</p>
        </EmptyState>
      ) : (
        <section className="card wide activity-card" aria-labelledby="activity-title">
          <div className="row activity-filters">
            <h2 id="activity-title">Timeline</h2>
            <span className="status-spacer" />
            <label className="field">
              <span>Target</span>
              <select
                value={target}
                onChange={(e) => setFilter({ target: e.target.value })}
                aria-label="Target"
                data-testid="activity-target"
              >
                <option value="">All targets</option>
                {targets.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
            <div className="segmented" role="radiogroup" aria-label="Kind of activity">
              {GROUPS.map((g) => (
                <button
                  key={g.value}
                  type="button"
                  role="radio"
                  aria-checked={group === g.value}
                  className={group === g.value ? 'active' : ''}
                  onClick={() => setFilter({ group: g.value })}
                >
                  {g.label}
                </button>
              ))}
            </div>
          </div>
          {entries === null ? (
            <p className="muted">Loading…</p>
          ) : shown.length === 0 ? (
            <p className="muted">No entries match these filters.</p>
          ) : (
            <ol className="activity-list" data-testid="activity-list">
              {shown.map((e) => (
                <ActivityItem key={e.id} entry={e} />
              ))}
            </ol>
          )}
        </section>
      )}
    </>
  )
}
