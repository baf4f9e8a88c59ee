import { performance } from 'node:perf_hooks'
import type { SelfTestMolecule, SelfTestResult } from '../../contract'
import { WorkbenchError } from '../../contract'
import type { HandlerGroup } from '../context'
import { databasePath, schemaVersion } from '../db/connection'
import { splitEvenly } from '../workers/split-evenly'
import { rdkitVersionString } from '../../chem/rdkit-version'
import { appVersion, packageVersion } from './versions'

/** Molecules with hand-checkable descriptors: small, common, and covering donors and acceptors. */
export const SELF_TEST_MOLECULES: { name: string; smiles: string }[] = [
  { name: 'Ethanol', smiles: 'CCO' },
  { name: 'Aspirin', smiles: 'CC(=O)Oc1ccccc1C(=O)O' },
  { name: 'Caffeine', smiles: 'CN1C=NC2=C1C(=O)N(C(=O)N2C)C' },
  { name: 'Ibuprofen', smiles: 'CC(C)Cc1ccc(cc1)C(C)C(=O)O' },
  { name: 'Benzene', smiles: 'c1ccccc1' },
  { name: 'Glucose', smiles: 'OC[C@H]1OC(O)[C@H](O)[C@@H](O)[C@@H]1O' },
  { name: 'Sulfanilamide', smiles: 'Nc1ccc(cc1)S(N)(=O)=O' },
  { name: 'Paracetamol', smiles: 'CC(=O)Nc1ccc(O)cc1' },
]

export const appHandlers: HandlerGroup<'app.status' | 'app.selfTest'> = {
  'app.status': (_input, ctx) => ({
    appVersion: appVersion(),
    versions: {
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      sqlite: (ctx.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
      // npm writes the package's version without the month's leading zero (2026.9.1)
      rdkit: rdkitVersionString(packageVersion('@rdkit/rdkit')),
      onnxruntime: packageVersion('onnxruntime-node') ?? 'unknown',
    },
    host: ctx.options.host,
    dataDir: ctx.options.dataDir,
    databasePath: databasePath(ctx.options.dataDir),
    schemaVersion: schemaVersion(ctx.db),
    engineStartedAt: ctx.startedAt.toISOString(),
    engineUptimeSeconds: (Date.now() - ctx.startedAt.getTime()) / 1000,
    workerThreads: ctx.pool.size,
  }),

  'app.selfTest': (input, ctx) => {
    const smiles = input.smiles ?? SELF_TEST_MOLECULES.map((m) => m.smiles)
    const delayMs = input.delayMs ?? 0
    return ctx.jobs.start('app.selfTest', async (job): Promise<SelfTestResult> => {
      const started = performance.now()
      // One chunk per worker so both cores share the work.
      const chunks = splitEvenly(smiles, ctx.pool.size)
      const done = chunks.map(() => 0)
      const report = () => {
        const total = done.reduce((a, b) => a + b, 0)
        job.progress({
          phase: 'computing descriptors',
          fraction: total / smiles.length,
          rows: total,
        })
      }
      job.progress({ phase: 'starting workers', fraction: 0, rows: 0 })
      const results = await Promise.all(
        chunks.map((chunk, i) =>
          ctx.pool.run(
            'seedDescriptors',
            { smiles: chunk, delayMs },
            {
              signal: job.signal,
              onProgress: (n) => {
                done[i] = n
                report()
              },
            },
          ),
        ),
      )
      const molecules: SelfTestMolecule[] = []
      for (const result of results) {
        for (const m of result.molecules) {
          if ('error' in m)
            throw new WorkbenchError('invalid-input', `RDKit cannot read the SMILES ${m.smiles}.`)
          const name = SELF_TEST_MOLECULES.find((known) => known.smiles === m.smiles)?.name
          molecules.push(name ? { ...m, name } : m)
        }
      }
      return {
        rdkitVersion: results[0]?.rdkitVersion ?? 'unknown',
        molecules,
        workersUsed: chunks.length,
        seconds: (performance.now() - started) / 1000,
      }
    })
  },
}
