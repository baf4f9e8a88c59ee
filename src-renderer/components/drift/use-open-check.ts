import { useEffect } from 'react'
import type { JobView } from '../../store/app-store'
import { useDrift } from '../../store/drift-store'

/**
 * Jobs whose check was already opened: coming back to the screen shows what the user chose
 * since, not the check a finished job opened once.
 */
const opened = new Set<string>()

/** Opens the check a drift job stored, once, when the job succeeds. */
export function useOpenFinishedCheck(job: JobView<'drift.run' | 'drift.simulate'> | undefined) {
  const done = job?.state === 'succeeded' ? job : null
  useEffect(() => {
    if (!done || opened.has(done.id)) return
    opened.add(done.id)
    useDrift.getState().open(done.result.driftRunId, done.result.modelVersion)
  }, [done])
}
