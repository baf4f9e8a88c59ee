// node --import tsx tests/bench/overlap-bench.ts — what checking for rows already present costs:
// a big web-export file (the aromatase export repeated) imported into an empty data folder, then
// the same file imported again on purpose (every row already present). Prints a table; asserts
// nothing. BENCH_ROWS sets the size (default 300,000).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ImportSummary } from '../../src-main/contract'
import { fileRef, runJob, startTestEngine } from '../helpers'
import { AROMATASE } from '../reference-csv'
import { writeRepeatedExport } from './big-export'
import { table } from './table'

const ROWS = Number(process.env.BENCH_ROWS ?? 300_000)

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'overlap-bench-'))
  try {
    const file = join(dir, 'big.csv')
    await writeRepeatedExport(AROMATASE, file, ROWS)
    const engine = startTestEngine(join(dir, 'data'))
    const rows: (string | number)[][] = []
    try {
      for (const [label, duplicate] of [
        ['into an empty folder', 'skip'],
        ['the same file again', 'import'],
      ] as const) {
        const finished = await runJob(engine, 'imports.start', {
          file: await fileRef(engine, file),
          computeDescriptors: false,
          duplicate,
        })
        if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
        const s = finished.result as ImportSummary
        const stored = engine.context.db
          .prepare('SELECT count(*) AS n FROM activity_records')
          .get() as { n: number }
        rows.push([
          label,
          s.rowsTotal,
          s.activities,
          s.alreadyPresent ?? '-',
          stored.n,
          s.seconds.toFixed(2),
        ])
      }
    } finally {
      await engine.close()
    }
    table(
      `Import of ${ROWS.toLocaleString('en')} rows twice (descriptors off)`,
      ['', 'rows', 'added', 'already present', 'activities stored', 'seconds'],
      rows,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

void main()
