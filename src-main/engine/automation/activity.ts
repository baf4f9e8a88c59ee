import type { ActivityEntry } from '../../contract'
import type { EngineContext } from '../context'
import { dataChanged } from '../data-changed'
import { type NewActivity, insertActivity } from '../db/automation-queries'
import { writeTransaction } from '../db/write-transaction'

/**
 * Stores one timeline entry and tells whoever listens: the screens (`data.changed`), the banner
 * (`automation.activity`, which the metrics recorder also counts) and, for a notable entry (a
 * promotion, a candidate kept, a rejected file, a failure), the desktop, through the host's
 * notification (a no-op where the host has none). A notification that fails is only logged: the
 * entry is what matters, and it is stored.
 */
export async function recordActivity(ctx: EngineContext, a: NewActivity): Promise<ActivityEntry> {
  const entry = await writeTransaction(ctx.db, () => insertActivity(ctx.db, a))
  dataChanged(ctx, ['automation'])
  ctx.emit('automation.activity', entry)
  if (entry.level !== 'info') {
    ctx.capabilities
      .notify({ title: notificationTitle(entry), body: entry.summary.slice(0, 2000) })
      .catch((error: unknown) =>
        console.warn(
          `A desktop notification could not be shown: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
  }
  return entry
}

function notificationTitle(entry: ActivityEntry): string {
  const about = entry.target ? ` · ${entry.target}` : ''
  switch (entry.kind) {
    case 'file-rejected':
      return 'Assay Workbench: a file was rejected'
    case 'retrain-decided':
      return `Assay Workbench: retraining decided${about}`
    case 'retrain-failed':
    case 'retrain-interrupted':
      return `Assay Workbench: retraining did not finish${about}`
    case 'watch-error':
      return 'Assay Workbench: the watched folder'
    default:
      return `Assay Workbench${about}`
  }
}
