import { readHead } from '../src-main/engine/import/read-table'
import { detectMapping } from '../src-main/chem/columns'
import { writeImport } from '../src-main/engine/import/write-import'
import { openDatabase, databasePath } from '../src-main/engine/db/connection'
import { rmSync } from 'node:fs'
const f = '/tmp/prof-100k.csv'
const head = await readHead(f)
const mapping = detectMapping(head.header)
rmSync('/tmp/profdb', { recursive: true, force: true })
openDatabase('/tmp/profdb').close()
const t = performance.now()
const s = await writeImport(
  {
    dataDir: '/tmp/profdb',
    storedFile: 'imports/x.csv',
    filePath: f,
    fileName: 'x',
    head,
    format: 'chembl-web',
    mapping,
    duplicate: 'import',
    molecules: null,
    rdkitVersion: null,
  },
  () => {},
)
console.log('full', s.rowsTotal, ((performance.now() - t) / 1000).toFixed(2))
