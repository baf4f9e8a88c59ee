// npm run bench:predict — 100,000 compounds already in the database scored and stored as one
// batch (no descriptor computation), next to ONNX Runtime alone on the same matrix and the
// sqlite3 CLI importing the same predictions as CSV. Prints tables; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { BatchSummary } from '../../src-main/contract'
import { createEngine } from '../../src-main/engine/engine'
import {
  SAMPLE_SEED,
  type SampleCopula,
  generateSampleCsv,
} from '../../src-main/engine/sample/generate'
import { seedSampleIfEmpty } from '../../src-main/engine/sample/sample'
import { scoreOnce } from '../../src-main/ml/runtime'
import { REPO_ROOT, fileRef, runJob, waitForFinished } from '../helpers'
import { table } from './table'

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-predict-'))
  const engine = createEngine({
    dataDir: join(dir, 'data'),
    host: 'cli',
    workerPath: join(REPO_ROOT, 'out/main/worker.js'),
  })
  try {
    await seedSampleIfEmpty(engine.context, REPO_ROOT)
    const copula = JSON.parse(
      readFileSync(join(REPO_ROOT, 'resources/sample/copula.json'), 'utf8'),
    ) as SampleCopula
    const file = join(dir, 'compounds.csv')
    // more synthetic compounds, with ids of their own so every row is a new compound
    writeFileSync(
      file,
      generateSampleCsv(copula, SAMPLE_SEED + 1, ROWS).replace(/"SYNTH-/g, '"BENCH-'),
    )
    console.log(
      `Importing ${ROWS.toLocaleString('en')} synthetic compounds (${(statSync(file).size / 1e6).toFixed(1)} MB)...`,
    )
    const imported = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, file),
      computeDescriptors: false,
    })
    if (imported.state !== 'succeeded') throw new Error(imported.error?.message)
    const importId = (imported.result as { importId: number }).importId

    const started = performance.now()
    const job = await engine.invoke('predictions.batch', { database: { importId } })
    if (!job.ok) throw new Error(job.error.message)
    const finished = await waitForFinished(engine, job.value.jobId)
    const seconds = (performance.now() - started) / 1000
    if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
    const s = finished.result as BatchSummary

    // peers: ONNX Runtime alone on the same features, and sqlite3 importing the same rows
    const rows = engine.context.db
      .prepare(
        'SELECT c.mw_freebase, c.alogp, c.hba, c.hbd FROM compounds c WHERE c.id IN (SELECT compound_id FROM activities WHERE import_id = ?)',
      )
      .raw()
      .all(importId) as number[][]
    const x = Float32Array.from(rows.flat())
    const onnx = readFileSync(join(REPO_ROOT, 'models/baseline-core4-gbdt.onnx'))
    let t = performance.now()
    await scoreOnce(onnx, { n: rows.length, f: 4, x })
    const ortSeconds = (performance.now() - t) / 1000
    const csv = await engine.invoke('predictions.csv', { batchId: s.batchId })
    if (!csv.ok) throw new Error(csv.error.message)
    const csvPath = join(dir, 'predictions.csv')
    writeFileSync(csvPath, csv.value.csv)
    let sqliteSeconds: number | null = null
    if (spawnSync('sqlite3', ['--version']).status === 0) {
      t = performance.now()
      execFileSync('sqlite3', [
        '-cmd',
        '.mode csv',
        join(dir, 'peer.sqlite'),
        `.import ${csvPath} p`,
      ])
      sqliteSeconds = (performance.now() - t) / 1000
    }
    table(
      `${ROWS.toLocaleString('en')} database compounds scored and stored (target: under 2 s)`,
      ['who', 'seconds', 'rows/s'],
      [
        [
          'assay predictions.batch (read, score, domain, store)',
          seconds.toFixed(2),
          Math.round(s.rowsScored / seconds).toLocaleString('en'),
        ],
        [
          '  ONNX Runtime alone on the same matrix',
          ortSeconds.toFixed(2),
          Math.round(rows.length / ortSeconds).toLocaleString('en'),
        ],
        [
          '  sqlite3 CLI .import of the same predictions (CSV)',
          sqliteSeconds === null ? 'not installed' : sqliteSeconds.toFixed(2),
          sqliteSeconds === null
            ? '-'
            : Math.round(rows.length / sqliteSeconds).toLocaleString('en'),
        ],
      ],
    )
    console.log(
      `\nscored ${s.rowsScored.toLocaleString('en')}, not scored ${s.rowsFailed}, inside the domain ${s.inDomain.toLocaleString('en')}`,
    )
  } finally {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
