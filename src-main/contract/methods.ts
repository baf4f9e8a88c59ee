import { z } from 'zod'
import {
  type ActivityRow,
  type CompoundRow,
  type Facets,
  type Histogram,
  activityFilterSchema,
  dataActivitiesInput,
  dataCompoundsInput,
} from './data'
import {
  type ImportPreview,
  type ImportRecord,
  type ImportSummary,
  type RejectionRow,
  importsPreviewInput,
  importsRejectionsInput,
  importsStartInput,
} from './imports'
import type { JobCancelResult, JobInfo, JobStarted } from './jobs'
import {
  type ModelBundle,
  type ModelDetail,
  type ModelImportResult,
  type ModelSummary,
  type RollbackResult,
  type RunRecord,
  type TargetSummary,
  type TrainResult,
  type TrainingSetSummary,
  modelsImportInput,
  modelsRollbackInput,
  modelsRunsInput,
  modelsPromoteInput,
  modelsStageInput,
  modelsTrainInput,
  modelsVersionInput,
  trainingSetInput,
} from './models'
import { type Settings, settingsSetInput } from './settings'
import {
  type CompoundDetail,
  type Depiction,
  type StandardiseResult,
  compoundsDepictInput,
  compoundsGetInput,
} from './compounds'
import {
  type BackupInfo,
  type DatabaseCheck,
  type DatabaseStatus,
  type RestoreResult,
  backupsRestoreInput,
} from './database'
import {
  type BatchFileCheck,
  type BatchSummary,
  type PredictionRow,
  type PredictionsCsv,
  type SinglePrediction,
  predictionsBatchIdInput,
  predictionsBatchInput,
  predictionsCheckFileInput,
  predictionsCsvInput,
  predictionsRowsInput,
  predictionsSingleInput,
} from './predictions'
import { type SearchResult, searchSimilarityInput, searchSubstructureInput } from './search'
import {
  type DriftCheck,
  type DriftRunSummary,
  type DriftSettings,
  driftGetInput,
  driftHistoryInput,
  driftRunInput,
  driftSettingsGetInput,
  driftSettingsSetInput,
  driftSimulateInput,
} from './drift'
import { type MetricsStatus, type MetricsToken, metricsRenewTokenInput } from './metrics'
import {
  type ActivityEntry,
  type RetrainOutcome,
  type RetrainPolicyState,
  type WatchStatus,
  automationActivityInput,
  automationPolicyInput,
  automationRetrainInput,
  automationSavePolicyInput,
} from './automation'
import {
  type ReportExport,
  type ReportHtml,
  type ReportRecord,
  reportIdInput,
  reportsCreateInput,
  reportsDeleteInput,
  reportsExportInput,
} from './reports'

/** Declares one method: its input schema and (as a phantom type) its output. */
function method<I extends z.ZodType, O>(input: I, summary: string) {
  return { input, summary, job: false as const, output: undefined as unknown as O }
}

/**
 * Declares a job-starting method: its input schema, its answer (the job's id, at once) and (as a
 * phantom type) the result its job finishes with, so `job.finished` for it is typed end to end.
 * `job: true` lets code and tests tell job methods apart at run time.
 */
function job<I extends z.ZodType, R>(input: I, summary: string) {
  return {
    input,
    summary,
    job: true as const,
    output: undefined as unknown as JobStarted,
    result: undefined as unknown as R,
  }
}

const empty = z.object({}).strict()

export interface AppStatus {
  appVersion: string
  versions: {
    node: string
    electron: string | null
    sqlite: string
    rdkit: string | null
    onnxruntime: string
  }
  host: 'electron' | 'web' | 'cli' | 'test'
  dataDir: string
  databasePath: string
  schemaVersion: number
  engineStartedAt: string
  engineUptimeSeconds: number
  workerThreads: number
}

export interface SelfTestMolecule {
  smiles: string
  /** common name, for the well-known molecules of the default self-test */
  name?: string
  mw: number
  alogp: number
  hba: number
  hbd: number
}

export interface SelfTestResult {
  rdkitVersion: string
  molecules: SelfTestMolecule[]
  workersUsed: number
  seconds: number
}

const selfTestInput = z
  .object({
    smiles: z.array(z.string().min(1).max(2000)).min(1).max(1000).optional(),
    delayMs: z.number().int().min(0).max(2000).optional(),
  })
  .strict()

const jobsCancelInput = z.object({ jobId: z.string().min(1).max(100) }).strict()

/**
 * Every method the engine answers, named `feature.verb`. The engine validates each input with
 * its schema whatever host carried the call; the renderer's client is typed from this list.
 */
export const methods = {
  /** Versions, data folder, schema version and engine uptime. */
  'app.status': method<typeof empty, AppStatus>(empty, 'Engine status'),
  /**
   * Starts a job that computes RDKit descriptors for a set of SMILES in worker threads, reporting
   * progress per molecule. `delayMs` slows each molecule down so progress can be watched.
   */
  'app.selfTest': job<typeof selfTestInput, SelfTestResult>(selfTestInput, 'Run the self-test job'),
  /** Jobs started since the engine started, newest first. */
  'jobs.list': method<typeof empty, JobInfo[]>(empty, 'List jobs'),
  /**
   * Asks a running job to stop; its work is rolled back and it finishes as `cancelled`. Too late
   * (the job has finished or is committing its result) answers `cancelled: false` with a reason.
   */
  'jobs.cancel': method<typeof jobsCancelInput, JobCancelResult>(jobsCancelInput, 'Cancel a job'),
  /** Every setting, defaults filled in. */
  'settings.get': method<typeof empty, Settings>(empty, 'Read settings'),
  /** Stores one setting after checking its value against that setting's schema. */
  'settings.set': method<typeof settingsSetInput, Settings>(settingsSetInput, 'Change a setting'),
  /** Reads the start of a file: format, delimiter, header, first rows, detected mapping, earlier imports of it. */
  'imports.preview': method<typeof importsPreviewInput, ImportPreview>(
    importsPreviewInput,
    'Preview a file',
  ),
  /** Starts importing a file as a job; the job's result is an ImportSummary. */
  'imports.start': job<typeof importsStartInput, ImportSummary>(importsStartInput, 'Import a file'),
  /** Every import, newest first. */
  'imports.list': method<typeof empty, ImportRecord[]>(empty, 'List imports'),
  /** The rejected rows of one import, in file order. */
  'imports.rejections': method<
    typeof importsRejectionsInput,
    { total: number; rows: RejectionRow[] }
  >(importsRejectionsInput, 'Rejected rows of an import'),
  /** A page of activities with their compounds, filtered. */
  'data.activities': method<
    typeof dataActivitiesInput,
    { total: number | null; rows: ActivityRow[] }
  >(dataActivitiesInput, 'Activities'),
  /** A page of compounds with their seed features. */
  'data.compounds': method<
    typeof dataCompoundsInput,
    { total: number | null; rows: CompoundRow[] }
  >(dataCompoundsInput, 'Compounds'),
  /** Counts and the values to filter by: targets, standard types, relations. */
  'data.facets': method<typeof empty, Facets>(empty, 'Data overview'),
  /** Histograms of the four seed features (per compound) and of pActivity (per activity), filtered. */
  'data.histograms': method<typeof activityFilterSchema, Histogram[]>(
    activityFilterSchema,
    'Distributions',
  ),
  /**
   * One compound: identifiers, seed features with their source, RDKit's descriptors, every
   * measurement across imports and the predictions made for it.
   */
  'compounds.get': method<typeof compoundsGetInput, CompoundDetail>(
    compoundsGetInput,
    'A compound',
  ),
  /**
   * A 2D depiction of a stored compound or a SMILES: SVG drawn by RDKit in a worker thread and
   * sanitised (drawing elements only, nothing that runs or loads), or null with the reason.
   */
  'compounds.depict': method<typeof compoundsDepictInput, Depiction>(
    compoundsDepictInput,
    'Draw a structure',
  ),
  /**
   * Standardises every stored compound that has a structure but no standardised parent yet
   * (compounds imported before standardisation existed): parent, what changed, RDKit's seed
   * values and 2D descriptors. The engine starts it by itself when it opens such a database.
   */
  'compounds.standardise': job<typeof empty, StandardiseResult>(empty, 'Standardise compounds'),
  /** Targets in the database with their usable activity counts, most usable first. */
  'models.targets': method<typeof empty, TargetSummary[]>(empty, 'Targets to train on'),
  /** What a training set would contain: rows, exclusions by reason, feature definitions. */
  'models.trainingSet': method<typeof trainingSetInput, TrainingSetSummary>(
    trainingSetInput,
    'Preview a training set',
  ),
  /** Starts training (cross-validation, Auto search, ONNX export, registration) as a job; its result is a TrainResult. */
  'models.train': job<typeof modelsTrainInput, TrainResult>(modelsTrainInput, 'Train a model'),
  /** Every model version, newest first. */
  'models.list': method<typeof empty, ModelSummary[]>(empty, 'Model registry'),
  /** One model version with its evaluation, importance and history. */
  'models.get': method<typeof modelsVersionInput, ModelDetail>(modelsVersionInput, 'A model'),
  /** Training runs (every candidate tried), newest first. */
  'models.runs': method<typeof modelsRunsInput, RunRecord[]>(modelsRunsInput, 'Training runs'),
  /** Makes a version its target's production model; the previous one is archived. */
  'models.promote': method<typeof modelsPromoteInput, ModelSummary>(
    modelsPromoteInput,
    'Promote a model',
  ),
  /** Puts the previous production model of a target back into production; says which. */
  'models.rollback': method<typeof modelsRollbackInput, RollbackResult>(
    modelsRollbackInput,
    'Roll back production',
  ),
  /** Archives a candidate (a production model is replaced by promoting another). */
  'models.archive': method<typeof modelsStageInput, ModelSummary>(
    modelsStageInput,
    'Archive a model',
  ),
  /** Deletes a version that is not in production and has no predictions. */
  'models.delete': method<typeof modelsStageInput, { deleted: string }>(
    modelsStageInput,
    'Delete a model',
  ),
  /** The model as an ONNX file and a model card. */
  'models.export': method<typeof modelsVersionInput, ModelBundle>(
    modelsVersionInput,
    'Export a model',
  ),
  /**
   * Registers a colleague's exported model after checking its checksum; a model already in the
   * registry (same ONNX SHA-256) is not added twice.
   */
  'models.import': method<typeof modelsImportInput, ModelImportResult>(
    modelsImportInput,
    'Import a model',
  ),
  /** Predicts one compound from its four features or a SMILES; the prediction is stored. */
  'predictions.single': method<typeof predictionsSingleInput, SinglePrediction>(
    predictionsSingleInput,
    'Predict one compound',
  ),
  /** Scores a file or database compounds as a job; its result is a BatchSummary. */
  'predictions.batch': job<typeof predictionsBatchInput, BatchSummary>(
    predictionsBatchInput,
    'Predict a batch',
  ),
  /**
   * Reads a batch file before it is scored: the targets and standard types its rows name, against
   * the model's, so rows of other targets can be left out knowingly.
   */
  'predictions.checkFile': method<typeof predictionsCheckFileInput, BatchFileCheck>(
    predictionsCheckFileInput,
    'Check a batch file',
  ),
  /** Past batches (files and database), newest first. */
  'predictions.batches': method<typeof empty, BatchSummary[]>(empty, 'Prediction history'),
  /** One batch's summary. */
  'predictions.get': method<typeof predictionsBatchIdInput, BatchSummary>(
    predictionsBatchIdInput,
    'A prediction batch',
  ),
  /** A page of a batch's rows, sorted and filtered. */
  'predictions.rows': method<typeof predictionsRowsInput, { total: number; rows: PredictionRow[] }>(
    predictionsRowsInput,
    'Rows of a batch',
  ),
  /** A batch as CSV with the model version in every row: the filtered rows, or all of them. */
  'predictions.csv': method<typeof predictionsCsvInput, PredictionsCsv>(
    predictionsCsvInput,
    'A batch as CSV',
  ),
  /**
   * Starts a similarity search as a job: Tanimoto of the query SMILES's Morgan fingerprint to every
   * stored compound's, split across the worker threads; the job's result is a SearchResult.
   */
  'search.similarity': job<typeof searchSimilarityInput, SearchResult>(
    searchSimilarityInput,
    'Find similar compounds',
  ),
  /**
   * Starts a substructure search as a job: RDKit matches the query against every stored SMILES in
   * the worker threads, reporting molecules done; the job's result is a SearchResult.
   */
  'search.substructure': job<typeof searchSubstructureInput, SearchResult>(
    searchSubstructureInput,
    'Find compounds containing a substructure',
  ),
  /**
   * Starts a drift check as a job: the source's rows against the model's training rows, feature by
   * feature (Evidently's defaults or the model's drift settings), the predictions, the performance
   * where values were measured and the chemical space; the check is stored and is the result.
   */
  'drift.run': job<typeof driftRunInput, DriftCheck>(driftRunInput, 'Check for drift'),
  /**
   * Draws a synthetic batch from the sample's distribution with the chosen shifts and checks it
   * (labelled synthetic; nothing is imported); the stored check is the result.
   */
  'drift.simulate': job<typeof driftSimulateInput, DriftCheck>(
    driftSimulateInput,
    'Simulate new data and check it',
  ),
  /** One stored check, in full. */
  'drift.get': method<typeof driftGetInput, DriftCheck>(driftGetInput, 'A drift check'),
  /** Stored checks, newest first: all, one model's, or those of one import or batch. */
  'drift.history': method<typeof driftHistoryInput, DriftRunSummary[]>(
    driftHistoryInput,
    'Drift history',
  ),
  /** A model's drift settings (defaults when none were saved). */
  'drift.settings': method<typeof driftSettingsGetInput, DriftSettings>(
    driftSettingsGetInput,
    'Drift settings of a model',
  ),
  /** Saves a model's drift settings (audited); later checks use them. */
  'drift.saveSettings': method<typeof driftSettingsSetInput, DriftSettings>(
    driftSettingsSetInput,
    'Save drift settings',
  ),
  /**
   * Starts making a report as a job: the model card of a version, the report of a drift check or
   * of a prediction batch, rendered from what is stored into one self-contained HTML file in the
   * data folder; the stored report is the result.
   */
  'reports.create': job<typeof reportsCreateInput, ReportRecord>(
    reportsCreateInput,
    'Make a report',
  ),
  /** Stored reports, newest first. */
  'reports.list': method<typeof empty, ReportRecord[]>(empty, 'Reports'),
  /** One stored report's HTML (its SHA-256 checked), for the sandboxed viewer. */
  'reports.html': method<typeof reportIdInput, ReportHtml>(reportIdInput, 'Open a report'),
  /**
   * Starts saving a report as a job: its HTML file as it is, or printed to PDF (page size, running
   * header and footer), handed to the host's save (a dialog, a download, or the CLI's path).
   */
  'reports.export': job<typeof reportsExportInput, ReportExport>(
    reportsExportInput,
    'Save a report',
  ),
  /** Deletes a stored report and its file (audited). */
  'reports.delete': method<typeof reportsDeleteInput, { deleted: true }>(
    reportsDeleteInput,
    'Delete a report',
  ),
  /**
   * The team-monitoring endpoint: switched on or off, where it listens, when it was last scraped,
   * and why it is not serving when it should. Switch and configure it with `settings.set`
   * (`metrics.enabled`, `metrics.port`, `metrics.bind`, `metrics.predict`).
   */
  'metrics.status': method<typeof empty, MetricsStatus>(empty, 'Monitoring endpoint'),
  /** The endpoint's bearer token (made on first use), for the team's Prometheus configuration. */
  'metrics.token': method<typeof empty, MetricsToken>(empty, 'Monitoring token'),
  /** Replaces the bearer token (audited); the old one stops working at once. */
  'metrics.renewToken': method<typeof metricsRenewTokenInput, MetricsToken>(
    metricsRenewTokenInput,
    'Renew the monitoring token',
  ),
  /**
   * The watched folder: switched on or off, the folder, files waiting to be complete, the last
   * handled, and why it is not watching when it should. Configure it with `settings.set`
   * (`watch.enabled`, `watch.folder`, `watch.patterns`, `watch.afterImport`).
   */
  'automation.status': method<typeof empty, WatchStatus>(empty, 'Watched folder'),
  /** The activity timeline, newest first: files taken, checks, retrains and their decisions. */
  'automation.activity': method<typeof automationActivityInput, ActivityEntry[]>(
    automationActivityInput,
    'Automation activity',
  ),
  /** A target's retraining policy (the defaults, off, when none was saved) and its triggers now. */
  'automation.policy': method<typeof automationPolicyInput, RetrainPolicyState>(
    automationPolicyInput,
    'Retraining policy of a target',
  ),
  /** Saves a target's retraining policy (audited with the reason). */
  'automation.savePolicy': method<typeof automationSavePolicyInput, RetrainPolicyState>(
    automationSavePolicyInput,
    'Save a retraining policy',
  ),
  /**
   * Runs a target's policy once as a job: evaluates its triggers and, when one fired (or `force`),
   * trains a challenger like the production model, compares both on the compounds measured since
   * with a paired bootstrap, and promotes only when the policy allows it and the challenger is
   * significantly better. A dry run trains and changes nothing. Every step is audited.
   */
  'automation.retrain': job<typeof automationRetrainInput, RetrainOutcome>(
    automationRetrainInput,
    'Run a retraining policy',
  ),
  /** The last database check and the backups kept in the data folder. */
  'database.status': method<typeof empty, DatabaseStatus>(empty, 'Database health'),
  /**
   * Runs SQLite's quick_check on the database in a worker thread (its own read connection) and
   * says what to do if it finds damage.
   */
  'database.check': method<typeof empty, DatabaseCheck>(empty, 'Check the database'),
  /** The daily snapshots in the data folder, newest first. */
  'backups.list': method<typeof empty, BackupInfo[]>(empty, 'Backups'),
  /** Takes today's snapshot now (SQLite's online backup; the database stays usable meanwhile). */
  'backups.create': method<typeof empty, BackupInfo>(empty, 'Back up the database'),
  /**
   * Replaces the database with a backup after checking it is one of ours and undamaged; the
   * database in use is kept beside it. Refused while a job runs. The page should reload after.
   */
  'backups.restore': method<typeof backupsRestoreInput, RestoreResult>(
    backupsRestoreInput,
    'Restore a backup',
  ),
  /** Whether the bundled synthetic sample (data and baseline model) is present. */
  'sample.status': method<typeof empty, SampleStatus>(empty, 'Sample data'),
  /** Removes the synthetic sample, the models trained on it and their predictions. */
  'sample.remove': method<typeof empty, { imports: number; models: number }>(
    empty,
    'Remove sample data',
  ),
} as const

export interface SampleStatus {
  present: boolean
  /** synthetic models in the registry */
  models: string[]
  /** rows of synthetic data */
  activities: number
}

export type Methods = typeof methods
export type MethodName = keyof Methods
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>
export type MethodOutput<M extends MethodName> = Methods[M]['output']

export const methodNames = Object.keys(methods) as MethodName[]

/** The methods that start a job: their answer is `{ jobId }`, their job's result is declared. */
export type JobMethodName = {
  [M in MethodName]: Methods[M] extends { job: true } ? M : never
}[MethodName]
/** What the job a method started finishes with when it succeeds. */
export type JobResult<M extends JobMethodName> = Methods[M]['result']

export const jobMethodNames = methodNames.filter((m): m is JobMethodName => methods[m].job)

export function isJobMethodName(name: unknown): name is JobMethodName {
  return isMethodName(name) && methods[name].job
}

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name)
}
