import { useState } from 'react'
import type { ReportSubject } from '../../../src-main/contract'
import { makeReportAndOpen, reportSlot } from '../../store/reports-store'
import { useJob } from '../../store/use-job'
import { subjectLabel } from './labels'

/**
 * "Model card" / "Report" where a report's subject lives: makes the report, then shows it open on
 * the Reports screen. The job is followed by subject, so the button still says "Making…" after a
 * visit elsewhere, and a failure stays beside it.
 */
export function ReportButton({
  subject,
  label,
  small = false,
}: {
  subject: ReportSubject
  label: string
  small?: boolean
}) {
  const { job, running } = useJob('reports.create', reportSlot(subject))
  const [problem, setProblem] = useState<string | null>(null)
  const failed = job?.state === 'failed' ? (job.error ?? null) : null
  const shown = problem ?? failed
  const percent = job ? Math.round(job.progress.fraction * 100) : 0
  return (
    <span className="report-button">
      <button
        type="button"
        className={small ? 'button small' : 'button'}
        disabled={running}
        aria-label={`${label}: make a report of ${subjectLabel(subject)}`}
        onClick={() => {
          setProblem(null)
          makeReportAndOpen(subject).catch((e: unknown) =>
            setProblem(e instanceof Error ? e.message : String(e)),
          )
        }}
      >
        {running ? `Making… ${percent}%` : label}
      </button>
      {shown && !running && (
        <span className="error small" role="alert">
          {shown}
        </span>
      )}
    </span>
  )
}
