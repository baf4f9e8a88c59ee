// npm run bench:import — the import pipeline against the sqlite3 CLI's .import, measured in the
// same run on the same generated file, and RDKit descriptor throughput against a single thread
// (and Debian's Python RDKit, when installed). Prints tables; asserts nothing.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CsvParser } from '../../src-main/chem/csv-parser'
import { WorkerPool } from '../../src-main/engine/workers/pool'
import { splitEvenly } from '../../src-main/engine/workers/split-evenly'
import { REPO_ROOT } from '../helpers'
import { ACHE, AROMATASE } from '../reference-csv'
import { writeRepeatedExport } from './big-export'
import { table } from './table'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CLI = join(REPO_ROOT, 'out/main/cli.js')
const WORKER = join(REPO_ROOT, 'out/main/worker.js')

/** Peak resident memory of a process (VmHWM covers every thread), polled from /proc. */
function peakRssMb(pid: number, peak: { mb: number }): NodeJS.Timeout {
  return setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (m) peak.mb = Math.max(peak.mb, Number(m[1]) / 1024)
    } catch {
      // the process has ended
    }
  }, 50)
}

async function timeChild(
  command: string,
  args: string[],
): Promise<{ seconds: number; peakMb: number; stdout: string }> {
  const started = performance.now()
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const peak = { mb: 0 }
  const timer = peakRssMb(child.pid as number, peak)
  let stdout = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  const code = await new Promise<number | null>((r) => child.on('exit', r))
  clearInterval(timer)
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`)
  return { seconds: (performance.now() - started) / 1000, peakMb: peak.mb, stdout }
}

async function importBench(dir: string) {
  const file = join(dir, `chembl-web-${ROWS}.csv`)
  console.log(
    `Writing ${ROWS.toLocaleString('en')} rows in the web-export format by repeating the aromatase export…`,
  )
  const bytes = await writeRepeatedExport(AROMATASE, file, ROWS)
  console.log(`${file}: ${(bytes / 1024 ** 2).toFixed(0)} MB`)
  // Same start for both contenders: the new file flushed to disk and read once into the page
  // cache, so neither pays for the other's writeback.
  spawnSync('sync')
  await new Promise<void>((resolve, reject) =>
    createReadStream(file)
      .on('data', () => undefined)
      .on('end', resolve)
      .on('error', reject),
  )

  // Alternating rounds, each contender on a fresh database, so neither always runs first (right
  // after the file was written) or always second; each is reported by its median round.
  const sqlite3 = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' })
  const havePeer = sqlite3.status === 0
  const oursRuns: Awaited<ReturnType<typeof timeChild>>[] = []
  const peerRuns: Awaited<ReturnType<typeof timeChild>>[] = []
  let peerRows = 0
  for (let round = 0; round < ROUNDS; round++) {
    const dataDir = join(dir, `workbench-${round}`)
    oursRuns.push(
      await timeChild(process.execPath, [
        CLI,
        'import',
        file,
        '--no-descriptors',
        '--json',
        '--data-dir',
        dataDir,
      ]),
    )
    rmSync(dataDir, { recursive: true, force: true })
    if (!havePeer) continue
    const peerDb = join(dir, `peer-${round}.sqlite`)
    peerRuns.push(
      await timeChild('sqlite3', [
        '-cmd',
        '.mode csv',
        '-cmd',
        '.separator ;',
        peerDb,
        `.import ${file} t`,
      ]),
    )
    peerRows = Number(
      execFileSync('sqlite3', [peerDb, 'SELECT count(*) FROM t'], { encoding: 'utf8' }).trim(),
    )
    rmSync(peerDb, { force: true })
  }
  const median = (runs: { seconds: number }[]) =>
    [...runs].sort((a, b) => a.seconds - b.seconds)[
      Math.floor(runs.length / 2)
    ] as (typeof runs)[number]
  const rounds = (runs: { seconds: number }[]) => runs.map((r) => r.seconds.toFixed(2)).join(', ')
  const ours = median(oursRuns) as (typeof oursRuns)[number]
  const summary = JSON.parse(ours.stdout.trim().split('\n').at(-1) as string) as {
    rowsTotal: number
    rowsAccepted: number
    rowsRejected: number
  }
  const ourRate = ROWS / ours.seconds
  const rows: (string | number)[][] = [
    [
      'assay import (parse, validate, normalise, insert)',
      ROWS,
      ours.seconds.toFixed(2),
      rounds(oursRuns),
      Math.round(ourRate),
      Math.max(...oursRuns.map((r) => r.peakMb)).toFixed(0),
      '',
    ],
  ]
  let verdict = 'no peer measured (apt-get install sqlite3)'
  if (havePeer) {
    const peer = median(peerRuns)
    const peerRate = peerRows / peer.seconds
    const ratio = ourRate / peerRate
    rows[0]![6] = `${ratio.toFixed(2)}x`
    rows.push([
      `sqlite3 CLI .import (${sqlite3.stdout.split(' ')[0]}, text columns only)`,
      peerRows,
      peer.seconds.toFixed(2),
      rounds(peerRuns),
      Math.round(peerRate),
      Math.max(...peerRuns.map((r) => r.peakMb)).toFixed(0),
      '1.00x',
    ])
    verdict = `${ratio.toFixed(2)}x the sqlite3 CLI's rows/s (target: at least 2x) — ${ratio >= 2 ? 'met' : 'NOT met'}`
  }
  const peakMb = Math.max(...oursRuns.map((r) => r.peakMb))
  const title = `Import of ${(bytes / 1024 ** 2).toFixed(0)} MB, ${ROWS} rows (descriptors off); accepted ${summary.rowsAccepted}, rejected ${summary.rowsRejected}`
  table(
    title,
    ['', 'rows', 'median s', 'each round, s', 'rows/s', 'peak RSS MB', 'rows/s vs sqlite3'],
    rows,
  )
  console.log(
    `Speed: ${verdict}. Memory: peak ${peakMb.toFixed(0)} MB (target: under 500 MB) — ${peakMb < 500 ? 'met' : 'NOT met'}.`,
  )
  rmSync(file, { force: true })
}

function uniqueSmiles(file: string, delimiter: string, column: string): string[] {
  const records = new CsvParser(delimiter).push(`${readFileSync(file, 'utf8')}\n`)
  const at = records[0]?.fields.indexOf(column) ?? -1
  return [
    ...new Set(
      records
        .slice(1)
        .map((r) => r.fields[at] ?? '')
        .filter(Boolean),
    ),
  ]
}

/** Molecules each worker computes before a warm measurement (from the other data file). */
const WARM_UP_MOLECULES = 500

async function descriptorBench() {
  const smiles = uniqueSmiles(AROMATASE, ';', 'Smiles')
  const warmUp = uniqueSmiles(ACHE, ',', 'canonical_smiles')
  /**
   * Cold: workers that have just loaded RDKit, as for the first import after the app starts;
   * V8 then still runs RDKit's WebAssembly through its baseline compiler and optimises the hot
   * functions in the background, on the same two cores. Warm: workers that have already computed
   * other molecules (here 500 each from the AChE file), as the engine's long-lived workers are
   * for every later import.
   */
  const run = async (threads: number, warm: boolean) => {
    const pool = new WorkerPool(WORKER, threads)
    await Promise.all(
      splitEvenly(
        warm ? warmUp.slice(0, WARM_UP_MOLECULES * threads) : ['CCO', 'CCN'],
        threads,
      ).map((chunk) => pool.run('computeMolecules', { smiles: chunk })),
    )
    const started = performance.now()
    await Promise.all(
      splitEvenly(smiles, threads).map((chunk) => pool.run('computeMolecules', { smiles: chunk })),
    )
    const seconds = (performance.now() - started) / 1000
    await pool.close()
    return seconds
  }
  // first, while no thread of this process has run RDKit yet (V8 shares compiled code between them)
  const cold = await run(2, false)
  const one = await run(1, true)
  const two = await run(2, true)
  const line = (label: string, seconds: number, ratio: string) => [
    label,
    smiles.length,
    seconds.toFixed(2),
    Math.round(smiles.length / seconds),
    ratio,
  ]
  const rows: (string | number)[][] = [
    line('@rdkit/rdkit, 2 warm worker threads', two, (one / two).toFixed(2)),
    line('@rdkit/rdkit, 1 warm worker thread', one, '1.00'),
    line('@rdkit/rdkit, 2 worker threads, first use', cold, '-'),
  ]
  const python = '/usr/bin/python3'
  if (
    existsSync(python) &&
    spawnSync(python, ['-c', 'import rdkit'], { encoding: 'utf8' }).status === 0
  ) {
    const script = `
import sys, time, json
from rdkit import Chem, RDLogger
from rdkit.Chem import rdMolDescriptors, AllChem
RDLogger.DisableLog('rdApp.*')
smiles = json.load(sys.stdin)
props = rdMolDescriptors.Properties()
t = time.perf_counter()
for s in smiles:
    m = Chem.MolFromSmiles(s)
    if m is None: continue
    props.ComputeProperties(m)
    AllChem.GetMorganFingerprintAsBitVect(m, 2, nBits=2048)
    Chem.MolToSmiles(m)
print(time.perf_counter() - t)`
    const out = spawnSync(python, ['-c', script], {
      input: JSON.stringify(smiles),
      encoding: 'utf8',
    })
    const seconds = Number(out.stdout.trim())
    const version = spawnSync(python, ['-c', 'import rdkit; print(rdkit.__version__)'], {
      encoding: 'utf8',
    }).stdout.trim()
    rows.push([
      `Python RDKit ${version} (Debian), 1 thread`,
      smiles.length,
      seconds.toFixed(2),
      Math.round(smiles.length / seconds),
      (one / seconds).toFixed(2),
    ])
  } else
    rows.push([
      'Python RDKit not installed (apt-get install python3-rdkit): no peer',
      '',
      '',
      '',
      '',
    ])
  table(
    'RDKit features per molecule: descriptor set + Morgan fingerprint (r=2, 2048 bits) + canonical SMILES, aromatase export molecules',
    ['', 'molecules', 'seconds', 'molecules/s', 'vs 1 thread'],
    rows,
  )
  const perSecond = smiles.length / two
  console.log(
    `Target: at least 1,000 molecules/s with both cores — ${perSecond >= 1000 ? 'met' : 'NOT met'} with warm workers (${Math.round(perSecond)}/s, ${(one / two).toFixed(2)}x one thread); ${Math.round(smiles.length / cold)}/s on first use after a start.`,
  )
}

const dir = mkdtempSync(join(tmpdir(), 'assay-bench-'))
try {
  if (!existsSync(CLI)) throw new Error('Build first: npm run build')
  if (!process.env.BENCH_SKIP_IMPORT) await importBench(dir)
  await descriptorBench()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
