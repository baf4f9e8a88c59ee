// The bundled synthetic sample and its baseline model, reproducibly.
//
//   node --import tsx build/scripts/sample-data.ts fit        fit the copula to ../shared/data (needs the files)
//   node --import tsx build/scripts/sample-data.ts generate   write resources/sample/*.csv from the copula and seed
//   node --import tsx build/scripts/sample-data.ts baseline   train models/baseline-core4-gbdt.{onnx,json} on it
//
// `generate` and `baseline` need only files in this repository and give the same bytes every time.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  generateSampleCsv,
  SAMPLE_SEED,
  type SampleCopula,
} from '../../src-main/engine/sample/generate'
import { trainBaseline } from '../../src-main/engine/sample/baseline'
import { createEngine } from '../../src-main/engine/engine'
import { buildTrainingSet } from '../../src-main/engine/models/training-set'
import { fitAdditive, fitCopula } from '../../src-main/ml/copula'
import type { ImportSummary } from '../../src-main/contract'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')
const COPULA = join(ROOT, 'resources/sample/copula.json')
const CSV = join(ROOT, 'resources/sample/chembl-synthetic-sample.csv')
const WORKER = join(ROOT, 'src-main/engine/workers/worker-entry.ts')

async function fit() {
  const file = join(ROOT, '../shared/data/chembl_aromatase_CHEMBL1978_export.csv')
  const dir = mkdtempSync(join(tmpdir(), 'assay-copula-'))
  const engine = createEngine({ dataDir: dir, host: 'cli', workerPath: WORKER })
  try {
    const started = await engine.invoke('imports.start', {
      file: { path: file, name: basename(file), size: statSync(file).size },
    })
    if (!started.ok) throw new Error(started.error.message)
    const { info, result } = await engine.context.jobs.wait(started.value.jobId)
    if (info.state !== 'succeeded') throw new Error(info.error?.message)
    void (result as ImportSummary)
    const set = buildTrainingSet(engine.context.db, { featureSet: 'core4' })
    const { n, f, x, y } = set.data
    const columns = Array.from({ length: f }, (_, j) =>
      Array.from({ length: n }, (_, i) => x[i * f + j] ?? NaN),
    )
    const copula = fitCopula(set.featureNames, columns)
    const potency = fitAdditive(columns, Array.from(y))
    const out: SampleCopula = {
      about:
        'Fitted to ChEMBL aromatase (CHEMBL1978) IC50 data, one row per compound (MW and AlogP from the ChEMBL export, HBA and HBD from RDKit, p-activity = median pIC50): a Gaussian copula of the four features, and p-activity as an additive step function of them plus normal noise with the real residual spread. It holds quantiles, correlations and bin effects only, no compound.',
      potency,
      rdkitVersion: set.summary.rdkitVersions.join(', '),
      compounds: n,
      ...copula,
    }
    writeFileSync(COPULA, `${JSON.stringify(out, null, 2)}\n`)
    console.log(`wrote ${COPULA} from ${n} compounds`)
  } finally {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main() {
  const what = process.argv[2]
  if (what === 'fit') return fit()
  if (what === 'generate') {
    const copula = JSON.parse(readFileSync(COPULA, 'utf8')) as SampleCopula
    writeFileSync(CSV, generateSampleCsv(copula, SAMPLE_SEED))
    return console.log(`wrote ${CSV}`)
  }
  if (what === 'baseline') {
    const written = await trainBaseline(ROOT, WORKER, join(ROOT, 'models'))
    return console.log(`wrote ${written.join(' and ')}`)
  }
  console.error('usage: sample-data.ts fit | generate | baseline')
  process.exitCode = 2
}

await main()
