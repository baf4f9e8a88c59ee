import { WorkbenchError } from '../../contract'
import { type Mapping, detectMapping, applyOverrides } from '../../chem/columns'
import { type CompoundFeatures, writeFeatures } from '../../chem/feature-sets'
import type { MoleculeFeatures } from '../../chem/rdkit'
import { cellNumber } from '../../chem/normalise-row'
import { pActivityFromLogType } from '../../chem/standard-types'
import { nanomolarFactor, normaliseRelation, pActivityFromNm } from '../../chem/units'
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
  morgan: Uint8Array | null
  observed: number | null
  /** set when the row cannot be scored whatever the model */
  failure: string | null
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
): Promise<Candidate[]> {
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
  const out: Candidate[] = []
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
        c.observed = observedOf(r.fields, m)
      }
      out.push(c)
    }
    onBytes?.(bytes, head.size)
  }
  return out
}

/**
 * A row's measured p-activity: its pChEMBL value, else an '=' value of a log-scale type (pIC50,
 * Log IC50 in nM) read as the importer reads it, else an '=' value convertible to nM.
 */
function observedOf(fields: string[], m: Mapping): number | null {
  const p = cellNumber(fields, m.pchembl_value)
  if (typeof p === 'number' && Number.isFinite(p)) return p
  const v = cellNumber(fields, m.standard_value)
  const units = m.standard_units === undefined ? undefined : fields[m.standard_units]?.trim()
  const relation = m.standard_relation === undefined ? '' : (fields[m.standard_relation] ?? '')
  const rel = relation.trim() === '' ? '=' : normaliseRelation(relation)
  if (typeof v !== 'number' || !Number.isFinite(v) || rel !== '=') return null
  // "Log IC50 3.45 nM" is pActivity 5.55, not 3.45 nM
  const type = m.standard_type === undefined ? undefined : fields[m.standard_type]?.trim()
  const log = pActivityFromLogType(type, v, units)
  if (log !== null) return 'pActivity' in log ? log.pActivity : null
  const factor = nanomolarFactor(units)
  return v > 0 && factor !== null ? pActivityFromNm(v * factor) : null
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
  const needRdkit = (c: Candidate) =>
    c.failure === null &&
    c.smiles !== null &&
    (model.featureSet === 'core4'
      ? !complete(c)
      : c.descriptors === null || (model.featureSet === 'physchem+morgan' && c.morgan === null))
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
          'chem.molecules',
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
    let source: CompoundFeatures = { ...c.seed, descriptors: c.descriptors, morgan: c.morgan }
    if (needRdkit(c)) {
      const mol = computed.get(c.smiles as string)
      if (!mol) {
        c.failure = 'invalid-smiles'
        return
      }
      source = {
        mw_freebase: c.seed.mw_freebase ?? mol.seed.mw,
        alogp: c.seed.alogp ?? mol.seed.alogp,
        hba: c.seed.hba ?? mol.seed.hba,
        hbd: c.seed.hbd ?? mol.seed.hbd,
        descriptors: mol.descriptors,
        morgan: mol.morgan,
      }
      // kept for the nearest training compounds of a single prediction
      c.morgan = mol.morgan
      c.seed = {
        mw_freebase: source.mw_freebase,
        alogp: source.alogp,
        hba: source.hba,
        hbd: source.hbd,
      }
    }
    const missing = writeFeatures(model.featureSet, model.descriptorNames, source, row, 0)
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
