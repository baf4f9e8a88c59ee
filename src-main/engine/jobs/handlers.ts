import type { HandlerGroup } from '../context'

export const jobHandlers: HandlerGroup<'jobs.list' | 'jobs.cancel'> = {
  'jobs.list': (_input, ctx) => ctx.jobs.list(),
  'jobs.cancel': (input, ctx) => ctx.jobs.cancel(input.jobId),
}
