import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ImportSummary, TrainResult } from '../src-main/contract'
import type { Engine } from '../src-main/engine/engine'
import { fileRef, runJob, waitForFinished } from './helpers'
import { AROMATASE, aromataseIc50, readTable } from './reference-csv'

const table = readTable(AROMATASE, ';')

/** The aromatase export's IC50 rows a model trains on (nM, '=', plausible, undoubted), with a year. */
const usable = aromataseIc50(table.rows).undoubted.filter((r) =>
  /^\d{4}$/.test(r['Document Year'] ?? ''),
)

export interface Split {
  oldPath: string
  newPath: string
  oldRows: number
  newRows: number
  /** molecules in the older file */
  oldMolecules: Set<string>
  /** molecules in the newer file that the older one does not have */
  newMolecules: Set<string>
}

function writeRows(path: string, rows: Record<string, string>[]): void {
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`
  const lines = [table.header.map(quote).join(';')]
  for (const r of rows) lines.push(table.header.map((h) => quote(r[h] ?? '')).join(';'))
  writeFileSync(path, `${lines.join('\n')}\n`)
}

/**
 * The export split by document year into two files as a lab would download them months apart:
 * rows before `year` (or only the first `oldLimit` molecules of those) and the rows from `year` on.
 */
export function splitByYear(dir: string, year: number, oldLimit?: number): Split {
  let older = usable.filter((r) => Number(r['Document Year']) < year)
  if (oldLimit !== undefined) {
    const keep = new Set([...new Set(older.map((r) => r['Molecule ChEMBL ID']))].slice(0, oldLimit))
    older = older.filter((r) => keep.has(r['Molecule ChEMBL ID']))
  }
  const newer = usable.filter((r) => Number(r['Document Year']) >= year)
  const oldPath = join(dir, `aromatase-before-${year}.csv`)
  const newPath = join(dir, `aromatase-from-${year}.csv`)
  writeRows(oldPath, older)
  writeRows(newPath, newer)
  const oldMolecules = new Set(older.map((r) => r['Molecule ChEMBL ID'] as string))
  const newMolecules = new Set(
    newer.map((r) => r['Molecule ChEMBL ID'] as string).filter((m) => !oldMolecules.has(m)),
  )
  return {
    oldPath,
    newPath,
    oldRows: older.length,
    newRows: newer.length,
    oldMolecules,
    newMolecules,
  }
}

export async function importFile(engine: Engine, path: string): Promise<ImportSummary> {
  const file = await fileRef(engine, path)
  const finished = await runJob(engine, 'imports.start', { file })
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  return finished.result as ImportSummary
}

export async function trainProduction(
  engine: Engine,
  input: Record<string, unknown>,
): Promise<TrainResult> {
  const started = await engine.invoke('models.train', {
    target: 'CHEMBL1978',
    types: ['IC50'],
    featureSet: 'core4',
    promote: true,
    reason: 'production model of the older data',
    ...input,
  })
  if (!started.ok) throw new Error(started.error.message)
  const finished = await waitForFinished(engine, started.value.jobId)
  if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
  return finished.result as TrainResult
}

/** A permissive policy: on, retrain at `newMeasurements` new values, promotion as asked. */
export function permissivePolicy(autoPromote: boolean, newMeasurements = 50) {
  return {
    enabled: true,
    triggers: {
      datasetDrift: true,
      performanceDegraded: true,
      newMeasurements,
      scheduleDays: null,
    },
    learner: 'same' as const,
    budgetSeconds: 60,
    autoPromote,
  }
}
