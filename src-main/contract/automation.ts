import { z } from 'zod'

/**
 * Automation: a watched folder whose new exports are imported and checked for drift, and a
 * retraining policy per target that trains a challenger and promotes it only when a paired
 * bootstrap says it is better. Everything it does is a row of the activity timeline
 * (`automation_events`) and, for models and policies, of the audit log.
 */

/** The file patterns a watched folder may take (a file's name must end with one). */
export const watchPatterns = ['*.csv', '*.tsv', '*.txt'] as const
export type WatchPattern = (typeof watchPatterns)[number]

/** What happens to a file once it was handled: left where it is, or moved to imported/ or rejected/ beside it. */
export const watchAfterImport = ['leave', 'move'] as const
export type WatchAfterImport = (typeof watchAfterImport)[number]

/** The subfolders of a watched folder a handled file is moved to (never watched themselves). */
export const WATCH_SUBFOLDERS = { imported: 'imported', rejected: 'rejected' } as const

/** What became of one file the watcher took. */
export const watchOutcomes = ['imported', 'duplicate', 'rejected'] as const
export type WatchOutcome = (typeof watchOutcomes)[number]

/** A drift check the watcher ran after an import, in short. */
export interface WatchCheck {
  modelVersion: string
  target: string
  driftRunId: number | null
  datasetDrift: boolean | null
  degraded: boolean | null
  /** why the check could not run (it never fails the import) */
  error: string | null
}

/**
 * One file the watcher (or `assay watch`) handled: what `assay watch --json` prints as a line,
 * and what the timeline shows.
 */
export interface WatchFileResult {
  /** the watch_files row */
  id: number
  /** the name in the folder when it was taken */
  file: string
  path: string
  bytes: number
  sha256: string | null
  outcome: WatchOutcome
  importId: number | null
  /** the earlier import of the same bytes (outcome `duplicate`) */
  previousImportId: number | null
  rowsTotal: number | null
  rowsAccepted: number | null
  rowsRejected: number | null
  /** the error code and message of a rejected file, e.g. "missing-columns: ..." */
  reason: string | null
  /** where the file was moved, when it was */
  movedTo: string | null
  checks: WatchCheck[]
  retrains: RetrainOutcome[]
  handledAt: string
}

/** The watched folder as the Settings screen and the status bar show it. */
export interface WatchStatus {
  enabled: boolean
  folder: string | null
  /** watching now */
  watching: boolean
  patterns: WatchPattern[]
  afterImport: WatchAfterImport
  stableSeconds: number
  /** files seen and waiting to be complete (size and time unchanged) */
  waiting: string[]
  /** the file being imported now */
  handling: string | null
  /** files handled since the folder was set (all runs) */
  handled: number
  lastHandledAt: string | null
  /** why it is not watching though switched on (no such folder, inside the data folder, ...) */
  error: string | null
}

// ---------------------------------------------------------------------------------------------
// Retraining policy

const chemblId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a target id like CHEMBL1978')

/** A target's retraining policy. Off by default; every change is audited. */
export const retrainPolicySchema = z
  .object({
    enabled: z.boolean(),
    triggers: z
      .object({
        /** the dataset drifted in a check of the production model */
        datasetDrift: z.boolean(),
        /** a check with measured values found the production model's performance degraded */
        performanceDegraded: z.boolean(),
        /** at least this many new usable measurements since the production model was trained (null: off) */
        newMeasurements: z.number().int().min(1).max(10_000_000).nullable(),
        /** every this many days since the production model was trained or last retrained (null: off) */
        scheduleDays: z.number().int().min(1).max(3650).nullable(),
      })
      .strict(),
    /** `same`: the production model's learner, parameters and features; `auto`: Auto's search with the same features */
    learner: z.enum(['same', 'auto']),
    /** seconds Auto may spend */
    budgetSeconds: z.number().int().min(5).max(3600),
    /** promote a challenger that is significantly better without asking */
    autoPromote: z.boolean(),
  })
  .strict()
export type RetrainPolicy = z.infer<typeof retrainPolicySchema>

export const DEFAULT_RETRAIN_POLICY: RetrainPolicy = {
  enabled: false,
  triggers: {
    datasetDrift: true,
    performanceDegraded: true,
    newMeasurements: 200,
    scheduleDays: null,
  },
  learner: 'same',
  budgetSeconds: 120,
  autoPromote: false,
}

/** Bootstrap resamples and seed of the comparison: fixed, so a decision can be re-derived. */
export const RETRAIN_BOOTSTRAP = { resamples: 2000, seed: 20261203, level: 0.95 } as const
/** The fewest new compounds the comparison is made on. */
export const MIN_COMPARISON_ROWS = 50

export const triggerKinds = [
  'dataset-drift',
  'performance-degraded',
  'new-measurements',
  'schedule',
  'manual',
] as const
export type TriggerKind = (typeof triggerKinds)[number]

/** One trigger of a policy, evaluated. */
export interface TriggerState {
  kind: TriggerKind
  /** switched on in the policy */
  enabled: boolean
  fired: boolean
  /** a sentence with the numbers: "412 new usable measurements since v3 (policy: 200)" */
  detail: string
  /** the check that fired it, for the drift triggers */
  driftRunId?: number
}

/** The champion against the challenger, on the same compounds. */
export interface RetrainComparison {
  /** compounds compared: measured since the champion was trained, not in its training set */
  rows: number
  rmseChallenger: number
  rmseChampion: number
  /** RMSE(challenger) - RMSE(champion) on all rows */
  diff: number
  /** the bootstrap's 95% percentile interval of the RMSE difference */
  diffCi: [number, number]
  resamples: number
  seed: number
}

export const retrainDecisions = [
  /** no trigger fired: nothing was trained */
  'not-triggered',
  /** dry run: what would be trained, nothing trained or changed */
  'dry-run',
  /** the challenger is significantly better and the policy allows promotion: it is production now */
  'promoted',
  /** the challenger was registered and stays a candidate (not better, not significant, or not allowed) */
  'kept-candidate',
  /** the target has no production model to compare with */
  'no-production-model',
  /** training failed; nothing was registered */
  'failed',
] as const
export type RetrainDecision = (typeof retrainDecisions)[number]

/** What one run of a target's policy did: what `assay retrain --json` prints. */
export interface RetrainOutcome {
  target: string
  dryRun: boolean
  triggered: boolean
  /** the fired triggers' sentences */
  reasons: string[]
  triggers: TriggerState[]
  /** the new version (null when nothing was trained) */
  challenger: string | null
  /** the production version it was compared with */
  champion: string | null
  comparison: RetrainComparison | null
  decision: RetrainDecision
  /** the sentence the user sees: "challenger v7: RMSE 0.84 vs 0.86 on 312 new compounds, difference not significant" */
  explanation: string
  /** what would be or was trained: learner, feature set, rows */
  plan: { learner: string; featureSet: string; rows: number; types: string[] } | null
  /** the timeline entry of the decision */
  activityId: number | null
  at: string
}

/** A target's policy with what the Models screen shows beside it. */
export interface RetrainPolicyState {
  target: string
  policy: RetrainPolicy
  /** true when the policy was never saved (the defaults are shown) */
  isDefault: boolean
  updatedAt: string | null
  productionVersion: string | null
  /** the triggers as they stand now (none is acted on by reading them) */
  triggers: TriggerState[]
  lastOutcome: RetrainOutcome | null
}

export const automationPolicyInput = z.object({ target: chemblId }).strict()
export const automationSavePolicyInput = z
  .object({
    target: chemblId,
    policy: retrainPolicySchema,
    reason: z.string().trim().max(500).optional(),
  })
  .strict()
export const automationRetrainInput = z
  .object({
    target: chemblId,
    /** say what would happen without training or promoting */
    dryRun: z.boolean().default(false),
    /** run even when no trigger fired (the "Retrain now" button) */
    force: z.boolean().default(false),
  })
  .strict()

// ---------------------------------------------------------------------------------------------
// The activity timeline

export const activityKinds = [
  'file-imported',
  'file-duplicate',
  'file-rejected',
  'drift-checked',
  'retrain-started',
  'retrain-decided',
  'retrain-failed',
  'retrain-interrupted',
  'policy-saved',
  'watch-started',
  'watch-stopped',
  'watch-error',
] as const
export type ActivityKind = (typeof activityKinds)[number]

/** One entry of the timeline: a sentence with its numbers and links to what it concerns. */
export interface ActivityEntry {
  id: number
  at: string
  kind: ActivityKind
  /** notable entries (a promotion, a rejected file, a failure) raise the banner and a notification */
  level: 'info' | 'notice' | 'warning'
  target: string | null
  summary: string
  importId: number | null
  driftRunId: number | null
  modelVersion: string | null
  watchFileId: number | null
  details: Record<string, unknown>
}

export const automationActivityInput = z
  .object({
    limit: z.number().int().min(1).max(1000).default(200),
    /** entries with a smaller id than this (for paging back) */
    before: z.number().int().positive().optional(),
    target: chemblId.optional(),
  })
  .strict()
