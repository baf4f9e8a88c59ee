import { useEffect, useState } from 'react'
import type { DriftRunSummary } from '../../../src-main/contract'
import { call } from '../../api/client'
import { type JobView, useApp } from '../../store/app-store'
import { openDriftCheck } from '../../store/drift-store'
import { useDataVersion } from '../../store/use-job'

/** The automatic checks started after `afterJob`: the store keeps jobs in the order they came. */
function checksAfter(jobs: Record<string, JobView>, afterJob: string | undefined): JobView[] {
  const ids = Object.keys(jobs)
  const from = afterJob ? ids.indexOf(afterJob) : -1
  if (from < 0) return []
  return ids.slice(from + 1).flatMap((id) => {
    const j = jobs[id]
    return j && j.kind === 'drift.run' ? [j] : []
  })
}

/**
 * The automatic drift check of one import or one batch, on one line: "drift: 3 of 4 features
 * drifted", "no drift", "checking…" or why it could not run, linking to the check on the Drift
 * screen. `afterJob` is the import or batch job that was just followed here: the checks that
 * started after it are this one's, so their progress and failures can be shown.
 */
export function DriftLine(
  props: ({ importId: number } | { batchId: number }) & { afterJob?: string },
) {
  const importId = 'importId' in props ? props.importId : undefined
  const batchId = 'batchId' in props ? props.batchId : undefined
  const [runs, setRuns] = useState<DriftRunSummary[] | null>(null)
  const changed = useDataVersion('drift')
  // primitives only, so the store's selector answers the same value until something changes
  const checking = useApp((s) =>
    checksAfter(s.jobs, props.afterJob).some((j) => j.state === 'running'),
  )
  const failure = useApp(
    (s) => checksAfter(s.jobs, props.afterJob).find((j) => j.state === 'failed')?.error ?? null,
  )
  const autoCheck = useApp((s) => s.settings?.['drift.autoCheck'] ?? true)

  useEffect(() => {
    let live = true
    const input = importId !== undefined ? { importId } : { batchId: batchId as number }
    void call('drift.history', input).then(
      (r) => live && setRuns(r),
      () => live && setRuns([]),
    )
    return () => {
      live = false
    }
  }, [importId, batchId, changed])

  if (runs === null) return null
  if (runs.length === 0) {
    if (checking)
      return (
        <p className="drift-line muted" data-testid="drift-line" role="status">
          Drift: checking…
        </p>
      )
    if (failure)
      return (
        <p className="drift-line small" data-testid="drift-line">
          <span className="flag-text">The automatic drift check could not run:</span> {failure}
        </p>
      )
    // with automatic checks on and nothing stored, no production model covers these rows
    return autoCheck ? null : (
      <p className="drift-line muted small" data-testid="drift-line">
        Not checked for drift: automatic checks are off (Settings).
      </p>
    )
  }
  // one line per model checked (an import can touch several targets), newest check of each
  const latest = new Map<string, DriftRunSummary>()
  for (const r of runs) {
    const seen = latest.get(r.modelVersion)
    if (!seen || seen.createdAt < r.createdAt) latest.set(r.modelVersion, r)
  }
  return (
    <div className="drift-line" data-testid="drift-line">
      {[...latest.values()].map((r) => (
        <p key={r.driftRunId}>
          <span className={r.datasetDrift ? 'error' : 'ok-text'}>
            {r.datasetDrift
              ? `Drift: ${r.featuresDrifted} of ${r.featuresTested} features drifted`
              : r.featuresDrifted > 0
                ? `No dataset drift (${r.featuresDrifted} of ${r.featuresTested} features drifted)`
                : 'No drift'}
          </span>
          {r.degraded && <span className="error"> · performance degraded</span>}
          <span className="muted">
            {' '}
            against model {r.modelVersion} ({r.target}) ·{' '}
          </span>
          <button
            type="button"
            className="link-button"
            onClick={() => openDriftCheck(r.driftRunId, r.modelVersion)}
          >
            Open drift check #{r.driftRunId}
          </button>
        </p>
      ))}
    </div>
  )
}
