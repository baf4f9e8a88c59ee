// npm run bench:search — similarity and substructure search over 100,000+ compounds (the real
// aromatase export's 3,443 molecules under new ids, imported with RDKit's fingerprints), with 1
// and 2 worker threads, next to RDKit's Python build over the same fingerprints and SMILES
// measured in the same run. Prints tables; asserts nothing.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { SearchResult } from '../../src-main/contract'
import { createEngine } from '../../src-main/engine/engine'
import { databasePath } from '../../src-main/engine/db/connection'
import { prepareQuery } from '../../src-main/engine/search/scan'
import { REPO_ROOT, fileRef, runJob, waitForFinished } from '../helpers'
import { table } from './table'

const COPIES = Number(process.env.BENCH_COPIES ?? 30)
const PYTHON = process.env.RDKIT_REFERENCE_PYTHON ?? '/usr/bin/python3'
const AROMATASE = join(REPO_ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv')

const SIMILARITY = [
  { smiles: 'N#Cc1ccc(C(c2ccc(C#N)cc2)n2cncn2)cc1', threshold: 0.7, label: 'letrozole, ≥ 0.7' },
  { smiles: 'N#Cc1ccc(C(c2ccc(C#N)cc2)n2cncn2)cc1', threshold: 0.3, label: 'letrozole, ≥ 0.3' },
]
const SUBSTRUCTURE = [
  { query: 'c1ncnn1', label: '1,2,4-triazole (SMARTS)' },
  { query: 'C(=O)O[CH3]', label: 'methyl ester (SMARTS)' },
]

/** The export `copies` times, each copy's molecules under ids of their own (new compounds). */
function bigFile(dir: string): string {
  const [header, ...rows] = readFileSync(AROMATASE, 'utf8').split('\n').filter(Boolean)
  const path = join(dir, 'aromatase-copies.csv')
  const out: string[] = [header as string]
  for (let k = 0; k < COPIES; k++)
    for (const row of rows) out.push(row.replace(/^"CHEMBL/, `"BENCH${k}-CHEMBL`))
  writeFileSync(path, `${out.join('\n')}\n`)
  return path
}

async function timeSearches(dataDir: string, workers: number) {
  const engine = createEngine({
    dataDir,
    host: 'cli',
    workerPath: join(REPO_ROOT, 'out/main/worker.js'),
    workerThreads: workers,
  })
  const run = async (method: 'search.similarity' | 'search.substructure', input: object) => {
    const t = performance.now()
    const started = await engine.invoke(method, input as never)
    if (!started.ok) throw new Error(started.error.message)
    const finished = await waitForFinished(engine, started.value.jobId)
    if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
    return { seconds: (performance.now() - t) / 1000, result: finished.result as SearchResult }
  }
  try {
    // warm the workers (thread start, RDKit's WebAssembly) so the times are the searches'
    await run('search.substructure', { query: 'C', target: 'none' })
    const similarity = []
    for (const { label: _, ...q } of SIMILARITY) similarity.push(await run('search.similarity', q))
    const substructure = []
    for (const { label: _, ...q } of SUBSTRUCTURE)
      substructure.push(await run('search.substructure', q))
    return { similarity, substructure }
  } finally {
    await engine.close()
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-search-'))
  const dataDir = join(dir, 'data')
  try {
    const file = bigFile(dir)
    const engine = createEngine({
      dataDir,
      host: 'cli',
      workerPath: join(REPO_ROOT, 'out/main/worker.js'),
    })
    console.log(
      `Importing ${COPIES} copies of the aromatase export (${(statSync(file).size / 1e6).toFixed(1)} MB)...`,
    )
    const t = performance.now()
    const imported = await runJob(engine, 'imports.start', {
      file: await fileRef(engine, file),
      computeDescriptors: true,
    })
    if (imported.state !== 'succeeded') throw new Error(imported.error?.message)
    const compounds = (
      engine.context.db.prepare('SELECT count(*) AS n FROM compounds').get() as { n: number }
    ).n
    console.log(
      `${compounds.toLocaleString('en')} compounds imported in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    )
    await engine.close()

    const one = await timeSearches(dataDir, 1)
    const two = await timeSearches(dataDir, 2)

    const fps = await Promise.all(
      SIMILARITY.map(async (q) => (await prepareQuery(q.smiles, 'smiles', true)).fp as Uint8Array),
    )
    const peer = spawnSync(PYTHON, [join(REPO_ROOT, 'tests/bench/search_peers.py')], {
      input: JSON.stringify({
        db: databasePath(dataDir),
        similarity: SIMILARITY.map((q, i) => ({
          fp: Buffer.from(fps[i] as Uint8Array).toString('hex'),
          threshold: q.threshold,
        })),
        substructure: SUBSTRUCTURE.map((q) => q.query),
      }),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
    const py =
      peer.status === 0
        ? (JSON.parse(peer.stdout) as {
            similarity: { seconds: number; hits: number }[]
            substructure: { seconds: number; hits: number }[]
          })
        : null
    if (!py) console.log(`Python RDKit peer did not run: ${peer.stderr || peer.error?.message}`)

    const rows: (string | number)[][] = []
    const add = (
      label: string,
      a: { seconds: number; result: SearchResult },
      b: { seconds: number; result: SearchResult },
      p: { seconds: number; hits: number } | undefined,
    ) =>
      rows.push([
        label,
        a.seconds.toFixed(2),
        b.seconds.toFixed(2),
        p ? p.seconds.toFixed(2) : '-',
        a.result.totalHits.toLocaleString('en'),
        p ? p.hits.toLocaleString('en') : '-',
        Math.round(b.result.scanned / b.seconds).toLocaleString('en'),
      ])
    SIMILARITY.forEach((q, i) =>
      add(
        `similarity: ${q.label}`,
        one.similarity[i] as never,
        two.similarity[i] as never,
        py?.similarity[i],
      ),
    )
    SUBSTRUCTURE.forEach((q, i) =>
      add(
        `substructure: ${q.label}`,
        one.substructure[i] as never,
        two.substructure[i] as never,
        py?.substructure[i],
      ),
    )
    table(
      `Structure search over ${compounds.toLocaleString('en')} compounds (whole job: query, scan, sort, details; Python: the same scan, one thread)`,
      [
        'search',
        '1 worker s',
        '2 workers s',
        'Python RDKit s',
        'hits',
        'Python hits',
        'molecules/s (2 workers)',
      ],
      rows,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
