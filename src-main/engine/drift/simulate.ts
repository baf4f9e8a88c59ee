/**
 * "Simulate new data": a synthetic batch drawn from the sample's copula with chosen shifts, checked
 * against a model like a dropped file (read by the same reader; nothing imported), so a first-time
 * user sees what drift looks like.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ParsedInput } from '../../contract'
import type { EngineContext } from '../context'
import { resolveModel } from '../predict/loaded-model'
import type { SampleCopula } from '../sample/generate'
import { describeShift, simulateSampleCsv } from '../sample/simulate'
import { SAMPLE_TARGET } from '../sample/sample'
import copulaJson from '../../../resources/sample/copula.json'
import { runDriftCheck } from './check'
import { countSimulatedChecks } from '../db/drift-queries'
import { rowsOfFile } from './sources'

/**
 * 1,000 rows: against the sample's 2,500 training rows every feature is tested by Wasserstein
 * distance / std, which has no fixed false-alarm rate; at 500 rows an unshifted count feature
 * passed 0.1 by chance in 7 of 40 batches (and "mw x2" then read as whole-dataset drift), at 1,000
 * its spread is about half.
 */
export const DEFAULT_SIMULATED_ROWS = 1000

export async function simulateDrift(ctx: EngineContext, input: ParsedInput<'drift.simulate'>) {
  const model = resolveModel(ctx.db, input.model, input.model ? undefined : SAMPLE_TARGET)
  const rows = input.rows ?? DEFAULT_SIMULATED_ROWS
  // "Simulate new data" twice must draw new compounds: without a seed, each simulation takes the
  // next one (1, 2, ...), kept in the check's source so the batch can be drawn again
  const seed = input.seed ?? countSimulatedChecks(ctx.db) + 1
  const shifts = input.shifts
  return ctx.jobs.start('drift.simulate', (job) =>
    runDriftCheck(ctx, job, {
      model,
      trigger: 'simulation',
      rows: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'assay-simulated-'))
        try {
          const path = join(dir, 'simulated.csv')
          writeFileSync(path, simulateSampleCsv(copulaJson as SampleCopula, shifts, rows, seed))
          const { candidates } = await rowsOfFile(model, path, 'simulated data', undefined)
          const label =
            shifts.length === 0
              ? `${rows} simulated compounds, no shift`
              : `${rows} simulated compounds, ${shifts.map(describeShift).join(', ')}`
          return {
            candidates,
            source: { kind: 'simulated' as const, shifts, rows, seed, label },
          }
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      },
    }),
  )
}
