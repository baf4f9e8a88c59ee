import { create } from 'zustand'
import type { ActivityEntry, ActivityKind } from '../../src-main/contract'
import { useApp } from './app-store'
import { useImports } from './import-store'
import { openDriftCheck } from './drift-store'
import { useModels } from './models-store'
import { usePolledStatus } from './use-polled-status'

/** The timeline's kinds, grouped as the Activity screen filters them. */
export const ACTIVITY_GROUPS = {
  files: [
    'file-imported',
    'file-duplicate',
    'file-rejected',
    'watch-started',
    'watch-stopped',
    'watch-error',
  ],
  checks: ['drift-checked'],
  retrains: [
    'retrain-started',
    'retrain-decided',
    'retrain-failed',
    'retrain-interrupted',
    'policy-saved',
  ],
} as const satisfies Record<string, readonly ActivityKind[]>
export type ActivityGroup = keyof typeof ACTIVITY_GROUPS | 'all'

interface AutomationState {
  /** the newest notable entry (a promotion, a rejected file, a failure) until it is dismissed */
  banner: ActivityEntry | null
  dismissBanner(): void
  /** the Activity screen's filters, kept so a visit elsewhere does not reset them */
  target: string
  group: ActivityGroup
  setFilter(patch: Partial<{ target: string; group: ActivityGroup }>): void
}

export const useAutomation = create<AutomationState>((set) => ({
  banner: null,
  dismissBanner: () => set({ banner: null }),
  target: '',
  group: 'all',
  setFilter: (patch) => set(patch),
}))

/** An entry of the timeline arrived: a notable one raises the banner. */
export function onActivity(entry: ActivityEntry): void {
  if (entry.level === 'notice' || entry.level === 'warning')
    useAutomation.setState({ banner: entry })
  // a folder problem that was put right (watching again) no longer needs the user
  else if (
    entry.kind === 'watch-started' &&
    useAutomation.getState().banner?.kind === 'watch-error'
  )
    useAutomation.setState({ banner: null })
}

/** Opens what a timeline entry links to, on its own screen. */
export const openLink = {
  import(importId: number): void {
    useImports.getState().focusImport(importId)
    useApp.getState().go('import')
  },
  check(driftRunId: number, modelVersion: string): void {
    openDriftCheck(driftRunId, modelVersion)
  },
  model(version: string): void {
    void useModels.getState().select(version)
    useApp.getState().go('models')
  },
}

/**
 * The watched folder's status, read again when the timeline or the settings change and, with
 * `pollMs`, every so often (files waiting to be complete change without any event).
 */
export function useWatchStatus(pollMs?: number) {
  return usePolledStatus('automation.status', ['automation', 'settings'], pollMs)
}
