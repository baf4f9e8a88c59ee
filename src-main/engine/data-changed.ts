import { type DataTable, dataTables } from '../contract'
import type { EngineContext } from './context'

/** Every table group: a restored backup replaces them all. */
export const ALL_TABLES: DataTable[] = [...dataTables]

/**
 * Tells screens that a committed write changed these tables, so they read them again instead of
 * guessing from finished jobs. Called after the commit, never before: a screen that reads on the
 * event must see the new rows.
 */
export function dataChanged(ctx: Pick<EngineContext, 'emit'>, tables: DataTable[]): void {
  if (tables.length > 0) ctx.emit('data.changed', { tables })
}

/** Runs a write and, once it has succeeded, says which tables it changed. */
export async function changing<T>(
  ctx: Pick<EngineContext, 'emit'>,
  tables: DataTable[],
  write: () => T | Promise<T>,
): Promise<T> {
  const result = await write()
  dataChanged(ctx, tables)
  return result
}
