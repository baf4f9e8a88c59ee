import type { JobMethodName } from '../../src-main/contract'
import { call } from '../api/client'
import { useEffect } from 'react'
import { selectRunningJob, useApp } from '../store/app-store'
import { useWatchStatus } from '../store/automation-store'
import { useModels } from '../store/models-store'
import { useDataVersion } from '../store/use-job'
import { useMetricsStatus } from './settings/use-metrics-status'

const JOB_LABELS: Record<JobMethodName, string> = {
  'app.selfTest': 'Self-test',
  'imports.start': 'Import',
  'models.train': 'Training',
  'predictions.batch': 'Predictions',
  'search.similarity': 'Similarity search',
  'search.substructure': 'Substructure search',
  'drift.run': 'Drift check',
  'drift.simulate': 'Drift simulation',
  'reports.create': 'Report',
  'reports.export': 'Saving report',
  'compounds.standardise': 'Standardising compounds',
  'automation.retrain': 'Retraining policy',
}

/** The last part of a folder's path, as the status bar has room for it. */
function folderName(folder: string | null): string {
  if (!folder) return ''
  return (
    folder
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() || folder
  )
}

export function StatusBar() {
  const status = useApp((s) => s.status)
  const statusError = useApp((s) => s.statusError)
  const job = useApp(selectRunningJob)
  const databaseDamaged = useApp((s) => s.databaseDamaged)
  const go = useApp((s) => s.go)
  const models = useModels((s) => s.models)
  const refreshModels = useModels((s) => s.refresh)
  const production = models.filter((m) => m.stage === 'production')
  const modelsChanged = useDataVersion('models')
  const { status: metrics } = useMetricsStatus()
  const { status: watch } = useWatchStatus(10_000)
  useEffect(() => {
    if (status) void refreshModels()
  }, [status, refreshModels, modelsChanged])

  return (
    <footer className="statusbar" aria-label="Status">
      <span className="status-item" data-testid="engine-status">
        <span
          className={`dot ${statusError ? 'dot-bad' : status ? 'dot-ok' : 'dot-wait'}`}
          aria-hidden="true"
        />
        {statusError
          ? `Engine unavailable: ${statusError}`
          : status
            ? `Engine ready · schema v${status.schemaVersion} · SQLite ${status.versions.sqlite} · ${status.workerThreads} workers`
            : 'Starting engine…'}
      </span>
      <span className="status-item" data-testid="production-model">
        Production model:{' '}
        {production.length === 0 ? (
          <em>none yet</em>
        ) : (
          production.map((m) => `${m.version} (${m.target}, ${m.learner})`).join(', ')
        )}
      </span>
      {databaseDamaged && (
        <button
          type="button"
          className="status-item link-button error"
          data-testid="database-damaged"
          onClick={() => go('settings')}
        >
          The database is damaged: see Settings to restore a backup
        </button>
      )}
      <span className="status-spacer" />
      {watch?.enabled && (watch.watching || watch.error) && (
        <button
          type="button"
          className={`status-item link-button${watch.error ? ' error' : ''}`}
          data-testid="watch-watching"
          title={watch.error ?? `Importing new files from ${watch.folder ?? ''}`}
          onClick={() => go('settings')}
        >
          {watch.error
            ? 'watched folder: not watching'
            : `watching ${folderName(watch.folder)}${watch.handling ? ` · importing ${watch.handling}` : ''}`}
        </button>
      )}
      {metrics?.listening && (
        <button
          type="button"
          className="status-item link-button"
          data-testid="metrics-serving"
          title={`Team monitoring: ${metrics.address ?? ''}${metrics.predictEnabled ? ', also answering /predict' : ''}`}
          onClick={() => go('settings')}
        >
          metrics on :{metrics.port}
        </button>
      )}
      {job && (
        <span className="status-item status-job" data-testid="running-job">
          <span>
            {JOB_LABELS[job.kind]}: {job.progress.phase}
          </span>
          <progress
            max={1}
            value={job.progress.fraction}
            aria-label={`${JOB_LABELS[job.kind]} progress`}
          />
          <span className="num">{Math.round(job.progress.fraction * 100)}%</span>
          <button
            type="button"
            className="link-button"
            onClick={() => void call('jobs.cancel', { jobId: job.id })}
            aria-label={`Cancel the running ${JOB_LABELS[job.kind].toLowerCase()}`}
          >
            Cancel
          </button>
        </span>
      )}
      {status && <span className="status-item muted">v{status.appVersion}</span>}
    </footer>
  )
}
