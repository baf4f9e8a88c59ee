import { WorkbenchError } from '../../contract'
import { type Mapping, detectMapping, applyOverrides } from '../../chem/columns'
import {
  type CompoundFeatures,
  hasMorgan,
  isPhyschem43,
  writeFeatures,
} from '../../chem/feature-sets'
import type { MoleculeFeatures } from '../../chem/rdkit'
import { cellNumber, hasActivityColumns, normaliseRow } from '../../chem/normalise-row'
import type { EngineContext } from '../context'
import { readHead, readRecords } from '../import/read-table'
import { splitEvenly } from '../workers/split-evenly'
import type { LoadedModel } from './loaded-model'

/** One compound to score, as read from a file or the database, before features are computed. */
export interface Candidate {
  rowNumber: number
  moleculeId: string | null
  compoundId: number | null
  smiles: string | null
  seed: { mw_freebase: number | null; alogp: number | null; hba: number | null; hbd: number | null }
  descriptors: Record<string, number> | null
  /** RDKit's 2D descriptors of the standardised structure (stored or computed) */
  descriptors2d?: Record<string, number> | null
  /** the seed features RDKit computes for the standardised structure (stored or computed) */
  rdkitSeed?: Candidate['seed'] | null
  morgan: Uint8Array | null
  observed: number | null
  /** set when the row cannot be scored whatever the model */
  failure: string | null
  /** what a file's row says it measured, as the importer reads it (null: no measurement) */
  measurement?: RowMeasurement | null
  /** whether the model's training set holds this compound (null: not known) */
  inTrainingSet?: boolean | null
}

/** A file row's measurement: which target and type, and the importer's reading of its value. */
export interface RowMeasurement {
  target: string | null
  targetName: string | null
  type: string | null
  p_activity: number | null
  usable: number
  unusable_reason: string | null
}

/** What a scored file says about targets and types: which columns it has. */
export interface FileColumns {
  target: boolean
  type: boolean
}

export interface FeatureRows {
  candidates: Candidate[]
  /** features of the scorable candidates, row-major */
  x: Float32Array
  /** index into candidates of each feature row */
  index: Int32Array
  rdkitVersion: string | null
}

/** Limits a scientist would accept for the seed features; outside them a row is out of range. */
export function seedProblem(seed: Candidate['seed']): string | null {
  const { mw_freebase: mw, hba, hbd, alogp } = seed
  if (mw !== null && !(mw > 0 && mw < 5000)) return 'out-of-range'
  if (alogp !== null && !(alogp >= -20 && alogp <= 20)) return 'out-of-range'
  for (const v of [hba, hbd])
    if (v !== null && !(Number.isInteger(v) && v >= 0 && v <= 50)) return 'out-of-range'
  return null
}

/** Rows of a dropped file (any format the importer reads), with measured values when present. */
export async function candidatesFromFile(
  path: string,
  overrides: Record<string, string> | undefined,
  onBytes?: (bytes: number, size: number) => void,
): Promise<Candidate[] & { columns?: FileColumns }> {
  const head = await readHead(path)
  const { mapping, problems } = applyOverrides(
    head.header,
    detectMapping(head.header),
    overrides ?? {},
  )
  if (problems.length > 0) throw new WorkbenchError('invalid-input', problems.join(' '))
  const m: Mapping = mapping
  const hasSeeds =
    m.mw_freebase !== undefined &&
    m.alogp !== undefined &&
    m.hba !== undefined &&
    m.hbd !== undefined
  if (m.smiles === undefined && !hasSeeds)
    throw new WorkbenchError(
      'missing-columns',
      `To score a file it needs a SMILES column, or all four of MW, AlogP, HBA and HBD. Columns found: ${head.header.join(', ')}.`,
      { columnsFound: head.header },
    )
  const out: Candidate[] & { columns?: FileColumns } = []
  out.columns = { target: m.target_chembl_id !== undefined, type: m.standard_type !== undefined }
  const withActivities = hasActivityColumns(m)
  const field = (fields: string[], f: keyof Mapping) => {
    const i = m[f]
    return i === undefined ? undefined : fields[i]
  }
  let bytes = 0
  for await (const batch of readRecords(path, head, { onProgress: (p) => (bytes = p.bytes) })) {
    for (const r of batch) {
      const c: Candidate = {
        rowNumber: r.line,
        moleculeId: field(r.fields, 'molecule_chembl_id')?.trim() || null,
        compoundId: null,
        smiles: field(r.fields, 'smiles')?.trim() || null,
        seed: { mw_freebase: null, alogp: null, hba: null, hbd: null },
        descriptors: null,
        morgan: null,
        observed: null,
        failure: null,
      }
      if (r.tooLong) c.failure = 'line-too-long'
      else if (r.unterminated) c.failure = 'unterminated-quote'
      else if (r.fields.length !== head.header.length) c.failure = 'wrong-field-count'
      else {
        for (const k of ['mw_freebase', 'alogp', 'hba', 'hbd'] as const) {
          const v = cellNumber(r.fields, m[k])
          if (v === 'not-a-number') c.failure = 'non-numeric-value'
          else c.seed[k] = v
        }
        c.failure ??= seedProblem(c.seed)
        c.measurement = measurementOf(r.fields, m, withActivities)
      }
      out.push(c)
    }
    onBytes?.(bytes, head.size)
  }
  return out
}

/**
 * A row's target, type and measurement, read by the importer's own rules (normaliseRow): units,
 * log-scale types, censoring, implausible values and ChEMBL's doubts are judged as on import.
 */
function measurementOf(fields: string[], m: Mapping, withActivities: boolean): RowMeasurement {
  const cell = (i: number | undefined) => (i === undefined ? '' : (fields[i] ?? '').trim())
  const target = cell(m.target_chembl_id).toUpperCase() || null
  const measurement: RowMeasurement = {
    target,
    targetName: cell(m.target_name) || null,
    type: cell(m.standard_type) || null,
    p_activity: null,
    usable: 0,
    unusable_reason: null,
  }
  if (!withActivities) return measurement
  const normalised = normaliseRow(fields, m, true)
  const a = 'row' in normalised ? normalised.row.activity : null
  if (a) {
    measurement.p_activity = a.pActivity
    measurement.usable = a.usable ? 1 : 0
    measurement.unusable_reason = a.unusableReason
  }
  return measurement
}

/**
 * The model's features for every candidate: from the seed values when the model uses only those
 * and the row has all four, else computed by RDKit from the SMILES (both worker threads).
 */
export async function featuresFor(
  ctx: EngineContext,
  model: LoadedModel,
  candidates: Candidate[],
  signal?: AbortSignal,
  /** structures RDKit has done of those it must compute, summed over both workers */
  onProgress?: (done: number, total: number) => void,
): Promise<FeatureRows> {
  const f = model.featureNames.length
  const complete = (c: Candidate) =>
    c.seed.mw_freebase !== null &&
    c.seed.alogp !== null &&
    c.seed.hba !== null &&
    c.seed.hbd !== null
  // One feature source per model (see buildTrainingSet): a model trained with features from
  // RDKit on the standardised structure computes them so for every row with a structure; a model
  // trained on file values takes file values only; a model from before standardisation keeps its
  // old rule (file values first, RDKit for the rest) so it predicts the numbers it always did.
  const source = model.featureSource?.kind ?? 'legacy'
  const morgan = hasMorgan(model.featureSet)
  const needFeatures = (c: Candidate) =>
    model.featureSet === 'core4'
      ? source === 'legacy'
        ? !complete(c)
        : source === 'rdkit-standardised' && !c.rdkitSeed
      : (isPhyschem43(model.featureSet) ? c.descriptors === null : !c.descriptors2d) ||
        (morgan && c.morgan === null)
  // a structural domain needs every structure's fingerprint, whatever features the model uses
  const needFingerprint = model.domain.similarity !== undefined
  const needRdkit = (c: Candidate) =>
    c.failure === null &&
    c.smiles !== null &&
    ((needFingerprint && c.morgan === null) || needFeatures(c))
  if (model.featureSet === 'core4' && source === 'file values') {
    const smilesOnly = candidates.filter(
      (c) => c.failure === null && c.smiles !== null && !complete(c),
    )
    if (smilesOnly.length > 0 && smilesOnly.length === candidates.length)
      throw new WorkbenchError(
        'invalid-input',
        `Model ${model.row.version} was trained on MW, AlogP, HBA and HBD values from a file, not on structures, so it predicts only from those four values: RDKit's values for a structure differ from a file's and would be silently mixed in. Give MW, AlogP, HBA and HBD, or train a model on compounds with structures.`,
        { featureSource: 'file values', rowsWithoutValues: smilesOnly.length },
      )
    for (const c of smilesOnly) c.failure = 'file-values-model'
  }
  const smiles = [...new Set(candidates.filter(needRdkit).map((c) => c.smiles as string))]
  const computed = new Map<string, MoleculeFeatures | null>()
  let rdkitVersion: string | null = null
  if (smiles.length > 0) {
    const chunks = splitEvenly(smiles, ctx.pool.size)
    const done = chunks.map(() => 0)
    onProgress?.(0, smiles.length)
    const parts = await Promise.all(
      chunks.map((chunk, k) =>
        ctx.pool.run(
          'computeMolecules',
          { smiles: chunk },
          {
            signal,
            onProgress: (n) => {
              done[k] = n
              onProgress?.(
                done.reduce((a, b) => a + b, 0),
                smiles.length,
              )
            },
          },
        ),
      ),
    )
    parts.forEach((part, k) => {
      rdkitVersion = part.rdkitVersion
      chunks[k]?.forEach((s, i) => computed.set(s, part.molecules[i] ?? null))
    })
  }
  const x = new Float32Array(candidates.length * f)
  const index: number[] = []
  const row = new Float32Array(f)
  candidates.forEach((c, i) => {
    if (c.failure !== null) return
    const useRdkitSeed = source === 'rdkit-standardised' && c.smiles !== null
    let input: CompoundFeatures = {
      ...(useRdkitSeed && c.rdkitSeed ? c.rdkitSeed : c.seed),
      descriptors: c.descriptors,
      descriptors2d: c.descriptors2d ?? null,
      morgan: c.morgan,
    }
    const fingerprintOnly = needRdkit(c) && !needFeatures(c)
    if (fingerprintOnly) {
      // the features are all given: RDKit was asked only for the fingerprint of the structure,
      // and a structure it cannot read leaves the similarity unknown rather than the row unscored
      const mol = computed.get(c.smiles as string)
      if (mol) {
        c.morgan = mol.morgan
        input.morgan = mol.morgan
      }
      if (useRdkitSeed && c.rdkitSeed) c.seed = c.rdkitSeed
    } else if (needRdkit(c)) {
      const mol = computed.get(c.smiles as string)
      if (!mol) {
        c.failure = 'invalid-smiles'
        return
      }
      const rdkit = {
        mw_freebase: mol.seed.mw,
        alogp: mol.seed.alogp,
        hba: mol.seed.hba,
        hbd: mol.seed.hbd,
      }
      const seed =
        source === 'legacy'
          ? {
              mw_freebase: c.seed.mw_freebase ?? rdkit.mw_freebase,
              alogp: c.seed.alogp ?? rdkit.alogp,
              hba: c.seed.hba ?? rdkit.hba,
              hbd: c.seed.hbd ?? rdkit.hbd,
            }
          : useRdkitSeed
            ? rdkit
            : c.seed
      input = {
        ...seed,
        descriptors: mol.descriptors,
        descriptors2d: mol.descriptors2d,
        morgan: mol.morgan,
      }
      // kept for the nearest training compounds of a single prediction
      c.morgan = mol.morgan
      c.rdkitSeed = rdkit
      c.seed = seed
    } else if (useRdkitSeed && c.rdkitSeed) c.seed = c.rdkitSeed
    const missing = writeFeatures(model.featureSet, model.descriptorNames, input, row, 0)
    if (missing !== null) {
      c.failure = c.smiles === null ? 'no-structure' : 'missing-features'
      return
    }
    x.set(row, index.length * f)
    index.push(i)
  })
  return {
    candidates,
    x: x.subarray(0, index.length * f),
    index: Int32Array.from(index),
    rdkitVersion,
  }
}
