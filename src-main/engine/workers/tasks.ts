import type { ImportPreview, ImportSummary, SelfTestMolecule } from '../../contract'
import type { MoleculeFeatures } from '../../chem/rdkit'
import type { MessagePort } from 'node:worker_threads'
import type { ParseImportInput } from '../import/row-batches'
import type { StageImportInput, StagedImport, WriteProgress } from '../import/stage-import'
import type { CommitImportInput } from '../import/commit-import'
import type { TableHead } from '../import/read-table'
import type { Mapping } from '../../chem/columns'
import type { LearnerName, LearnerParams } from '../../ml/fit'
import type { Model } from '../../ml/model'
import type { QuickCheckResult } from '../db/quick-check'
import type { TrainingSet, TrainingSetDefinition } from '../models/training-set'
import type { FinishInput, FinishedModel, VerifyInput, VerifiedOnnx } from '../models/finish-model'
import type { QuerySyntax, ScanCounts, ScanProgress, ScanRange } from '../search/scan'
import type { DriftStatisticsInput, DriftStatisticsOutput } from '../drift/drift-statistics'
import type { DomainModel } from '../../ml/domain'
import type { PairedRmseBootstrap } from '../../ml/bootstrap'
import type { ReportSubject } from '../../contract/reports'
import type { ReportMeta } from '../reports/document'
import type { RenderPhase, WrittenHtml } from '../reports/render-task'

/**
 * Every task a worker thread can run: its input, output and progress. Tasks are named as the
 * functions they are (`fitLearner`), never `feature.verb`: that form belongs to the contract's
 * methods, which a task is not. Inputs and outputs cross
 * threads by structured clone, so they hold plain data, Maps and typed arrays only.
 */
export interface WorkerTasks {
  /** RDKit seed descriptors for a few molecules, one progress tick per molecule. */
  seedDescriptors: {
    input: { smiles: string[]; delayMs: number }
    output: {
      rdkitVersion: string
      molecules: (SelfTestMolecule | { smiles: string; error: string })[]
    }
    progress: number
  }
  /** Full RDKit features for many SMILES (null where RDKit cannot read one). */
  computeMolecules: {
    input: { smiles: string[] }
    output: { rdkitVersion: string; molecules: (MoleculeFeatures | null)[] }
    progress: number
  }
  /**
   * A 2D depiction of one structure as SVG, drawn by RDKit and passed through the allow-list
   * sanitiser (null when RDKit cannot read the SMILES).
   */
  drawStructure: {
    input: { smiles: string; width: number; height: number }
    output: { svg: string | null }
    progress: never
  }
  /** RDKit's canonical SMILES of each structure (null where RDKit cannot read one). */
  canonicalSmiles: {
    input: { smiles: string[] }
    output: { canonical: (string | null)[] }
    progress: never
  }
  previewFile: {
    input: { path: string; name: string; delimiter?: ',' | ';' | '\t' }
    output: Omit<ImportPreview, 'previousImports'>
    progress: number
  }
  /** The distinct SMILES of a file's rows, for descriptor computation before writing. */
  scanStructures: {
    input: { path: string; head: TableHead; mapping: Mapping }
    output: { smiles: string[] }
    progress: { bytes: number; rows: number }
  }
  /** Reads, parses and normalises a file, sending row batches through `port` to 'stageRows'. */
  parseRows: {
    input: ParseImportInput & { port: MessagePort }
    output: null
    progress: never
  }
  /**
   * Fits a learner on some rows of a dataset and predicts others (one cross-validation fold, or
   * the final model when `testRows` is empty). `x` is best a SharedArrayBuffer view: every fold
   * reads the same features without a copy.
   */
  fitLearner: {
    input: {
      x: Float32Array
      y: Float64Array
      n: number
      f: number
      trainRows: Int32Array | null
      testRows: Int32Array
      learner: LearnerName
      params: LearnerParams
      returnModel: boolean
    }
    output: {
      predictions: Float64Array
      model: Model | null
      oob: Float64Array | null
      params: LearnerParams
      seconds: number
    }
    progress: { trees: number; of: number }
  }
  /**
   * Builds a training set through a read-only connection of the worker's own: seconds at a few
   * hundred thousand activities, which the engine thread must not spend. The features come back
   * in shared memory.
   */
  buildTrainingSet: {
    input: { path: string; definition: TrainingSetDefinition }
    output: TrainingSet
    progress: never
  }
  /**
   * What follows the final fit: the interval, the applicability domain, the reference data, the
   * feature importance, the ONNX export and ONNX Runtime's check of it on every training row.
   */
  finishModel: {
    input: FinishInput
    output: FinishedModel
    progress: never
  }
  /** Exports a model to ONNX under other metadata and checks the bytes again with ONNX Runtime. */
  exportVerifiedOnnx: {
    input: VerifyInput
    output: VerifiedOnnx
    progress: never
  }
  /** Reads a search query with RDKit: its canonical form and (for similarity) its fingerprint. */
  readSearchQuery: {
    input: { query: string; syntax: QuerySyntax; fingerprint: boolean }
    output: { canonical: string; fp: Uint8Array | null }
    progress: never
  }
  /** Tanimoto of a query fingerprint to the stored fingerprints of one range of compounds. */
  scanSimilarity: {
    input: ScanRange & { fp: Uint8Array; threshold: number }
    output: ScanCounts & { ids: Int32Array; similarities: Float64Array }
    progress: ScanProgress
  }
  /** RDKit substructure matching of a query against the stored SMILES of one range of compounds. */
  scanSubstructure: {
    input: ScanRange & { query: string; syntax: QuerySyntax }
    output: ScanCounts & { ids: Int32Array }
    progress: ScanProgress
  }
  /**
   * Each query fingerprint's most similar training fingerprint (Tanimoto), for query rows `start`
   * to `end` (exclusive): one worker's share of a drift check's chemical-space comparison.
   * Fingerprints are packed, `bytes` a row (256 for Morgan 2048 bits); best passed as views of a
   * SharedArrayBuffer, so every worker reads the same training set without a copy. With
   * `leaveOneOut`, query and training are the same set and a row is not its own neighbour.
   * Progress: query rows of the range done.
   */
  nearestNeighbourChunk: {
    input: {
      query: Uint8Array
      training: Uint8Array
      bytes: number
      start: number
      end: number
      leaveOneOut: boolean
    }
    output: { start: number; end: number; similarity: Float64Array; index: Int32Array }
    progress: { done: number; total: number }
  }
  /** SQLite's quick_check of a database file through a read-only connection of the worker's own. */
  quickCheck: {
    input: { path: string }
    output: QuickCheckResult
    progress: never
  }
  /** Writes the batches arriving on `port` into the import's staging database. */
  stageRows: {
    input: StageImportInput & { port: MessagePort }
    output: StagedImport
    progress: WriteProgress
  }
  /** Moves a staging database into the main database in one transaction: an import's last step. */
  commitImport: {
    input: CommitImportInput
    output: ImportSummary
    progress: never
  }
  /** A drift check's statistics: every feature's test, PSI and histogram, and the predictions'. */
  driftStatistics: {
    input: DriftStatisticsInput
    output: DriftStatisticsOutput
    progress: never
  }
  /**
   * How many of `n` rows fall outside a model's applicability domain. `x` holds only the columns
   * the domain uses, row-major, and `domain.columns` numbers them 0, 1, ... in that order.
   */
  countOutOfDomain: {
    input: { domain: DomainModel; x: Float32Array; n: number }
    output: { outside: number }
    progress: never
  }
  /**
   * The paired bootstrap of a retraining comparison: 2,000 resamples of as many rows as there are
   * new compounds (about 3 s at 100,000), so never on the engine's thread.
   */
  pairedRmseBootstrap: {
    input: {
      errorsA: Float64Array
      errorsB: Float64Array
      options: { resamples: number; seed: number; level: number }
    }
    output: PairedRmseBootstrap
    progress: never
  }
  /**
   * Gathers and renders one report through a read-only connection of the worker's own (a
   * 100,000-row batch takes seconds) and writes it to the temporary file `temp` in `reports/`;
   * the generation time and app version come with the input.
   */
  renderReport: {
    input: { path: string; subject: ReportSubject; meta: ReportMeta; temp: string }
    output: WrittenHtml
    progress: RenderPhase
  }
}

export type TaskName = keyof WorkerTasks

/** Messages from the pool to a worker. */
export interface RunMessage {
  type: 'run'
  taskId: number
  task: TaskName
  input: unknown
}

/** Messages from a worker to the pool. */
export type WorkerMessage =
  | { type: 'progress'; taskId: number; progress: unknown }
  | { type: 'result'; taskId: number; value: unknown }
  | { type: 'error'; taskId: number; message: string; code?: string; details?: unknown }
