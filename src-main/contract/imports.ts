import { z } from 'zod'

/** How a file handle is written: 32 lowercase hex digits (16 random bytes). */
export const FILE_HANDLE_PATTERN = /^[0-9a-f]{32}$/

/**
 * A file the engine may read. The handle is opaque and handed out by the host (Electron main for
 * its dialogs and drops, the web host for its uploads, the CLI for paths its user typed); the
 * engine resolves it to the file it was granted for. There is no path here on purpose: a page that
 * could name a path could read any file the engine can (`/etc/passwd`), or the engine's own
 * database, whose opening and closing outside SQLite drops SQLite's locks and lets another reader
 * delete the WAL under the engine ("database disk image is malformed"). `name` and `size` are for
 * display; the engine uses its own record of both.
 */
export const fileRefSchema = z
  .object({
    handle: z
      .string()
      .regex(FILE_HANDLE_PATTERN, 'must be a file handle given by the app (choose the file again)'),
    name: z.string().min(1).max(1000),
    size: z.number().int().nonnegative(),
  })
  .strict()

/** Column name to field (empty string: do not use the column). */
const mappingOverrides = z.record(z.string().min(1).max(500), z.string().max(100))

/** The column separator, when the one guessed from the header line is wrong. */
const delimiter = z.enum([',', ';', '\t'])

export const importsPreviewInput = z
  .object({ file: fileRefSchema, delimiter: delimiter.optional() })
  .strict()

export const importsStartInput = z
  .object({
    file: fileRefSchema,
    delimiter: delimiter.optional(),
    mapping: mappingOverrides.optional(),
    /** what to do when the same file (by SHA-256) was imported before */
    duplicate: z.enum(['skip', 'import']).optional(),
    /** RDKit descriptors and fingerprints for every structure (default: the setting) */
    computeDescriptors: z.boolean().optional(),
  })
  .strict()

export const importsRejectionsInput = z
  .object({
    importId: z.number().int().positive(),
    offset: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict()

export interface ImportPreview {
  file: { name: string; size: number }
  encoding: string
  delimiter: string
  format: string
  header: string[]
  /** the first rows, as parsed */
  rows: string[][]
  /** for each field the importer knows, the column mapped to it (null: none) */
  mapping: Record<string, string | null>
  /** every field the importer knows, for the mapping editor */
  fields: string[]
  /** problems that stop the import until the mapping is changed */
  problems: string[]
  duplicateColumns: string[]
  sha256: string
  previousImports: { id: number; finishedAt: string; rowsTotal: number }[]
}

export interface ImportSummary {
  importId: number | null
  /** true when the same file was imported before and the import was skipped */
  skipped: boolean
  previousImportId: number | null
  file: string
  format: string
  sha256: string
  bytes: number
  rowsTotal: number
  rowsAccepted: number
  rowsRejected: number
  rejectionsByReason: Record<string, number>
  /** accepted measurements that cannot train a model, by reason */
  unusableByReason: Record<string, number>
  compoundsNew: number
  compoundsUpdated: number
  /** measurements added to the database */
  activities: number
  /**
   * accepted rows that an earlier import had already stored (same ChEMBL activity id, or the same
   * compound, type, relation, value, units, assay and document): not added a second time, linked
   * to the stored measurement instead
   */
  alreadyPresent: number
  /** seed features in the file compared with RDKit's for the same structure */
  disagreements: { compared: number; mw: number; alogp: number }
  rdkitVersion: string | null
  seconds: number
  rowsPerSecond: number
}

export interface ImportRecord {
  id: number
  fileName: string
  fileSize: number
  sha256: string
  format: string
  rowsTotal: number
  rowsAccepted: number
  rowsRejected: number
  compoundsNew: number
  compoundsUpdated: number
  /** accepted rows an earlier import had already stored (see ImportSummary) */
  alreadyPresent: number
  rejectionsByReason: Record<string, number>
  unusableByReason: Record<string, number>
  rdkitVersion: string | null
  isSynthetic: boolean
  startedAt: string
  finishedAt: string
}

export interface RejectionRow {
  line: number
  reason: string
  detail: string | null
  rawLine: string
}
