import { type SimulationShift, WorkbenchError, simulationShiftSchema } from '../../contract'
import { LIMITS } from '../../chem/normalise-row'
import type { GaussianCopula } from '../../ml/copula'
import { type SampleCopula, writeCopulaCsv } from './generate'

/** The sample's four seed features, in the order the sample file writes them. */
const FEATURES = ['mw_freebase', 'alogp', 'hba', 'hbd'] as const

/**
 * Mean and standard deviation of one variable's marginal in the copula. Draws take a uniform
 * probability and interpolate linearly between neighbouring quantiles, so the marginal is a
 * mixture of equally likely uniform pieces [q_j, q_j+1]: its moments follow exactly.
 */
export function copulaMarginal(
  copula: GaussianCopula,
  variable: string,
): { mean: number; sd: number } {
  const q = copula.quantiles[copula.variables.indexOf(variable)]
  if (!q || q.length < 2)
    throw new WorkbenchError('invalid-input', `The sample has no distribution for ${variable}.`)
  const pieces = q.length - 1
  let m1 = 0
  let m2 = 0
  for (let j = 0; j < pieces; j++) {
    const a = q[j] as number
    const b = q[j + 1] as number
    m1 += (a + b) / 2
    m2 += (a * a + a * b + b * b) / 3
  }
  m1 /= pieces
  m2 /= pieces
  return { mean: m1, sd: Math.sqrt(Math.max(0, m2 - m1 * m1)) }
}

/** How a shift reads on screen and in names: "alogp +1 sd", "mw_freebase x2". */
export function describeShift(s: SimulationShift): string {
  return s.by === 'sd'
    ? `${s.feature} ${s.amount >= 0 ? '+' : ''}${s.amount} sd`
    : `${s.feature} x${s.amount}`
}

/** A short tag for ids: ALOGP+1SD, MW_FREEBASEX2; several joined by "_". */
function shiftTag(shifts: SimulationShift[]): string {
  if (shifts.length === 0) return 'NOSHIFT'
  return shifts
    .map((s) =>
      s.by === 'sd'
        ? `${s.feature}${s.amount >= 0 ? '+' : ''}${s.amount}SD`
        : `${s.feature}X${s.amount}`,
    )
    .join('_')
    .toUpperCase()
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

/**
 * A batch of simulated compounds: drawn from the sample's copula (as the sample itself is), then
 * shifted: `sd` adds amount x the feature's standard deviation in the copula's marginal, `factor`
 * multiplies. Counts are rounded after the shift and kept from 0 to 200, and every value stays
 * where the importer accepts it (molecular weight 1 to 5000 g/mol, AlogP -30 to 30). Potency
 * comes from the copula's additive model on the shifted features plus the sample's noise, so a
 * shift moves measured values the way the sample's relation says. Ids (SIMULATED-...), names and
 * the comment column say the rows are synthetic. The same arguments give the same bytes.
 */
export function simulateSampleCsv(
  copula: SampleCopula,
  shifts: SimulationShift[],
  rows: number,
  seed: number,
): string {
  if (!Number.isInteger(rows) || rows < 1 || rows > 1_000_000)
    throw new WorkbenchError(
      'invalid-input',
      `A simulated batch has 1 to 1,000,000 rows, not ${rows}.`,
    )
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1)
    throw new WorkbenchError(
      'invalid-input',
      `The seed is a whole number from 0 to ${2 ** 31 - 1}, not ${seed}.`,
    )
  const steps = shifts.map((raw) => {
    const parsed = simulationShiftSchema.safeParse(raw)
    if (!parsed.success)
      throw new WorkbenchError(
        'invalid-input',
        `A shift names one of ${FEATURES.join(', ')}, "sd" or "factor", and an amount from -20 to 20.`,
      )
    const s = parsed.data
    if (s.by === 'factor' && !(s.amount > 0))
      throw new WorkbenchError(
        'invalid-input',
        `A factor multiplies ${s.feature}, so it must be above 0 (got ${s.amount}).`,
      )
    const index = FEATURES.indexOf(s.feature)
    const add = s.by === 'sd' ? s.amount * copulaMarginal(copula, s.feature).sd : 0
    return (f: number[]) => {
      const v = f[index] as number
      f[index] = s.by === 'sd' ? v + add : v * s.amount
    }
  })
  const label = shifts.length ? shifts.map(describeShift).join(', ') : 'no shift'
  return writeCopulaCsv(copula, seed, rows, {
    idPrefix: `SIMULATED-${seed}-${shiftTag(shifts)}`,
    name: (row) => `Simulated compound ${row} (${label})`,
    comment: `SYNTHETIC: simulated by Assay Workbench from the sample's Gaussian copula, shifted ${label}; not a measurement`,
    shift: (f) => {
      for (const step of steps) step(f)
      f[0] = clamp(f[0] as number, 1, LIMITS.mw.max)
      f[1] = clamp(f[1] as number, LIMITS.alogp.min, LIMITS.alogp.max)
      f[2] = clamp(f[2] as number, LIMITS.counts.min, LIMITS.counts.max)
      f[3] = clamp(f[3] as number, LIMITS.counts.min, LIMITS.counts.max)
    },
  })
}

const SHIFT =
  /^\s*(mw_freebase|alogp|hba|hbd)\s*=\s*(?:([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*sd|[x×*]\s*(\d+(?:\.\d*)?|\.\d+))\s*$/i

/**
 * Reads a shift as typed on the command line: `alogp=+1sd`, `hbd=-0.5sd`, `mw_freebase=x2`.
 */
export function parseShift(text: string): SimulationShift {
  const m = SHIFT.exec(text)
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text
  if (!m)
    throw new WorkbenchError(
      'invalid-input',
      `"${shown}" is not a shift. Write FEATURE=+Nsd (add N standard deviations) or FEATURE=xN (multiply by N), with FEATURE one of ${FEATURES.join(', ')}: for example alogp=+1sd or mw_freebase=x2.`,
    )
  const feature = (m[1] as string).toLowerCase() as SimulationShift['feature']
  const shift: SimulationShift =
    m[2] !== undefined
      ? { feature, by: 'sd', amount: Number(m[2]) }
      : { feature, by: 'factor', amount: Number(m[3]) }
  if (Math.abs(shift.amount) > 20)
    throw new WorkbenchError(
      'invalid-input',
      `"${shown}": a shift's amount is at most 20 (standard deviations or times).`,
    )
  if (shift.by === 'factor' && shift.amount <= 0)
    throw new WorkbenchError('invalid-input', `"${shown}": a factor must be above 0.`)
  return shift
}
