import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import {
  type FeatureSet,
  type Learner,
  type ModelBundle,
  type ModelCard,
  type ModelImportResult,
  type ModelSummary,
  type TrainingSetSummary,
  WorkbenchError,
  featureSets,
  learners,
} from '../../contract'
import { featureUnits } from '../../chem/feature-sets'
import { rdkitVersionList } from '../../chem/rdkit-version'
import type { ConformalCalibration } from '../../ml/conformal'
import { ONNX_OUTPUT, readOnnxMetadata } from '../../ml/onnx-export'
import { scoreOnce } from '../../ml/runtime'
import { appVersion } from '../app/versions'
import type { Db } from '../db/connection'
import { selectVersionWithOnnx } from '../db/model-queries'
import { writeTransaction } from '../db/write-transaction'
import {
  type StoredEvaluation,
  audit,
  insertModel,
  modelDetail,
  modelRow,
  nextVersion,
  onnxBytes,
  summarize,
} from './registry'

export function modelCard(db: Db, version: string): ModelCard {
  const row = modelRow(db, version)
  const detail = modelDetail(db, version)
  const calibration = JSON.parse(row.calibration_json) as ConformalCalibration
  return {
    format: 'assay-workbench-model-card',
    formatVersion: 1,
    version: row.version,
    target: row.target_chembl_id,
    learner: row.learner,
    params: detail.params,
    featureSet: row.feature_set,
    featureNames: detail.featureNames,
    units: featureUnits(detail.featureNames),
    output: { name: ONNX_OUTPUT, meaning: 'p-activity = 9 - log10(value in nM), float32 [N, 1]' },
    trainingSet: detail.trainingSet,
    cv: detail.cv,
    folds: detail.folds,
    seed: row.seed,
    timeSplit: detail.timeSplit,
    interval: {
      level: 1 - calibration.alpha,
      halfWidth: calibration.q,
      method: calibration.method,
    },
    domain: JSON.parse(row.domain_json) as unknown,
    reference: JSON.parse(row.reference_json) as unknown,
    importance: detail.importance,
    evaluation: {
      oof: detail.oof,
      intervalCoverage: detail.intervalCoverage,
      onnxMaxDifference: detail.onnxMaxDifference,
    },
    lineage: {
      parentVersion: detail.parentVersion,
      createdAt: row.created_at,
      appVersion: appVersion(),
    },
    rdkitVersion: rdkitVersionList(row.rdkit_version),
    isSynthetic: row.is_synthetic === 1,
    onnxSha256: row.onnx_sha256,
    onnxFile: `${fileBase(row.target_chembl_id, row.version)}.onnx`,
  }
}

function fileBase(target: string, version: string): string {
  return `${target}-${version}`.replace(/[^A-Za-z0-9_.-]/g, '_')
}

export function exportBundle(db: Db, version: string): ModelBundle {
  const row = modelRow(db, version)
  return {
    fileBase: fileBase(row.target_chembl_id, row.version),
    card: modelCard(db, version),
    onnxBase64: Buffer.from(onnxBytes(db, row.id)).toString('base64'),
  }
}

/** The parts of a card an import relies on; the rest is kept as written. */
/**
 * A card's feature set as this version names it: a card written before "physchem" meant RDKit's
 * 2D set (it has no featureSource) used MinimalLib's 43 descriptors, now called "physchem-43".
 */
function cardFeatureSet(card: {
  featureSet: FeatureSet
  trainingSet: Record<string, unknown>
}): FeatureSet {
  if (card.trainingSet.featureSource !== undefined) return card.featureSet
  if (card.featureSet === 'physchem') return 'physchem-43'
  if (card.featureSet === 'physchem+morgan') return 'physchem-43+morgan'
  return card.featureSet
}

const cardSchema = z.object({
  format: z.literal('assay-workbench-model-card'),
  formatVersion: z.literal(1),
  version: z.string(),
  target: z.string().min(1).max(64),
  learner: z.enum(learners),
  params: z.record(z.string(), z.union([z.number(), z.boolean()])),
  featureSet: z.enum(featureSets),
  featureNames: z.array(z.string()).min(1),
  trainingSet: z.object({ hash: z.string(), compounds: z.number() }).passthrough(),
  cv: z.object({
    rmse: z.number(),
    mae: z.number(),
    r2: z.number(),
    spearman: z.number(),
    n: z.number(),
  }),
  folds: z.number(),
  seed: z.number().nullable(),
  timeSplit: z.unknown(),
  interval: z.object({ level: z.number(), halfWidth: z.number(), method: z.string() }),
  domain: z.unknown(),
  reference: z.unknown(),
  importance: z.array(z.object({ feature: z.string(), value: z.number() })),
  // cards from before this field existed import without it
  evaluation: z
    .object({
      oof: z.object({ observed: z.array(z.number()), predicted: z.array(z.number()) }),
      intervalCoverage: z.number().nullable(),
      onnxMaxDifference: z.number().nullable(),
    })
    .optional(),
  rdkitVersion: z.string().nullable(),
  // where the version came from in the exporting registry; shown as the import's lineage
  lineage: z
    .object({ parentVersion: z.string().nullable(), appVersion: z.string().optional() })
    .partial()
    .optional(),
  isSynthetic: z.boolean(),
  onnxSha256: z.string().regex(/^[0-9a-f]{64}$/),
})

const MAX_BUNDLE_BYTES = 512 * 1024 * 1024

async function readLimited(path: string, what: string): Promise<Buffer> {
  try {
    const bytes = await readFile(path)
    if (bytes.length > MAX_BUNDLE_BYTES)
      throw new WorkbenchError('invalid-input', `The ${what} is larger than 512 MB.`)
    return bytes
  } catch (error) {
    if (error instanceof WorkbenchError) throw error
    throw new WorkbenchError(
      'file-not-readable',
      `The ${what} cannot be read: ${(error as Error).message}`,
    )
  }
}

/** The version holding exactly these ONNX bytes, if one is registered. */
function versionWithOnnx(db: Db, sha256: string): ModelSummary | null {
  const version = selectVersionWithOnnx(db, sha256)
  return version ? summarize(db, modelRow(db, version)) : null
}

/**
 * Registers a colleague's exported model as a new candidate. The ONNX bytes must hash to the
 * card's checksum, load in ONNX Runtime, and name the same features in the same order. A model
 * whose bytes are already registered is not added again (a second import of the same bundle made
 * a second, identical version): the answer names the version that has them.
 */
export async function importBundle(
  db: Db,
  onnxPath: string,
  cardPath: string,
  reason: string | undefined,
): Promise<ModelImportResult> {
  const [onnx, cardText] = await Promise.all([
    readLimited(onnxPath, 'ONNX file'),
    readLimited(cardPath, 'model card'),
  ])
  let parsed: unknown
  try {
    parsed = JSON.parse(cardText.toString('utf8'))
  } catch {
    throw new WorkbenchError(
      'invalid-input',
      'The model card is not JSON. Choose the .json file exported with the model.',
    )
  }
  const result = cardSchema.safeParse(parsed)
  if (!result.success)
    throw new WorkbenchError(
      'invalid-input',
      'This JSON file is not an Assay Workbench model card.',
      {
        issues: result.error.issues.slice(0, 10),
      },
    )
  const card = result.data
  const sha = createHash('sha256').update(onnx).digest('hex')
  if (sha !== card.onnxSha256)
    throw new WorkbenchError(
      'checksum-mismatch',
      `The ONNX file's SHA-256 (${sha.slice(0, 12)}...) is not the one its card names (${card.onnxSha256.slice(0, 12)}...). The file was changed or belongs to another model.`,
      { expected: card.onnxSha256, actual: sha },
    )
  const existing = versionWithOnnx(db, sha)
  if (existing) return { model: existing, alreadyInRegistry: true }
  let metadata: Record<string, string>
  try {
    metadata = readOnnxMetadata(onnx)
    const f = card.featureNames.length
    const probe = await scoreOnce(onnx, { n: 1, f, x: new Float32Array(f) })
    if (probe.length !== 1) throw new Error('unexpected output shape')
  } catch (error) {
    throw new WorkbenchError(
      'invalid-input',
      `ONNX Runtime cannot run this model: ${(error as Error).message}`,
    )
  }
  if (metadata.feature_names && metadata.feature_names !== JSON.stringify(card.featureNames))
    throw new WorkbenchError('invalid-input', 'The ONNX file and its card list different features.')

  return writeTransaction(db, (): ModelImportResult => {
    // checked again here: another import of the same file may have finished during the ONNX check
    const registered = versionWithOnnx(db, sha)
    if (registered) return { model: registered, alreadyInRegistry: true }
    const version = nextVersion(db)
    const evaluation: StoredEvaluation = {
      cv: card.cv,
      folds: card.folds,
      oof: card.evaluation?.oof ?? { observed: [], predicted: [] },
      timeSplit: (card.timeSplit ?? null) as StoredEvaluation['timeSplit'],
      intervalCoverage: card.evaluation?.intervalCoverage ?? NaN,
      onnxMaxDifference: card.evaluation?.onnxMaxDifference ?? NaN,
    }
    insertModel(db, version, {
      target: card.target,
      learner: card.learner as Learner,
      params: card.params,
      featureSet: cardFeatureSet(card),
      featureNames: card.featureNames,
      trainingSet: card.trainingSet as unknown as TrainingSetSummary,
      trainingRows: card.trainingSet.compounds,
      seed: card.seed,
      evaluation,
      calibration: {
        method: 'cv-plus-absolute-residual',
        alpha: 1 - card.interval.level,
        q: card.interval.halfWidth,
        n: card.trainingSet.compounds,
      },
      domain: card.domain,
      reference: card.reference,
      importance: card.featureNames.map(
        (name) => card.importance.find((i) => i.feature === name)?.value ?? 0,
      ),
      rdkitVersion: rdkitVersionList(card.rdkitVersion),
      onnx,
      onnxSha256: sha,
      parentVersionId: null,
      isSynthetic: card.isSynthetic,
    })
    audit(db, 'import', version, reason, {
      importedFrom: card.version,
      parentVersion: card.lineage?.parentVersion ?? null,
      appVersion: card.lineage?.appVersion ?? null,
      onnxSha256: sha,
    })
    return { model: summarize(db, modelRow(db, version)), alreadyInRegistry: false }
  })
}
