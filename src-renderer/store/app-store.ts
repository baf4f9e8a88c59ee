import { create } from 'zustand'
import {
  type AppStatus,
  type DataTable,
  type Events,
  type JobMethodName,
  type JobProgress,
  type JobResult,
  type MethodInput,
  type Settings,
  dataTables,
} from '../../src-main/contract'
import { call, on } from '../api/client'

export const SCREENS = [
  'import',
  'data',
  'models',
  'predict',
  'drift',
  'activity',
  'reports',
  'settings',
] as const
export type Screen = (typeof SCREENS)[number]

/** One job as screens show it; a succeeded job carries its method's declared result. */
export type JobViewOf<K extends JobMethodName> = {
  id: string
  kind: K
  progress: JobProgress
} & (
  | { state: 'succeeded'; result: JobResult<K>; error?: undefined }
  | { state: 'running' | 'failed' | 'cancelled'; result?: undefined; error?: string }
)

/** A job of any of the kinds `K` (every job when not given), typed per kind. */
export type JobView<K extends JobMethodName = JobMethodName> = K extends JobMethodName
  ? JobViewOf<K>
  : never

/** Whether a stored job is one of `kinds`: the run-time check that types its result. */
export function isJobOf<K extends JobMethodName>(
  job: JobView,
  kinds: readonly K[],
): job is JobView<K> {
  return (kinds as readonly JobMethodName[]).includes(job.kind)
}

interface AppState {
  screen: Screen
  status: AppStatus | null
  statusError: string | null
  settings: Settings | null
  jobs: Record<string, JobView>
  /**
   * The job each part of a screen follows (a train form, a batch panel, an import card), by a
   * slot name; kept here so it is still shown after a visit to another screen.
   */
  followed: Record<string, string>
  /** how many times each table has changed since start: screens read again when theirs moves */
  dataVersions: Record<DataTable, number>
  /** the last database check found damage (the status bar points to Settings) */
  databaseDamaged: boolean
  go(screen: Screen): void
  refreshStatus(): Promise<void>
  loadSettings(): Promise<void>
  setSetting<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void>
}

export const useApp = create<AppState>((set) => ({
  screen: 'import',
  status: null,
  statusError: null,
  settings: null,
  jobs: {},
  followed: {},
  dataVersions: Object.fromEntries(dataTables.map((t) => [t, 0])) as Record<DataTable, number>,
  databaseDamaged: false,
  go: (screen) => set({ screen }),
  async refreshStatus() {
    try {
      set({ status: await call('app.status', {}), statusError: null })
    } catch (error) {
      set({ statusError: error instanceof Error ? error.message : String(error) })
    }
  },
  async loadSettings() {
    set({ settings: await call('settings.get', {}) })
  },
  async setSetting(key, value) {
    set({ settings: await call('settings.set', { key, value }) })
  },
}))

/**
 * Starts `method`'s job and follows it under `slot` (the slot's previous job is no longer shown).
 * Rejects with the engine's error when the job could not start.
 */
export async function startJob<M extends JobMethodName>(
  slot: string,
  method: M,
  input: MethodInput<M>,
): Promise<string> {
  const { jobId } = await call<JobMethodName>(method, input)
  useApp.setState((s) => ({
    jobs: {
      ...s.jobs,
      // events may have come before the answer: they are kept
      [jobId]: s.jobs[jobId] ?? {
        id: jobId,
        kind: method,
        state: 'running',
        progress: { phase: 'starting', fraction: 0 },
      },
    },
    followed: { ...s.followed, [slot]: jobId },
  }))
  return jobId
}

function onProgress(p: Events['job.progress']): void {
  const { jobId, kind, ...progress } = p
  useApp.setState((s) => {
    const job = s.jobs[jobId]
    if (job && job.state !== 'running') return s
    return { jobs: { ...s.jobs, [jobId]: { id: jobId, kind, state: 'running', progress } } }
  })
}

/** The finished event as a job view: kind, state and result stay paired as the engine sent them. */
function finishedView(f: Events['job.finished'], previous: JobView | undefined): JobView {
  const progress = {
    ...(previous?.progress ?? { phase: '' }),
    phase: f.state,
    fraction: f.state === 'succeeded' ? 1 : (previous?.progress.fraction ?? 0),
  }
  const { jobId: id, seconds: _seconds, ...outcome } = f
  return outcome.state === 'succeeded'
    ? { id, progress, ...outcome }
    : { id, progress, kind: outcome.kind, state: outcome.state, error: outcome.error.message }
}

function onFinished(f: Events['job.finished']): void {
  useApp.setState((s) => ({ jobs: { ...s.jobs, [f.jobId]: finishedView(f, s.jobs[f.jobId]) } }))
}

function onDataChanged({ tables }: Events['data.changed']): void {
  useApp.setState((s) => {
    const dataVersions = { ...s.dataVersions }
    for (const t of tables) dataVersions[t] += 1
    return { dataVersions }
  })
}

/** Connects the store to the engine's events; returns the disconnect function. */
export function connectEvents(): () => void {
  const offs = [
    on('job.progress', onProgress),
    on('job.finished', onFinished),
    on('data.changed', onDataChanged),
    on('database.checked', (check) => useApp.setState({ databaseDamaged: !check.ok })),
  ]
  return () => offs.forEach((off) => off())
}

/** The job to show in the status bar: the newest running one. */
export function selectRunningJob(s: AppState): JobView | undefined {
  return Object.values(s.jobs)
    .filter((j) => j.state === 'running')
    .at(-1)
}
