import { call } from '../api/client'
import type { JobView } from '../store/app-store'

/** A running job's bar, phase, percentage and Cancel button. */
export function JobProgress({
  job,
  label,
  cancelLabel,
  testId,
}: {
  job: JobView
  label: string
  /** the Cancel button's name, distinct from the status bar's Cancel, e.g. "Cancel training" */
  cancelLabel: string
  testId: string
}) {
  return (
    <div className="job-progress" data-testid={testId}>
      <progress max={1} value={job.progress.fraction} aria-label={label} />
      <div className="row">
        <span>
          {job.progress.phase}
          {job.progress.message ? ` · ${job.progress.message}` : ''}
        </span>
        <span className="num">{Math.round(job.progress.fraction * 100)}%</span>
        <button
          type="button"
          className="button"
          onClick={() => void call('jobs.cancel', { jobId: job.id })}
          aria-label={cancelLabel}
        >
          Cancel
        </button>
      </div>
    </div>
  )
}
