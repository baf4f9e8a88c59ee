/**
 * "Simulate new data": a synthetic batch drawn from the sample's copula with chosen shifts, checked
 * against a model like a dropped file (read by the same reader; nothing imported), so a first-time
 * user sees what drift looks like.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ParsedInput, SimulationShift } from '../../contract'
import type { EngineContext } from '../context'
import { resolveModel } from '../predict/loaded-model'
import { type SampleCopula, generateSampleCsv } from '../sample/generate'
import { SAMPLE_TARGET } from '../sample/sample'
import copulaJson from '../../../resources/sample/copula.json'
import { runDriftCheck } from './check'
import { rowsOfFile } from './sources'

export const DEFAULT_SIMULATED_ROWS = 500
export const DEFAULT_SIMULATION_SEED = 1

const COLUMNS: Record<SimulationShift['feature'], number> = {
  mw_freebase: 2,
  alogp: 3,
  hba: 4,
  hbd: 5,
}

/**
 * The sample's rows with each shift applied to its column (interim generator: the features move,
 * the measured potency does not).
 */
function simulatedCsv(
  copula: SampleCopula,
  shifts: SimulationShift[],
  rows: number,
  seed: number,
): string {
  const text = generateSampleCsv(copula, seed, rows)
  const lines = text.trimEnd().split('\n')
  const cells = lines.slice(1).map((l) => l.slice(1, -1).split('";"'))
  for (const s of shifts) {
    const col = COLUMNS[s.feature]
    const values = cells.map((c) => Number(c[col]))
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length)
    const integer = s.feature === 'hba' || s.feature === 'hbd'
    cells.forEach((c, i) => {
      const v = values[i] as number
      const shifted = s.by === 'sd' ? v + s.amount * sd : v * s.amount
      c[col] = integer ? String(Math.max(0, Math.round(shifted))) : shifted.toFixed(2)
    })
  }
  return `${[lines[0], ...cells.map((c) => `"${c.join('";"')}"`)].join('\n')}\n`
}

function describeShift(s: SimulationShift): string {
  if (s.by === 'factor') return `${s.feature} x${s.amount}`
  return `${s.feature} ${s.amount >= 0 ? '+' : ''}${s.amount} sd`
}

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
          writeFileSync(path, simulatedCsv(copulaJson as SampleCopula, shifts, rows, seed))
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
