import type { MessagePort } from 'node:worker_threads'
import type { Mapping } from '../../chem/columns'
import { type CsvRecord, DEFAULT_MAX_RECORD_CHARS } from '../../chem/csv-parser'
import {
  type NormalisedRow,
  type Rejection,
  UNUSABLE_REASONS,
  type UnusableReason,
  hasActivityColumns,
  normaliseRow,
} from '../../chem/normalise-row'
import type { MoleculeFeatures } from '../../chem/rdkit'
import { RELATIONS } from '../../chem/units'
import { type TableHead, readRecords } from './read-table'

/*
 * An import runs on two threads: this side reads, parses and normalises the file and sends
 * compact batches; the writer (write-import.ts) puts them into SQLite. What repeats from row to
 * row (the standard type, units, assay, target and document: an activity's context) crosses as
 * the number of a context sent once, the first time it appears, so a batch is mostly typed
 * arrays: cheap to send between threads.
 */

/** Unusable reasons cross to the writer as their index here (an Int8Array column). */
export const UNUSABLE_CODES: readonly UnusableReason[] = UNUSABLE_REASONS

/** An activity's context the first time the file mentions it (activity_contexts). */
export interface ContextRecord {
  standardType: string | null
  standardUnits: string | null
  assayChemblId: string | null
  targetChemblId: string | null
  targetName: string | null
  documentChemblId: string | null
  documentYear: number | null
}

/** A molecule the first time the file mentions it. */
export interface CompoundRecord {
  key: string
  chemblId: string | null
  name: string | null
  smiles: string | null
  file: { mw: number | null; alogp: number | null; hba: number | null; hbd: number | null }
  features: MoleculeFeatures | null
}

export interface RowBatch {
  type: 'batch'
  bytes: number
  /** contexts first seen in this batch; their order numbers continue from the last batch */
  contexts: ContextRecord[]
  /** molecules first seen in this batch; their order numbers continue from the last batch */
  compounds: CompoundRecord[]
  rejections: { line: number; reason: string; detail: string; raw: string }[]
  /** rows accepted in this batch (with or without an activity) */
  accepted: number
  rowsTotal: number
  /** activities, column by column */
  n: number
  line: Int32Array
  compound: Int32Array
  context: Int32Array
  /** index in RELATIONS, -1 for none */
  relation: Int8Array
  /** index in UNUSABLE_CODES, -1 when usable */
  unusable: Int8Array
  /** NaN for none */
  value: Float64Array
  valueNm: Float64Array
  pActivity: Float64Array
  pchembl: Float64Array
  /** ChEMBL's activity id, NaN for none */
  activityId: Float64Array
}

export interface BatchesEnd {
  type: 'end'
  sha256: string
  bytes: number
  disagreements: {
    compared: number
    mw: number
    alogp: number
    examples: { molecule: string; field: string; file: number; rdkit: number }[]
  }
}

export type ParseMessage = RowBatch | BatchesEnd

export interface ParseImportInput {
  filePath: string
  head: TableHead
  mapping: Mapping
  /** RDKit's results by SMILES (null: RDKit cannot read it); null when descriptors are off */
  molecules: Map<string, MoleculeFeatures | null> | null
}

/** Seed features further apart than this between the file and RDKit are reported. */
const DISAGREEMENT = { mw: 0.5, alogp: 0.5 }
const MAX_EXAMPLES = 20
/** Batches sent but not yet written: enough to keep the writer busy, few enough to bound memory. */
export const BATCHES_IN_FLIGHT = 4

/**
 * Reads the file and sends its rows as batches through `port`, at most BATCHES_IN_FLIGHT ahead of
 * the writer (which answers each batch with 'ack').
 */
export async function parseImport(input: ParseImportInput, port: MessagePort): Promise<void> {
  const { head, mapping, molecules } = input
  const withActivities = hasActivityColumns(mapping)
  const contextOf = contextNumbering()
  const compoundSeq = new Map<string, number>()
  const disagreements: BatchesEnd['disagreements'] = { compared: 0, mw: 0, alogp: 0, examples: [] }

  let inFlight = 0
  let wake: (() => void) | null = null
  port.on('message', (m: string) => {
    if (m !== 'ack') return
    inFlight--
    wake?.()
    wake = null
  })
  const send = async (batch: RowBatch) => {
    const transfer = [
      batch.line,
      batch.compound,
      batch.context,
      batch.relation,
      batch.unusable,
      batch.value,
      batch.valueNm,
      batch.pActivity,
      batch.pchembl,
      batch.activityId,
    ].map((a) => a.buffer as ArrayBuffer)
    while (inFlight >= BATCHES_IN_FLIGHT) await new Promise<void>((r) => (wake = r))
    inFlight++
    port.postMessage(batch, transfer)
  }

  let rowsTotal = 0
  let bytes = 0
  const records = readRecords(input.filePath, head, {
    onProgress: (p) => {
      bytes = p.bytes
    },
    columns: Object.values(mapping).filter((c): c is number => c !== undefined),
  })
  let result = await records.next()
  for (; !result.done; result = await records.next()) {
    const list = result.value
    const cap = list.length
    const b: RowBatch = {
      type: 'batch',
      bytes: 0,
      contexts: [],
      compounds: [],
      rejections: [],
      accepted: 0,
      rowsTotal: 0,
      n: 0,
      line: new Int32Array(cap),
      compound: new Int32Array(cap),
      context: new Int32Array(cap),
      relation: new Int8Array(cap),
      unusable: new Int8Array(cap),
      value: new Float64Array(cap),
      valueNm: new Float64Array(cap),
      pActivity: new Float64Array(cap),
      pchembl: new Float64Array(cap),
      activityId: new Float64Array(cap),
    }
    const reject = (record: CsvRecord, r: Rejection, raw = record.raw) =>
      b.rejections.push({ line: record.line, reason: r.reason, detail: r.detail, raw })

    for (const record of list) {
      if (record.fields.length === 1 && record.raw.trim() === '') continue // blank line: not a row
      rowsTotal++
      if (record.tooLong || record.raw.length > DEFAULT_MAX_RECORD_CHARS) {
        // keep only the start: a megabyte of one cell is not worth storing twice
        reject(
          record,
          {
            reason: 'line-too-long',
            detail: 'The line is longer than 1 MB; only its start is kept here',
          },
          record.raw.slice(0, 2000),
        )
        continue
      }
      if (record.unterminated) {
        reject(record, {
          reason: 'unterminated-quote',
          detail: 'A quoted field is not closed before the end of the file',
        })
        continue
      }
      if (record.fields.length !== head.header.length) {
        reject(record, {
          reason: 'wrong-field-count',
          detail: `The row has ${record.fields.length} fields; the header has ${head.header.length}`,
        })
        continue
      }
      const normalised = normaliseRow(record.fields, mapping, withActivities)
      if ('rejection' in normalised) {
        reject(record, normalised.rejection)
        continue
      }
      const row = normalised.row
      const features = row.smiles !== null && molecules ? molecules.get(row.smiles) : undefined
      if (features === null) {
        reject(record, {
          reason: 'invalid-smiles',
          detail: `RDKit cannot read the SMILES "${(row.smiles ?? '').slice(0, 80)}"`,
        })
        continue
      }
      const seq = compoundFor(row, features ?? null)
      b.accepted++
      const a = row.activity
      if (!a) continue
      const i = b.n++
      b.line[i] = record.line
      b.compound[i] = seq
      b.context[i] = contextOf(a, b.contexts)
      b.relation[i] = a.relation === null ? -1 : RELATIONS.indexOf(a.relation)
      b.unusable[i] = a.unusableReason === null ? -1 : UNUSABLE_CODES.indexOf(a.unusableReason)
      b.value[i] = a.standardValue ?? Number.NaN
      b.valueNm[i] = a.valueNm ?? Number.NaN
      b.pActivity[i] = a.pActivity ?? Number.NaN
      b.pchembl[i] = a.pchembl ?? Number.NaN
      b.activityId[i] = a.activityId ?? Number.NaN
    }
    b.bytes = bytes
    b.rowsTotal = rowsTotal
    await send(b)

    function compoundFor(row: NormalisedRow, features: MoleculeFeatures | null): number {
      const key = row.moleculeChemblId ?? `smiles:${features?.canonicalSmiles ?? row.smiles}`
      const known = compoundSeq.get(key)
      if (known !== undefined) return known
      const seq = compoundSeq.size
      compoundSeq.set(key, seq)
      if (features && row.mw !== null && row.alogp !== null) {
        disagreements.compared++
        for (const [field, fileValue, rdkitValue, limit] of [
          ['mw_freebase', row.mw, features.seed.mw, DISAGREEMENT.mw],
          ['alogp', row.alogp, features.seed.alogp, DISAGREEMENT.alogp],
        ] as const) {
          if (Math.abs(fileValue - rdkitValue) <= limit) continue
          if (field === 'mw_freebase') disagreements.mw++
          else disagreements.alogp++
          if (disagreements.examples.length < MAX_EXAMPLES)
            disagreements.examples.push({
              molecule: key,
              field,
              file: fileValue,
              rdkit: rdkitValue,
            })
        }
      }
      b.compounds.push({
        key,
        chemblId: row.moleculeChemblId,
        name: row.name,
        smiles: row.smiles,
        file: { mw: row.mw, alogp: row.alogp, hba: row.hba, hbd: row.hbd },
        features,
      })
      return seq
    }
  }
  const end: BatchesEnd = {
    type: 'end',
    sha256: result.value.sha256,
    bytes: result.value.bytes,
    disagreements,
  }
  // Messages arrive in order; the port closes only once the writer has acknowledged the end too.
  inFlight++
  port.postMessage(end)
  while (inFlight > 0) await new Promise<void>((r) => (wake = r))
  port.close()
}

/**
 * Numbers the distinct contexts in the order they first appear; a new one is added to the batch
 * being built. A context is looked up by its assay, which in ChEMBL fixes the target and document
 * and usually the type and units, and then compared column by column with that assay's contexts,
 * usually one: a single map lookup per row rather than one per column.
 */
export function contextNumbering(): (a: ContextRecord, fresh: ContextRecord[]) => number {
  const byAssay = new Map<string | null, { context: ContextRecord; n: number }[]>()
  let count = 0
  return (a, fresh) => {
    let list = byAssay.get(a.assayChemblId)
    if (list === undefined) {
      list = []
      byAssay.set(a.assayChemblId, list)
    }
    for (const { context: c, n } of list) {
      if (
        c.standardType === a.standardType &&
        c.standardUnits === a.standardUnits &&
        c.targetChemblId === a.targetChemblId &&
        c.documentChemblId === a.documentChemblId &&
        c.targetName === a.targetName &&
        c.documentYear === a.documentYear
      )
        return n
    }
    const context: ContextRecord = {
      standardType: a.standardType,
      standardUnits: a.standardUnits,
      assayChemblId: a.assayChemblId,
      targetChemblId: a.targetChemblId,
      targetName: a.targetName,
      documentChemblId: a.documentChemblId,
      documentYear: a.documentYear,
    }
    const n = count++
    list.push({ context, n })
    fresh.push(context)
    return n
  }
}
