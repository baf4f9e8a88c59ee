/**
 * The current rows of a drift check, as candidates to compute features for: an import's compounds,
 * a batch's rows, the predictions of a time window, the compounds imported since the model was
 * trained, or a file read as a batch file is (nothing of it imported).
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { type DriftSource, type DriftSourceInput, WorkbenchError } from '../../contract'
import type { EngineContext } from '../context'
import { candidatesFromDatabase } from '../predict/database-inputs'
import { type Candidate, candidatesFromFile } from '../predict/inputs'
import type { LoadedModel } from '../predict/loaded-model'
import { applyMeasured, modelDefinition } from '../predict/measured'
import { isTrainingLabel, trainingLabel } from '../models/training-set'

export interface CurrentRows {
  candidates: Candidate[]
  source: DriftSource
}

interface PredictionRow {
  row_number: number
  compound_id: number | null
  molecule_id: string | null
  smiles: string | null
  inputs_json: string
  observed_p_activity: number | null
  failure_reason: string | null
}

/** A stored prediction turned back into a candidate: its features are computed again. */
function fromPrediction(r: PredictionRow, rowNumber: number): Candidate {
  const seed = JSON.parse(r.inputs_json) as Partial<Candidate['seed']>
  return {
    rowNumber,
    moleculeId: r.molecule_id,
    compoundId: r.compound_id,
    smiles: r.smiles,
    seed: {
      mw_freebase: seed.mw_freebase ?? null,
      alogp: seed.alogp ?? null,
      hba: seed.hba ?? null,
      hbd: seed.hbd ?? null,
    },
    descriptors: null,
    morgan: null,
    observed: r.observed_p_activity,
    // a row that could not be scored then (a bad structure, a value out of range) cannot now
    failure: r.failure_reason,
  }
}

/**
 * Fills what the database holds of a candidate's stored compound: its RDKit descriptors (so they
 * are not computed again) and its Morgan fingerprint (for the chemistry comparison).
 */
function fillFromCompounds(ctx: EngineContext, candidates: Candidate[]): void {
  const get = ctx.db.prepare(
    'SELECT descriptors_json, descriptors_2d_json, rdkit_seed_json, morgan_fp FROM compounds WHERE id = ?',
  )
  for (const c of candidates) {
    if (c.compoundId === null) continue
    const row = get.get(c.compoundId) as
      | {
          descriptors_json: string | null
          descriptors_2d_json: string | null
          rdkit_seed_json: string | null
          morgan_fp: Uint8Array | null
        }
      | undefined
    if (!row) continue
    c.morgan ??= row.morgan_fp
    if (c.descriptors === null && row.descriptors_json)
      c.descriptors = JSON.parse(row.descriptors_json) as Record<string, number>
    if (!c.descriptors2d && row.descriptors_2d_json)
      c.descriptors2d = JSON.parse(row.descriptors_2d_json) as Record<string, number>
    if (!c.rdkitSeed && row.rdkit_seed_json)
      c.rdkitSeed = JSON.parse(row.rdkit_seed_json) as Candidate['seed']
  }
}

/**
 * Each compound's measured value from this import's own measurements of the model's target and
 * types, by the training set's rule (median of the measurements that would label it). A check of
 * an import judges the model on what the import brought, not on values known before.
 */
function measuredBy(
  ctx: EngineContext,
  model: LoadedModel,
  candidates: Candidate[],
  importId: number,
): void {
  const def = modelDefinition(model)
  const rows = ctx.db
    .prepare(
      `SELECT compound_id, p_activity, usable, unusable_reason FROM activities
        WHERE import_id = ? AND target_chembl_id = ? AND standard_type IN (SELECT value FROM json_each(?))`,
    )
    .all(importId, def.target, JSON.stringify(def.types)) as {
    compound_id: number
    p_activity: number | null
    usable: number
    unusable_reason: string | null
  }[]
  const labels = new Map<number, number[]>()
  for (const r of rows) {
    if (!isTrainingLabel(r, def.includeFlagged)) continue
    const list = labels.get(r.compound_id)
    if (list) list.push(r.p_activity as number)
    else labels.set(r.compound_id, [r.p_activity as number])
  }
  for (const c of candidates) {
    const list = c.compoundId === null ? undefined : labels.get(c.compoundId)
    c.observed = list ? trainingLabel(list) : null
  }
}

function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`

/** The rows of a file, read as a batch file is, with measured values by the training set's rule. */
export async function rowsOfFile(
  model: LoadedModel,
  path: string,
  fileName: string,
  mapping: Record<string, string> | undefined,
  onBytes?: (bytes: number, size: number) => void,
): Promise<{ candidates: Candidate[]; sha256: string }> {
  const read = await candidatesFromFile(path, mapping, onBytes)
  applyMeasured(read, modelDefinition(model), read.columns)
  if (read.length === 0)
    throw new WorkbenchError(
      'invalid-input',
      `The file ${fileName} has no data rows to compare with the training data.`,
    )
  return { candidates: [...read], sha256: await sha256Of(path) }
}

export async function currentRows(
  ctx: EngineContext,
  model: LoadedModel,
  input: DriftSourceInput,
  /** the file of a file source, resolved before the job started */
  file: { path: string; name: string } | null,
  onBytes?: (bytes: number, size: number) => void,
): Promise<CurrentRows> {
  const db = ctx.db
  switch (input.kind) {
    case 'import': {
      const imp = db.prepare('SELECT file_name FROM imports WHERE id = ?').get(input.importId) as
        { file_name: string } | undefined
      if (!imp) throw new WorkbenchError('not-found', `There is no import #${input.importId}.`)
      const candidates = candidatesFromDatabase(db, model, input.importId)
      if (candidates.length === 0)
        throw new WorkbenchError(
          'invalid-input',
          `Import #${input.importId} (${imp.file_name}) brought no compounds, so there is nothing to compare with the training data.`,
        )
      fillFromCompounds(ctx, candidates)
      measuredBy(ctx, model, candidates, input.importId)
      return {
        candidates,
        source: {
          kind: 'import',
          importId: input.importId,
          label: `import #${input.importId}: ${imp.file_name}`,
        },
      }
    }
    case 'batch': {
      const batch = db
        .prepare(
          `SELECT b.id, b.input_name, b.model_version_id, m.version FROM prediction_batches b
             JOIN model_versions m ON m.id = b.model_version_id WHERE b.id = ?`,
        )
        .get(input.batchId) as
        | { id: number; input_name: string | null; model_version_id: number; version: string }
        | undefined
      if (!batch)
        throw new WorkbenchError('not-found', `There is no prediction batch #${input.batchId}.`)
      if (batch.model_version_id !== model.row.id)
        throw new WorkbenchError(
          'invalid-input',
          `Prediction batch #${input.batchId} was scored by ${batch.version}, not ${model.row.version}: check it against ${batch.version}, or score the compounds with ${model.row.version} first.`,
        )
      const rows = db
        .prepare(
          `SELECT row_number, compound_id, molecule_id, smiles, inputs_json, observed_p_activity,
                  failure_reason FROM predictions WHERE batch_id = ? ORDER BY row_number`,
        )
        .all(input.batchId) as PredictionRow[]
      if (rows.length === 0)
        throw new WorkbenchError(
          'invalid-input',
          `Prediction batch #${input.batchId} has no rows to compare with the training data.`,
        )
      const candidates = rows.map((r) => fromPrediction(r, r.row_number))
      fillFromCompounds(ctx, candidates)
      return {
        candidates,
        source: {
          kind: 'batch',
          batchId: input.batchId,
          label: `batch #${input.batchId}${batch.input_name ? `: ${batch.input_name}` : ''}`,
        },
      }
    }
    case 'window': {
      const start = new Date(input.from)
      const end = new Date(input.to ?? Date.now())
      if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
        throw new WorkbenchError(
          'invalid-input',
          `The time window needs real dates (from ${input.from}, to ${input.to ?? 'now'}).`,
        )
      const from = start.toISOString()
      const to = end.toISOString()
      if (!(from < to))
        throw new WorkbenchError(
          'invalid-input',
          `The time window must start before it ends (from ${from}, to ${to}).`,
        )
      // Predictions by any model of the same target: the compounds the target's models were asked about
      const rows = db
        .prepare(
          `SELECT p.row_number, p.compound_id, p.molecule_id, p.smiles, p.inputs_json,
                  p.observed_p_activity, p.failure_reason
             FROM predictions p JOIN prediction_batches b ON b.id = p.batch_id
             JOIN model_versions m ON m.id = b.model_version_id
            WHERE m.target_chembl_id = ? AND p.created_at >= ? AND p.created_at <= ?
            ORDER BY p.id`,
        )
        .all(model.row.target_chembl_id, from, to) as PredictionRow[]
      if (rows.length === 0)
        throw new WorkbenchError(
          'invalid-input',
          `No predictions for ${model.row.target_chembl_id} were made between ${from} and ${to}, so there is nothing to compare with the training data.`,
        )
      const candidates = rows.map((r, i) => fromPrediction(r, i + 1))
      fillFromCompounds(ctx, candidates)
      return {
        candidates,
        source: {
          kind: 'window',
          from,
          to,
          label: `${plural(rows.length, 'prediction')} from ${from.slice(0, 10)} to ${to.slice(0, 10)}`,
        },
      }
    }
    case 'since-training': {
      const since = model.row.created_at
      const imports = db
        .prepare('SELECT id FROM imports WHERE finished_at > ? ORDER BY id')
        .pluck()
        .all(since) as number[]
      const seen = new Set<number>()
      const candidates: Candidate[] = []
      for (const id of imports)
        for (const c of candidatesFromDatabase(db, model, id)) {
          if (seen.has(c.compoundId as number)) continue
          seen.add(c.compoundId as number)
          candidates.push({ ...c, rowNumber: candidates.length + 1 })
        }
      if (candidates.length === 0)
        throw new WorkbenchError(
          'invalid-input',
          `No compounds were imported since ${model.row.version} was trained (${since}), so there is nothing to compare with its training data.`,
        )
      fillFromCompounds(ctx, candidates)
      return {
        candidates,
        source: {
          kind: 'since-training',
          since,
          label: `${plural(candidates.length, 'compound')} imported since ${since.slice(0, 10)}`,
        },
      }
    }
    case 'file': {
      if (!file) throw new WorkbenchError('file-not-allowed', 'The file was not granted.')
      const { candidates, sha256 } = await rowsOfFile(
        model,
        file.path,
        file.name,
        input.mapping,
        onBytes,
      )
      return {
        candidates,
        source: { kind: 'file', fileName: file.name, sha256, label: `file ${file.name}` },
      }
    }
  }
}
