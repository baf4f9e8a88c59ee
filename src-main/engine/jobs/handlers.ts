import type { HandlerGroup } from '../context'

export const jobHandlers: HandlerGroup<'jobs.list' | 'jobs.cancel'> = {
  'jobs.list': (_input, ctx) => ctx.jobs.list(),
  'jobs.cancel': (input, ctx) => ({ cancelled: ctx.jobs.cancel(input.jobId) }),
}
