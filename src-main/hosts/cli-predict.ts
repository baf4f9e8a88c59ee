import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { assertWritableOutside } from '../engine/files/data-folder-guard'
import { batchJson, singleJson } from '../engine/predict/json-output'
import { type Command, UsageError, expectOk, waitForJob } from './cli-common'

export const PREDICT_HELP = `  assay predict (--mw X --alogp X --hba N --hbd N | --smiles S | --input FILE)
                [--model VERSION] [--out FILE.csv] [--only-model-target] [--json] [--data-dir D]
                                             predict p-activity with the production model
                                             (--only-model-target: skip rows naming other targets)
`

function numberOption(value: unknown, name: string): number {
  const n = Number(value)
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a number, not ${String(value)}`)
  return n
}

const round = (v: number, digits = 4) => Number(v.toFixed(digits))

export const PREDICT_COMMANDS: Record<string, Command> = {
  predict: {
    options: {
      mw: { type: 'string' },
      alogp: { type: 'string' },
      hba: { type: 'string' },
      hbd: { type: 'string' },
      smiles: { type: 'string' },
      input: { type: 'string' },
      model: { type: 'string' },
      out: { type: 'string' },
      'only-model-target': { type: 'boolean' },
    },
    async run(engine, values, _p, io) {
      const seeds = ['mw', 'alogp', 'hba', 'hbd'].filter((k) => values[k] !== undefined)
      const modes = [seeds.length > 0, values.smiles !== undefined, values.input !== undefined]
      if (modes.filter(Boolean).length !== 1)
        throw new UsageError('predict takes --mw/--alogp/--hba/--hbd, or --smiles, or --input FILE')
      const model = values.model as string | undefined
      if (values.input !== undefined) {
        const file = await engine.grantFile(resolve(String(values.input)))
        // Writing over the database (or any file of the data folder) is refused before scoring.
        const out = typeof values.out === 'string' ? resolve(values.out) : null
        if (out !== null) await assertWritableOutside(engine.context.options.dataDir, out)
        const onlyModelTarget = values['only-model-target'] === true
        const { jobId } = await expectOk(
          engine.invoke('predictions.batch', { model, file, onlyModelTarget }),
        )
        const s = await waitForJob(engine, 'predictions.batch', jobId)
        io.countRows?.(s.rowsScored)
        if (out !== null) {
          const csv = await expectOk(engine.invoke('predictions.csv', { batchId: s.batchId }))
          await writeFile(out, csv.csv)
        }
        const summary = batchJson(s)
        const other = s.otherTargetRows
          ? `\n${s.otherTargetRows} rows name targets other than the model's: ${
              s.onlyModelTarget
                ? 'not scored'
                : 'scored, measured values not compared (--only-model-target skips them)'
            }`
          : ''
        const split = [
          s.inSample
            ? `RMSE ${round(s.inSample.rmse, 3)} in-sample (${s.inSample.compounds} compounds the model was trained on)`
            : '',
          s.outOfSample
            ? `RMSE ${round(s.outOfSample.rmse, 3)} out-of-sample (${s.outOfSample.compounds} new compounds)`
            : '',
        ]
          .filter(Boolean)
          .join('; ')
        io.stdout(
          values.json
            ? `${JSON.stringify(summary)}\n`
            : `Batch ${s.batchId} with ${s.modelVersion}: ${s.rowsScored} scored, ${s.rowsFailed} not scored${
                s.rowsFailed
                  ? ` (${Object.entries(s.failuresByReason)
                      .map(([r, n]) => `${n} ${r}`)
                      .join(', ')})`
                  : ''
              }, ${s.inDomain} inside the applicability domain${s.observed ? `; RMSE ${round(s.observed.rmse, 3)} on ${s.observed.rows} measured rows` : ''}${
                split ? `\n${split}` : ''
              }${other}${typeof values.out === 'string' ? `\nWrote ${resolve(values.out)}` : ''}\n`,
        )
        return 0
      }
      if (values.out !== undefined) throw new UsageError('--out is for --input FILE batches')
      if (seeds.length > 0 && seeds.length < 4)
        throw new UsageError('give all four of --mw, --alogp, --hba and --hbd')
      const r = await expectOk(
        engine.invoke('predictions.single', {
          model,
          ...(seeds.length === 4
            ? {
                features: {
                  mw_freebase: numberOption(values.mw, 'mw'),
                  alogp: numberOption(values.alogp, 'alogp'),
                  hba: numberOption(values.hba, 'hba'),
                  hbd: numberOption(values.hbd, 'hbd'),
                },
              }
            : { smiles: String(values.smiles) }),
        }),
      )
      io.countRows?.(1)
      const out = singleJson(r)
      io.stdout(
        values.json
          ? `${JSON.stringify(out)}\n`
          : `pActivity ${out.pActivity.toFixed(2)} (${out.nM} nM), 90% interval ${r.interval[0].toFixed(2)} to ${r.interval[1].toFixed(2)}, ${
              r.inDomain ? 'inside' : 'OUTSIDE'
            } the applicability domain; model ${r.modelVersion}${r.isSynthetic ? ' (trained on synthetic sample data)' : ''}\n`,
      )
      return 0
    },
  },
}
