import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { trainBaseline } from '../../src-main/engine/sample/baseline'
import {
  SAMPLE_SEED,
  type SampleCopula,
  generateSampleCsv,
} from '../../src-main/engine/sample/generate'
import { BASELINE_CARD, BASELINE_ONNX, SAMPLE_FILE } from '../../src-main/engine/sample/sample'
import { REPO_ROOT, WORKER_SOURCE, tempDir } from '../helpers'
import { readTable } from '../reference-csv'

const read = (path: string) => readFileSync(join(REPO_ROOT, path))

describe('the bundled sample and baseline model', () => {
  it('regenerates the sample file byte for byte from the copula and seed', () => {
    const copula = JSON.parse(read('resources/sample/copula.json').toString()) as SampleCopula
    expect(generateSampleCsv(copula, SAMPLE_SEED)).toBe(read(SAMPLE_FILE).toString())
  })

  it('marks every row of the sample as synthetic', () => {
    const { rows } = readTable(join(REPO_ROOT, SAMPLE_FILE), ';')
    expect(rows.every((r) => r['Molecule ChEMBL ID']!.startsWith('SYNTH-'))).toBe(true)
    expect(rows.every((r) => r.Comment!.startsWith('SYNTHETIC'))).toBe(true)
  })

  it('has the real data’s spread: the copula keeps each feature’s quantiles', () => {
    const { rows } = readTable(join(REPO_ROOT, SAMPLE_FILE), ';')
    const copula = JSON.parse(read('resources/sample/copula.json').toString()) as SampleCopula
    const mw = rows.map((r) => Number(r['Molecular Weight'])).sort((a, b) => a - b)
    const median = mw[Math.floor(mw.length / 2)]!
    const q = copula.quantiles[copula.variables.indexOf('mw_freebase')]!
    // the fitted median is q[50]; 2,500 draws land within a few percent of it
    expect(Math.abs(median - q[50]!) / q[50]!).toBeLessThan(0.05)
  })

  it('retrains the baseline model bit for bit', async () => {
    const dir = tempDir()
    try {
      const [onnx, card] = await trainBaseline(REPO_ROOT, WORKER_SOURCE, dir.path)
      expect(Buffer.compare(readFileSync(onnx!), read(BASELINE_ONNX))).toBe(0)
      const fresh = JSON.parse(readFileSync(card!, 'utf8'))
      const shipped = JSON.parse(read(BASELINE_CARD).toString())
      // only the moment of training differs
      delete fresh.lineage.createdAt
      delete shipped.lineage.createdAt
      expect(fresh).toEqual(shipped)
    } finally {
      dir.remove()
    }
  }, 120_000)
})
