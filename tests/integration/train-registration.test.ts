import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TrainResult, modelsTrainInput } from '../../src-main/contract'
import type { Engine } from '../../src-main/engine/engine'
import { trainModel } from '../../src-main/engine/models/train'
import { buildTrainingSet } from '../../src-main/engine/models/training-set'
import { importSample } from '../../src-main/engine/sample/sample'
import { readOnnxMetadata } from '../../src-main/ml/onnx-export'
import { REPO_ROOT, startTestEngine, tempDir, waitForFinished } from '../helpers'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** What the registry holds for a version: its bytes, the hash it recorded, and the check's result. */
function stored(engine: Engine, version: string) {
  const row = engine.context.db
    .prepare('SELECT onnx, onnx_sha256, cv_metrics_json FROM model_versions WHERE version = ?')
    .get(version) as { onnx: Uint8Array; onnx_sha256: string; cv_metrics_json: string }
  return {
    bytes: row.onnx,
    sha256: row.onnx_sha256,
    onnxMaxDifference: (JSON.parse(row.cv_metrics_json) as { onnxMaxDifference: number })
      .onnxMaxDifference,
  }
}

describe('a trained model is registered with the ONNX bytes ONNX Runtime checked', () => {
  const dir = tempDir()
  let engine: Engine
  beforeAll(async () => {
    engine = startTestEngine(dir.path)
    await importSample(engine.context, REPO_ROOT)
  }, 120_000)
  afterAll(async () => {
    await engine.close()
    dir.remove()
  })

  const input = { featureSet: 'core4', learner: 'ridge', folds: 3, seed: 5 }

  it('reports the hash of the bytes it checked, and the registry stores exactly those bytes', async () => {
    const started = await engine.invoke('models.train', input)
    if (!started.ok) throw new Error(started.error.message)
    const finished = await waitForFinished(engine, started.value.jobId)
    expect(finished.state).toBe('succeeded')
    const result = finished.result as TrainResult
    expect(result.onnxSha256).toMatch(/^[0-9a-f]{64}$/)
    const row = stored(engine, result.modelVersion)
    expect(row.sha256).toBe(result.onnxSha256)
    expect(sha256(row.bytes)).toBe(result.onnxSha256)
    expect(readOnnxMetadata(row.bytes).model_version).toBe(result.modelVersion)
  }, 120_000)

  it('checks the file again when another training took its version name meanwhile', async () => {
    const ctx = engine.context
    const parsed = modelsTrainInput.parse({ ...input, seed: 6 })
    const set = buildTrainingSet(ctx.db, parsed)
    const taken: string[] = []
    const { jobId } = ctx.jobs.start('models.train', (job) =>
      trainModel(ctx, parsed, set, {
        ...job,
        // Between the check and the registration, another writer registers a model under the
        // name this training exported its file for (as a second process training at once does).
        pointOfNoReturn: () => {
          job.pointOfNoReturn()
          const name = ctx.db
            .prepare("SELECT 'v' || (coalesce(max(id), 0) + 1) FROM model_versions")
            .pluck()
            .get() as string
          const columns = (
            ctx.db.prepare('PRAGMA table_info(model_versions)').all() as { name: string }[]
          )
            .map((c) => c.name)
            .filter((c) => c !== 'id' && c !== 'version')
          ctx.db
            .prepare(
              `INSERT INTO model_versions (version, ${columns.join(', ')})
               SELECT ?, ${columns.join(', ')} FROM model_versions ORDER BY id LIMIT 1`,
            )
            .run(name)
          taken.push(name)
        },
      }),
    )
    const finished = await ctx.jobs.wait(jobId)
    expect(finished.info.state).toBe('succeeded')
    const result = finished.result as TrainResult
    expect(taken).toHaveLength(1)
    expect(result.modelVersion).not.toBe(taken[0])
    const row = stored(engine, result.modelVersion)
    // the file names its own version, and is the one whose hash the training reported as checked
    expect(readOnnxMetadata(row.bytes).model_version).toBe(result.modelVersion)
    expect(sha256(row.bytes)).toBe(result.onnxSha256)
    expect(row.sha256).toBe(result.onnxSha256)
    expect(row.onnxMaxDifference).toBeLessThanOrEqual(1e-4)
    // the model whose name was taken keeps its own bytes
    expect(readOnnxMetadata(stored(engine, taken[0] as string).bytes).model_version).not.toBe(
      result.modelVersion,
    )
  }, 120_000)
})
