import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { WorkbenchError } from '../contract'
import type { SampleCopula } from '../engine/sample/generate'
import { describeShift, parseShift, simulateSampleCsv } from '../engine/sample/simulate'
import { type StandaloneCommand, UsageError } from './cli-common'

export const SIMULATE_HELP = `  assay simulate --shift FEATURE=CHANGE [--shift ...] [--rows N] [--seed S] [--out FILE] [--json]
                                             write a synthetic batch drawn like the sample, shifted
                                             (alogp=+1sd adds one standard deviation, mw_freebase=x2
                                             doubles; features mw_freebase, alogp, hba, hbd)
`

export const SIMULATE_DEFAULT_ROWS = 1000
export const SIMULATE_DEFAULT_SEED = 1

function wholeNumber(value: unknown, name: string, min: number, max: number, fallback: number) {
  if (value === undefined) return fallback
  const text = String(value).trim()
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${name} takes a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}, not "${text}"`,
    )
  return n
}

/** `assay simulate`: needs no database, only the sample's copula. */
export const SIMULATE_COMMANDS: Record<string, StandaloneCommand> = {
  simulate: {
    options: {
      shift: { type: 'string', multiple: true },
      rows: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
    standalone: true,
    async run(_dataDir, values, _positionals, io) {
      const texts = (values.shift as string[] | undefined) ?? []
      if (texts.length === 0)
        throw new UsageError('simulate needs at least one --shift, like --shift alogp=+1sd')
      if (texts.length > 4) throw new UsageError('simulate takes at most four --shift options')
      const shifts = texts.map((t) => {
        try {
          return parseShift(t)
        } catch (error) {
          throw new UsageError(error instanceof Error ? error.message : String(error))
        }
      })
      const rows = wholeNumber(values.rows, 'rows', 1, 1_000_000, SIMULATE_DEFAULT_ROWS)
      const seed = wholeNumber(values.seed, 'seed', 0, 2 ** 31 - 1, SIMULATE_DEFAULT_SEED)
      let copula: SampleCopula
      try {
        copula = JSON.parse(
          readFileSync(join(io.appRoot, 'resources/sample/copula.json'), 'utf8'),
        ) as SampleCopula
      } catch (error) {
        throw new WorkbenchError(
          'file-not-readable',
          `The sample's copula (resources/sample/copula.json) could not be read: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
      const csv = simulateSampleCsv(copula, shifts, rows, seed)
      const name =
        (values.out as string | undefined) ??
        `simulated-${shifts
          .map(
            (s) =>
              `${s.feature}${s.by === 'sd' ? `${s.amount >= 0 ? '+' : ''}${s.amount}sd` : `x${s.amount}`}`,
          )
          .join('-')}-seed${seed}.csv`
      const file = resolve(name)
      try {
        writeFileSync(file, csv)
      } catch (error) {
        throw new WorkbenchError(
          'file-not-readable',
          `Could not write ${file}: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
      io.stdout(
        values.json
          ? `${JSON.stringify({ file, rows, shifts, seed })}\n`
          : `Wrote ${rows.toLocaleString('en')} simulated compounds (${shifts.map(describeShift).join(', ')}, seed ${seed}) to ${file}. Every row is labelled synthetic.\n`,
      )
      return 0
    },
  },
}
