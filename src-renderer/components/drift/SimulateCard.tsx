import { useEffect, useState } from 'react'
import type { SimulationShift } from '../../../src-main/contract'
import { useJob } from '../../store/use-job'
import { JobProgress } from '../JobProgress'
import { useOpenFinishedCheck } from './use-open-check'

/** Shifts a first-time user can try, in words. */
export const SHIFTS: { value: string; label: string; shifts: SimulationShift[] }[] = [
  { value: 'none', label: 'No shift (looks like the sample)', shifts: [] },
  {
    value: 'alogp+1sd',
    label: 'More lipophilic: AlogP + 1 standard deviation',
    shifts: [{ feature: 'alogp', by: 'sd', amount: 1 }],
  },
  {
    value: 'alogp-1sd',
    label: 'Less lipophilic: AlogP − 1 standard deviation',
    shifts: [{ feature: 'alogp', by: 'sd', amount: -1 }],
  },
  {
    value: 'mw*2',
    label: 'Compounds twice as heavy: molecular weight × 2',
    shifts: [{ feature: 'mw_freebase', by: 'factor', amount: 2 }],
  },
  {
    value: 'hbd+1sd',
    label: 'More H-bond donors: HBD + 1 standard deviation',
    shifts: [{ feature: 'hbd', by: 'sd', amount: 1 }],
  },
  {
    value: 'small-shift',
    label: 'A slight drift: AlogP + 0.2 standard deviation',
    shifts: [{ feature: 'alogp', by: 'sd', amount: 0.2 }],
  },
]

/**
 * Draws synthetic compounds like the bundled sample, optionally shifted, and checks them: how
 * drift looks before there is any real new data. `model` is used when it reads the four seed
 * features; otherwise the sample's own production model is.
 */
export function SimulateCard({
  model,
  primary = false,
}: {
  model: string | null
  primary?: boolean
}) {
  const { job, running, start } = useJob('drift.simulate')
  const [shift, setShift] = useState('alogp+1sd')
  const [rows, setRows] = useState('1000')
  const [problem, setProblem] = useState<string | null>(null)
  useOpenFinishedCheck(job)
  const failed = job?.state === 'failed' ? (job.error ?? 'The simulation failed.') : null
  useEffect(() => {
    if (failed) setProblem(failed)
  }, [failed])

  const run = async () => {
    setProblem(null)
    const n = Number(rows)
    if (!Number.isInteger(n) || n < 20 || n > 100_000)
      return setProblem('Rows must be a whole number from 20 to 100,000.')
    const chosen = SHIFTS.find((s) => s.value === shift) ?? SHIFTS[0]
    try {
      await start('drift.simulate', {
        shifts: chosen?.shifts ?? [],
        rows: n,
        ...(model ? { model } : {}),
      })
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <section
      className={primary ? 'card wide simulate-card' : 'card simulate-card'}
      aria-labelledby="drift-simulate-title"
      data-testid="drift-simulate"
    >
      <h2 id="drift-simulate-title">
        Simulate new data <span className="tag">synthetic</span>
      </h2>
      <p className="muted small">
        Draws made-up compounds that look like the bundled synthetic sample, shifts one trait if you
        ask, and checks them against {model ?? 'the sample’s production model'}. Nothing is
        imported; the check is labelled synthetic.
      </p>
      <div className="row wrap">
        <label className="field shift">
          <span>Shift</span>
          <select
            value={shift}
            onChange={(e) => setShift(e.target.value)}
            aria-label="Shift of the simulated data"
          >
            {SHIFTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field narrow">
          <span>Rows</span>
          <input
            value={rows}
            onChange={(e) => setRows(e.target.value)}
            inputMode="numeric"
            aria-label="Rows to simulate"
          />
        </label>
        <button
          type="button"
          className={primary ? 'button primary' : 'button'}
          disabled={running}
          onClick={() => void run()}
        >
          Simulate and check
        </button>
      </div>
      {running && job && (
        <JobProgress
          job={job}
          label="Simulation progress"
          cancelLabel="Cancel the simulation"
          testId="drift-simulate-progress"
        />
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  )
}
