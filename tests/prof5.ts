import { writeRepeatedExport } from './bench/big-export'
import { AROMATASE } from './reference-csv'
import { readHead } from '../src-main/engine/import/read-table'
import { detectMapping } from '../src-main/chem/columns'
import { writeImport } from '../src-main/engine/import/write-import'
import { openDatabase } from '../src-main/engine/db/connection'
import { existsSync, rmSync } from 'node:fs'
const f = '/tmp/prof-1m.csv'
if (!existsSync(f)) await writeRepeatedExport(AROMATASE, f, 1000000)
const head = await readHead(f)
const mapping = detectMapping(head.header)
rmSync('/tmp/profdb', { recursive: true, force: true })
openDatabase('/tmp/profdb').close()
const t = performance.now()
let last = 0
const s = await writeImport(
  {
    dataDir: '/tmp/profdb',
    storedFile: 'imports/x.csv',
    filePath: f,
    fileName: 'x.csv',
    head,
    format: 'chembl-web',
    mapping,
    duplicate: 'import',
    molecules: null,
    rdkitVersion: null,
  },
  (p) => {
    if (p.rows >= 100000 * (last + 1)) {
      last++
      console.log(p.rows, ((performance.now() - t) / 1000).toFixed(1))
    }
  },
)
console.log('full', s.rowsTotal, ((performance.now() - t) / 1000).toFixed(2))
