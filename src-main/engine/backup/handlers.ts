import type { HandlerGroup } from '../context'
import { listBackups } from './backups'

export const backupHandlers: HandlerGroup<
  'database.status' | 'database.check' | 'backups.list' | 'backups.create' | 'backups.restore'
> = {
  'database.status': (_input, ctx) => ctx.maintenance.status(),
  'database.check': (_input, ctx) => ctx.maintenance.check(),
  'backups.list': (_input, ctx) => listBackups(ctx.options.dataDir),
  'backups.create': (_input, ctx) => ctx.maintenance.backup(),
  'backups.restore': (input, ctx) => ctx.maintenance.restore(input.name),
}
