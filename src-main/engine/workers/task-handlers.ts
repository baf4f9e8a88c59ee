import {
  canonicalSmiles,
  computeDescriptors,
  computeMolecule,
  depictSvg,
  loadRdkit,
  rdkitVersion,
  seedFromDescriptors,
} from '../../chem/rdkit'
import { sanitiseSvg } from '../../chem/svg-sanitise'
import { quickCheck } from '../db/quick-check'
import { prepareQuery, scanSimilarity, scanSubstructure } from '../search/scan'
import { previewFile } from '../import/preview'
import { readRecords } from '../import/read-table'
import { parseImport } from '../import/row-batches'
import { stageImport } from '../import/stage-import'
import { commitImport } from '../import/commit-import'
import type { TaskName, WorkerTasks } from './tasks'
import Database from 'better-sqlite3'
import { buildTrainingSet } from '../models/training-set'
import { finishModel, verifiedOnnx } from '../models/finish-model'
import { takeDataset, takeRows } from '../../ml/dataset'
import { fitLearner } from '../../ml/fit'
import { predict } from '../../ml/model'
import { nearestNeighbours } from '../../ml/drift/nearest-neighbours'
import { driftStatistics } from '../drift/drift-statistics'
import { domainChecker } from '../../ml/domain'
import { pairedRmseBootstrap } from '../../ml/bootstrap'
import { renderReportToFile } from '../reports/render-task'

type Handler<T extends TaskName> = (
  input: WorkerTasks[T]['input'],
  progress: (p: WorkerTasks[T]['progress']) => void,
) => Promise<WorkerTasks[T]['output']>

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Molecules between progress messages: often enough for a smooth bar, rare enough to cost nothing. */
const MOLECULE_PROGRESS_EVERY = 25
/** ... or this long, whichever comes first: large molecules take RDKit tens of milliseconds each. */
const MOLECULE_PROGRESS_MS = 100

/** What each task does inside a worker thread. */
export const taskHandlers: { [T in TaskName]: Handler<T> } = {
  seedDescriptors: async ({ smiles, delayMs }, progress) => {
    const rdkit = await loadRdkit()
    const molecules: WorkerTasks['seedDescriptors']['output']['molecules'] = []
    for (const [i, s] of smiles.entries()) {
      if (delayMs > 0) await sleep(delayMs)
      const descriptors = computeDescriptors(rdkit, s)
      molecules.push(
        descriptors
          ? { smiles: s, ...seedFromDescriptors(descriptors) }
          : { smiles: s, error: 'RDKit cannot read this SMILES' },
      )
      progress(i + 1)
    }
    return { rdkitVersion: rdkitVersion(rdkit), molecules }
  },

  computeMolecules: async ({ smiles }, progress) => {
    const rdkit = await loadRdkit()
    // 0 done as soon as RDKit is loaded (seconds on a first run): the bar then counts molecules
    // instead of standing at the previous phase's end.
    progress(0)
    let last = performance.now()
    const molecules = smiles.map((s, i) => {
      const molecule = computeMolecule(rdkit, s)
      const now = performance.now()
      if ((i + 1) % MOLECULE_PROGRESS_EVERY === 0 || now - last >= MOLECULE_PROGRESS_MS) {
        last = now
        progress(i + 1)
      }
      return molecule
    })
    progress(smiles.length)
    return { rdkitVersion: rdkitVersion(rdkit), molecules }
  },

  drawStructure: async ({ smiles, width, height }) => {
    const rdkit = await loadRdkit()
    const svg = depictSvg(rdkit, smiles, width, height)
    return { svg: svg === null ? null : sanitiseSvg(svg) }
  },

  canonicalSmiles: async ({ smiles }) => {
    const rdkit = await loadRdkit()
    return { canonical: smiles.map((s) => canonicalSmiles(rdkit, s)) }
  },

  previewFile: ({ path, name, delimiter }) => previewFile(path, name, delimiter),

  scanStructures: async ({ path, head, mapping }, progress) => {
    const column = mapping.smiles
    const unique = new Set<string>()
    let rows = 0
    let bytes = 0
    const records = readRecords(path, head, {
      onProgress: (p) => {
        bytes = p.bytes
      },
      columns: column === undefined ? [] : [column],
    })
    for await (const batch of records) {
      for (const record of batch) {
        rows++
        if (column === undefined || record.fields.length !== head.header.length) continue
        const s = record.fields[column]?.trim()
        if (s) unique.add(s)
      }
      progress({ bytes, rows })
    }
    return { smiles: [...unique] }
  },

  parseRows: async ({ port, ...input }) => {
    await parseImport(input, port)
    return null
  },

  stageRows: ({ port, ...input }, progress) => stageImport(input, port, progress),

  commitImport: async (input) => commitImport(input),

  quickCheck: ({ path }) => Promise.resolve(quickCheck(path)),

  buildTrainingSet: ({ path, definition }) => {
    const db = new Database(path, { readonly: true, fileMustExist: true })
    try {
      // an import's final step holds the write lock; readers in WAL mode are not blocked by it
      db.pragma('busy_timeout = 5000')
      return Promise.resolve(buildTrainingSet(db, definition))
    } finally {
      db.close()
    }
  },

  finishModel: (input) => finishModel(input),

  exportVerifiedOnnx: (input) => verifiedOnnx(input),

  readSearchQuery: ({ query, syntax, fingerprint }) => prepareQuery(query, syntax, fingerprint),

  scanSimilarity: async (input, progress) => scanSimilarity(input, progress),

  scanSubstructure: (input, progress) => scanSubstructure(input, progress),

  nearestNeighbourChunk: ({ query, training, bytes, start, end, leaveOneOut }, progress) => {
    const total = end - start
    let last = performance.now()
    const nn = nearestNeighbours(query, training, bytes, {
      start,
      end,
      leaveOneOut,
      // checked every 16 rows (a few ms against 10,000 training rows), sent every ~100 ms
      progressEvery: 16,
      onProgress: (done) => {
        const now = performance.now()
        if (now - last >= 100 || done === total) {
          last = now
          progress({ done, total })
        }
      },
    })
    return Promise.resolve({ start, end, similarity: nn.similarity, index: nn.index })
  },

  fitLearner: async (input, progress) => {
    const started = performance.now()
    const all = { n: input.n, f: input.f, x: input.x, y: input.y }
    const train = input.trainRows ? takeDataset(all, input.trainRows) : all
    let last = 0
    const fitted = fitLearner(input.learner, input.params, train, (p) => {
      // at most ~50 messages per fit
      if (p.trees === p.of || p.trees - last >= Math.max(1, p.of / 50)) {
        last = p.trees
        progress(p)
      }
    })
    const predictions = predict(fitted.model, takeRows(all, input.testRows))
    return {
      predictions,
      model: input.returnModel ? fitted.model : null,
      oob: input.returnModel ? fitted.oob : null,
      params: fitted.params,
      seconds: (performance.now() - started) / 1000,
    }
  },

  driftStatistics: async (input) => driftStatistics(input),

  countOutOfDomain: async ({ domain, x, n }) => {
    const check = domainChecker(domain)
    const c = domain.columns.length
    let outside = 0
    for (let i = 0; i < n; i++) if (!check(x.subarray(i * c, (i + 1) * c)).inDomain) outside++
    return { outside }
  },

  pairedRmseBootstrap: async ({ errorsA, errorsB, options }) =>
    pairedRmseBootstrap(errorsA, errorsB, options),

  renderReport: async ({ path, subject, meta, temp }, progress) =>
    renderReportToFile(path, subject, meta, temp, progress),
}
