import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine } from '../engine'
import { writeTransaction } from '../db/write-transaction'
import { exportBundle } from '../models/bundle'
import { BASELINE_CARD, BASELINE_ONNX, importSample } from './sample'

/** How the baseline is trained; changing this changes the bundled model. */
export const BASELINE_TRAINING = {
  featureSet: 'core4',
  learner: 'gbdt',
  folds: 5,
  seed: 1,
  budgetSeconds: 60,
  promote: false,
} as const

/**
 * Trains the bundled baseline the way a user would (the project's own pipeline, in a fresh data
 * folder) on the bundled sample, and writes its ONNX file and model card to `outDir`.
 * Returns the files written.
 */
export async function trainBaseline(appRoot: string, workerPath: string, outDir: string) {
  const dir = mkdtempSync(join(tmpdir(), 'assay-baseline-'))
  const engine = createEngine({ dataDir: dir, host: 'cli', workerPath })
  try {
    await importSample(engine.context, appRoot)
    const started = await engine.invoke('models.train', BASELINE_TRAINING)
    if (!started.ok) throw new Error(started.error.message)
    const { info, result } = await engine.context.jobs.waitFor('models.train', started.value.jobId)
    if (info.state !== 'succeeded' || !result) throw new Error(info.error?.message)
    const { modelVersion } = result
    await writeTransaction(engine.context.db, () =>
      engine.context.db
        .prepare('UPDATE model_versions SET is_synthetic = 1 WHERE version = ?')
        .run(modelVersion),
    )
    const bundle = exportBundle(engine.context.db, modelVersion)
    const onnx = join(outDir, BASELINE_ONNX.split('/').at(-1) as string)
    const card = join(outDir, BASELINE_CARD.split('/').at(-1) as string)
    writeFileSync(onnx, Buffer.from(bundle.onnxBase64, 'base64'))
    writeFileSync(
      card,
      `${JSON.stringify({ ...bundle.card, onnxFile: BASELINE_ONNX.split('/').at(-1) }, null, 2)}\n`,
    )
    return [onnx, card]
  } finally {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
