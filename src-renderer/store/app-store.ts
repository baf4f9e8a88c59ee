import { create } from 'zustand'
import type { AppStatus, Events, JobProgress, Settings } from '../../src-main/contract'
import { call, on } from '../api/client'

export const SCREENS = [
  'import',
  'data',
  'models',
  'predict',
  'drift',
  'reports',
  'settings',
] as const
export type Screen = (typeof SCREENS)[number]

export interface JobView {
  id: string
  kind: string
  state: 'running' | 'succeeded' | 'failed' | 'cancelled'
  progress: JobProgress
  result?: unknown
  error?: string
}

interface AppState {
  screen: Screen
  status: AppStatus | null
  statusError: string | null
  settings: Settings | null
  jobs: Record<string, JobView>
  /** the last database check found damage (the status bar points to Settings) */
  databaseDamaged: boolean
  go(screen: Screen): void
  refreshStatus(): Promise<void>
  loadSettings(): Promise<void>
  setSetting<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void>
  trackJob(id: string, kind: string): void
}

export const useApp = create<AppState>((set) => ({
  screen: 'import',
  status: null,
  statusError: null,
  settings: null,
  jobs: {},
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
  trackJob(id, kind) {
    set((s) => ({
      jobs: {
        ...s.jobs,
        [id]: s.jobs[id] ?? {
          id,
          kind,
          state: 'running',
          progress: { phase: 'starting', fraction: 0 },
        },
      },
    }))
  },
}))

function onProgress(p: Events['job.progress']): void {
  const { jobId, kind, ...progress } = p
  useApp.setState((s) => {
    const job = s.jobs[jobId]
    if (job && job.state !== 'running') return s
    return { jobs: { ...s.jobs, [jobId]: { id: jobId, kind, state: 'running', progress } } }
  })
}

function onFinished(f: Events['job.finished']): void {
  useApp.setState((s) => {
    const previous = s.jobs[f.jobId]
    const job: JobView = {
      id: f.jobId,
      kind: f.kind,
      state: f.state,
      progress: {
        ...(previous?.progress ?? { phase: '' }),
        phase: f.state,
        fraction: f.state === 'succeeded' ? 1 : (previous?.progress.fraction ?? 0),
      },
      result: f.result,
      error: f.error?.message,
    }
    return { jobs: { ...s.jobs, [f.jobId]: job } }
  })
}

/** Connects the store to the engine's events; returns the disconnect function. */
export function connectEvents(): () => void {
  const offs = [
    on('job.progress', onProgress),
    on('job.finished', onFinished),
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
