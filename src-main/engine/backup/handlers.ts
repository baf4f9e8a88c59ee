import type { HandlerGroup } from '../context'
import { listBackups } from './backups'
import { ALL_TABLES, changing } from '../data-changed'

export const backupHandlers: HandlerGroup<
  'database.status' | 'database.check' | 'backups.list' | 'backups.create' | 'backups.restore'
> = {
  'database.status': (_input, ctx) => ctx.maintenance.status(),
  'database.check': (_input, ctx) => ctx.maintenance.check(),
  'backups.list': (_input, ctx) => listBackups(ctx.options.dataDir),
  'backups.create': (_input, ctx) => ctx.maintenance.backup(),
  'backups.restore': (input, ctx) =>
    changing(ctx, ALL_TABLES, () => ctx.maintenance.restore(input.name)),
}
