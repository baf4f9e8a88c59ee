import type { HandlerGroup } from '../context'
import { changing, dataChanged } from '../data-changed'
import { writeTransaction } from '../db/write-transaction'
import { exportBundle, importBundle } from './bundle'
import {
  archive,
  deleteModel,
  listModels,
  listRuns,
  modelDetail,
  promote,
  rollback,
} from './registry'
import { trainModel } from './train'
import { buildTrainingSetOnWorker, listTargets } from './training-set'

export const modelHandlers: HandlerGroup<
  | 'models.targets'
  | 'models.trainingSet'
  | 'models.train'
  | 'models.list'
  | 'models.get'
  | 'models.runs'
  | 'models.promote'
  | 'models.rollback'
  | 'models.archive'
  | 'models.delete'
  | 'models.export'
  | 'models.import'
> = {
  'models.targets': (_input, ctx) => listTargets(ctx.db),
  'models.trainingSet': async (input, ctx) => (await buildTrainingSetOnWorker(ctx, input)).summary,
  'models.train': async (input, ctx) => {
    // Problems with the data are said now, before a job starts; the job trains on this set.
    const set = await buildTrainingSetOnWorker(ctx, input)
    return ctx.jobs.start('models.train', async (job) => {
      const result = await trainModel(ctx, input, set, job)
      dataChanged(ctx, ['models', 'runs'])
      return result
    })
  },
  'models.list': (_input, ctx) => listModels(ctx.db),
  'models.get': (input, ctx) => modelDetail(ctx.db, input.version),
  'models.runs': (input, ctx) => listRuns(ctx.db, input.target),
  // Stage changes read, then write: in a deferred transaction another process's commit in between
  // failed them with "database is locked" (SQLITE_BUSY_SNAPSHOT). They take the write lock first,
  // waiting for it on timers.
  'models.promote': (input, ctx) =>
    changing(ctx, ['models'], () =>
      writeTransaction(ctx.db, () => promote(ctx.db, input.version, input.reason)),
    ),
  'models.rollback': (input, ctx) =>
    changing(ctx, ['models'], () =>
      writeTransaction(ctx.db, () => rollback(ctx.db, input.target, input.reason)),
    ),
  'models.archive': (input, ctx) =>
    changing(ctx, ['models'], () =>
      writeTransaction(ctx.db, () => archive(ctx.db, input.version, input.reason)),
    ),
  'models.delete': (input, ctx) =>
    changing(ctx, ['models'], () =>
      writeTransaction(ctx.db, () => deleteModel(ctx.db, input.version, input.reason)),
    ),
  'models.export': (input, ctx) => exportBundle(ctx.db, input.version),
  'models.import': async (input, ctx) => {
    const [onnx, card] = await Promise.all([
      ctx.files.resolve(input.onnx),
      ctx.files.resolve(input.card),
    ])
    const result = await importBundle(ctx.db, onnx.path, card.path, input.reason)
    if (!result.alreadyInRegistry) dataChanged(ctx, ['models'])
    return result
  },
}
