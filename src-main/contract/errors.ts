/**
 * Stable error codes. They cross every process boundary as plain data, so the renderer, the CLI
 * and tests can branch on them; the message is for a scientist to read.
 */
export const ERROR_CODES = [
  'invalid-input',
  'unknown-method',
  'not-found',
  'file-not-readable',
  'missing-columns',
  'no-production-model',
  'not-enough-data',
  'not-allowed',
  'checksum-mismatch',
  'job-not-found',
  'cancelled',
  'database-too-new',
  'database-busy',
  'file-not-allowed',
  'not-our-database',
  'database-damaged',
  'upload-too-large',
  'already-running',
  'unauthorized',
  'pdf-unavailable',
  'host-unavailable',
  /** the metrics endpoint's port is taken by another program */
  'port-in-use',
  /** too many calls to the metrics endpoint's /predict in a short time */
  'rate-limited',
  'reference-unavailable',
  /**
   * An import's row writer lost its reader before the end of the file: the echo of the reader's
   * own failure (or of a cancel), which is the error reported.
   */
  'reader-stopped',
  'internal',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** An error as it crosses a boundary: plain, serialisable data. */
export interface WorkbenchErrorData {
  code: ErrorCode
  message: string
  details?: unknown
}

/** Thrown inside the engine; turned into {@link WorkbenchErrorData} at the boundary. */
export class WorkbenchError extends Error {
  readonly code: ErrorCode
  readonly details: unknown

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'WorkbenchError'
    this.code = code
    this.details = details
  }

  toData(): WorkbenchErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** Any thrown value as boundary data; unknown failures become `internal` and keep their text. */
export function toErrorData(error: unknown): WorkbenchErrorData {
  if (error instanceof WorkbenchError) return error.toData()
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'internal', message: `Unexpected engine error: ${message}` }
}

/** The result of every call, whatever host carried it. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: WorkbenchErrorData }
