import type { JobStarted, StandardiseResult } from '../../contract'
import type { MoleculeFeatures } from '../../chem/rdkit'
import type { EngineContext } from '../context'
import { writeTransaction } from '../db/write-transaction'
import { rdkitSeed } from '../import/compound-store'
import { splitEvenly } from '../workers/split-evenly'

/** Compounds per round: a short write transaction, and progress every second or so. */
const CHUNK = 400

const PENDING = `FROM compounds
  WHERE smiles IS NOT NULL AND standardised_smiles IS NULL AND standardisation_json IS NULL`

/** How many stored compounds still lack a standardised parent. */
export function unstandardisedCount(ctx: Pick<EngineContext, 'db'>): number {
  return ctx.db.prepare(`SELECT count(*) ${PENDING}`).pluck().get() as number
}

/**
 * Fills migration 010's columns for compounds stored before it, on the worker threads, in short
 * transactions: each round's compounds are written together or not at all, and a cancelled or
 * interrupted run resumes where it stopped on the next open. Only empty columns are written, so
 * nothing stored before (the file's values, descriptors old models use) changes.
 */
export function startStandardiseJob(ctx: EngineContext): JobStarted {
  // One at a time: a second request joins the running one instead of computing everything twice.
  const running = ctx.jobs
    .list()
    .find((j) => j.kind === 'compounds.standardise' && j.state === 'running')
  if (running) return { jobId: running.id }
  return ctx.jobs.start('compounds.standardise', async (job): Promise<StandardiseResult> => {
    const total = unstandardisedCount(ctx)
    const result: StandardiseResult = { compounds: 0, changed: 0, unreadable: 0 }
    const next = ctx.db.prepare(`SELECT id, smiles ${PENDING} AND id > ? ORDER BY id LIMIT ?`)
    const write = ctx.db.prepare(
      `UPDATE compounds SET standardised_smiles = @parent, standardisation_json = @changes,
              rdkit_seed_json = @seed, descriptors_2d_json = @d2
        WHERE id = @id AND standardised_smiles IS NULL AND standardisation_json IS NULL`,
    )
    job.progress({ phase: 'standardising compounds', fraction: 0, rows: 0 })
    let after = 0
    for (;;) {
      const rows = next.all(after, CHUNK) as { id: number; smiles: string }[]
      if (rows.length === 0) break
      after = rows[rows.length - 1]?.id ?? after
      const chunks = splitEvenly(rows, ctx.pool.size)
      const parts = await Promise.all(
        chunks.map((c) =>
          ctx.pool.run(
            'computeMolecules',
            { smiles: c.map((r) => r.smiles) },
            { signal: job.signal },
          ),
        ),
      )
      const molecules: (MoleculeFeatures | null)[] = parts.flatMap((p) => p.molecules)
      await writeTransaction(ctx.db, () => {
        rows.forEach((r, i) => {
          const m = molecules[i] ?? null
          if (!m) result.unreadable++
          else if (m.standardisation.length > 0) result.changed++
          write.run({
            id: r.id,
            parent: m ? m.standardisedSmiles : null,
            changes: JSON.stringify(
              m ? m.standardisation : { error: 'RDKit cannot read this SMILES' },
            ),
            seed: m ? JSON.stringify(rdkitSeed(m.seed)) : null,
            d2: m ? JSON.stringify(m.descriptors2d) : null,
          })
        })
      })
      result.compounds += rows.length
      job.progress({
        phase: 'standardising compounds',
        fraction: result.compounds / Math.max(1, total),
        rows: result.compounds,
        message: `${result.compounds.toLocaleString('en')} of ${total.toLocaleString('en')} compounds standardised`,
      })
    }
    return result
  })
}
