import Database from 'better-sqlite3'
import type { ReportSubject } from '../../contract/reports'
import type { Db } from '../db/connection'
import type { ReportMeta } from './document'
import { gatherDriftReport, renderDriftReport } from './drift-report'
import { gatherModelCard, renderModelCard } from './model-card'
import { gatherPredictionReport, renderPredictionReport } from './prediction-report'
import { reportWriteFailed, writeReportFile } from './store'

/** What rendering a report gives back to be stored. */
export interface RenderedHtml {
  /** e.g. "Model card — v3 · CHEMBL1978 Cytochrome P450 19A1", as the document's <title> */
  title: string
  modelVersion: string
  /** the HTML document, UTF-8 */
  bytes: Uint8Array
}

export type RenderPhase = 'gathering' | 'rendering' | 'writing'

const withName = (target: string, name: string | null) => (name ? `${target} ${name}` : target)

/** Gathers a report's data from `db` and renders it. An unknown subject is `not-found`. */
export function renderSubject(
  db: Db,
  subject: ReportSubject,
  meta: ReportMeta,
  phase: (p: RenderPhase) => void = () => undefined,
): RenderedHtml {
  const done = (title: string, modelVersion: string, html: string): RenderedHtml => ({
    title,
    modelVersion,
    bytes: new TextEncoder().encode(html),
  })
  phase('gathering')
  switch (subject.kind) {
    case 'model-card': {
      const d = gatherModelCard(db, subject.version)
      phase('rendering')
      const m = d.model
      return done(
        `Model card — ${m.version} · ${withName(m.target, d.targetName)}`,
        m.version,
        renderModelCard(d, meta),
      )
    }
    case 'drift': {
      const d = gatherDriftReport(db, subject.driftRunId)
      phase('rendering')
      const c = d.check
      return done(
        `Drift report — Check #${c.driftRunId} of ${c.modelVersion} · ${withName(c.target, d.targetName)}`,
        c.modelVersion,
        renderDriftReport(d, meta),
      )
    }
    case 'batch': {
      const d = gatherPredictionReport(db, subject.batchId)
      phase('rendering')
      const b = d.batch
      return done(
        `Prediction report — Batch #${b.batchId}${b.inputName ? ` · ${b.inputName}` : ''} · ${d.target}`,
        b.modelVersion,
        renderPredictionReport(d, meta),
      )
    }
  }
}

/** What the worker gives back: the file it wrote, described. */
export interface WrittenHtml {
  title: string
  modelVersion: string
  bytes: number
  sha256: string
}

/**
 * The worker's side: renders through a read-only connection of its own and writes the document to
 * `temp` (flushed to disk), so a 100,000-row batch (seconds of gathering, string building and
 * hashing, megabytes written) never holds the engine's thread or its connection.
 */
export function renderReportToFile(
  path: string,
  subject: ReportSubject,
  meta: ReportMeta,
  temp: string,
  phase: (p: RenderPhase) => void,
): WrittenHtml {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  let rendered: RenderedHtml
  try {
    // a writer's commit in WAL mode does not block readers; a checkpoint may, briefly
    db.pragma('busy_timeout = 5000')
    rendered = renderSubject(db, subject, meta, phase)
  } finally {
    db.close()
  }
  phase('writing')
  let written: { bytes: number; sha256: string }
  try {
    written = writeReportFile(temp, rendered.bytes)
  } catch (error) {
    // as a WorkbenchError, whose code crosses back to the engine (an errno code would not)
    throw reportWriteFailed(error)
  }
  return { title: rendered.title, modelVersion: rendered.modelVersion, ...written }
}
