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
import { rowsOfFile } from './sources'

export const DEFAULT_SIMULATED_ROWS = 500
export const DEFAULT_SIMULATION_SEED = 1

export async function simulateDrift(ctx: EngineContext, input: ParsedInput<'drift.simulate'>) {
  const model = resolveModel(ctx.db, input.model, input.model ? undefined : SAMPLE_TARGET)
  const rows = input.rows ?? DEFAULT_SIMULATED_ROWS
  const seed = input.seed ?? DEFAULT_SIMULATION_SEED
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
