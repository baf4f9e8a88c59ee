import { create } from 'zustand'
import type {
  MethodInput,
  ReportExport,
  ReportRecord,
  ReportSubject,
} from '../../src-main/contract'
import { call, download } from '../api/client'
import { type JobView, startJob, useApp } from './app-store'

interface ReportsState {
  /** stored reports, newest first; null until first read */
  reports: ReportRecord[] | null
  error: string | null
  /** the report shown in the viewer; null shows the list */
  openId: number | null
  /** the row marked in the list: the report made last here */
  selectedId: number | null
  refresh(): Promise<void>
  open(reportId: number): void
  close(): void
  select(reportId: number | null): void
}

/**
 * The Reports screen's list and viewer, kept here so a button on another screen can make a
 * report and open it on arrival.
 */
export const useReports = create<ReportsState>((set) => ({
  reports: null,
  error: null,
  openId: null,
  selectedId: null,
  async refresh() {
    try {
      const reports = await call('reports.list', {})
      // newest first, whatever order the engine answers in
      reports.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.reportId - a.reportId)
      // the open report stays open: a list read before it was stored must not close it
      set({ reports, error: null })
    } catch (e) {
      set({ reports: [], error: e instanceof Error ? e.message : String(e) })
    }
  },
  open: (openId) => set({ openId, selectedId: openId }),
  close: () => set({ openId: null }),
  select: (selectedId) => set({ selectedId }),
}))

/** Resolves with a job once it has ended (succeeded, failed or cancelled). */
function ended(jobId: string): Promise<JobView> {
  return new Promise((resolve) => {
    const done = (jobs: Record<string, JobView>) => {
      const job = jobs[jobId]
      return job && job.state !== 'running' ? job : undefined
    }
    const now = done(useApp.getState().jobs)
    if (now) return resolve(now)
    const off = useApp.subscribe((s) => {
      const job = done(s.jobs)
      if (job) {
        off()
        resolve(job)
      }
    })
  })
}

/** The slot a report job is followed under: one per subject, so each button shows its own. */
export function reportSlot(subject: ReportSubject): string {
  const id =
    subject.kind === 'model-card'
      ? subject.version
      : subject.kind === 'drift'
        ? subject.driftRunId
        : subject.batchId
  return `reports.create:${subject.kind}:${id}`
}

/** Makes a report of `subject`, followed under `slot`; rejects with the engine's message. */
export async function makeReport(
  subject: ReportSubject,
  slot = reportSlot(subject),
): Promise<ReportRecord> {
  const job = await ended(await startJob(slot, 'reports.create', { subject }))
  if (job.kind === 'reports.create' && job.state === 'succeeded') return job.result
  throw new Error(
    job.state === 'cancelled'
      ? 'Making the report was cancelled.'
      : (job.error ?? 'The report was not made.'),
  )
}

/** Makes a report where its subject lives, then shows it open on the Reports screen. */
export async function makeReportAndOpen(subject: ReportSubject): Promise<ReportRecord> {
  const record = await makeReport(subject)
  useReports.getState().open(record.reportId)
  useApp.getState().go('reports')
  return record
}

/**
 * Saves a stored report as HTML or PDF: a download in the browser, the save dialog's place in the
 * desktop app. Resolves with what happened; rejects with the engine's message (e.g. no Chromium).
 */
export async function saveReport(
  input: MethodInput<'reports.export'>,
  slot: string,
): Promise<ReportExport> {
  const job = await ended(await startJob(slot, 'reports.export', input))
  if (job.kind === 'reports.export' && job.state === 'succeeded') {
    // the web host keeps the file under a one-time id: the browser's download fetches it
    if (job.result.downloadId) download(job.result.downloadId)
    return job.result
  }
  throw new Error(
    job.state === 'cancelled'
      ? 'Saving was cancelled.'
      : (job.error ?? 'The report was not saved.'),
  )
}
