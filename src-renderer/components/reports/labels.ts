import type { ReportKind, ReportSubject } from '../../../src-main/contract'

export const KIND_LABELS: Record<ReportKind, string> = {
  'model-card': 'Model card',
  drift: 'Drift report',
  batch: 'Prediction report',
}

/** What each kind holds, for the empty state and the New report form. */
export const KIND_MEANINGS: Record<ReportKind, string> = {
  'model-card':
    'one model version: what it was trained on, how well it predicts under cross-validation, where it can be trusted, and its history.',
  drift:
    'one drift check: whether new compounds still look like the training data, feature by feature, with the charts.',
  batch:
    'one batch of predictions: rows scored and not scored, the predictions with their intervals, and the comparison with measured values when the file had them.',
}

/** The subject in a few words, e.g. "model v3", "drift check #4", "prediction batch #2". */
export function subjectLabel(subject: ReportSubject): string {
  switch (subject.kind) {
    case 'model-card':
      return `model ${subject.version}`
    case 'drift':
      return `drift check #${subject.driftRunId}`
    case 'batch':
      return `prediction batch #${subject.batchId}`
  }
}

/** A file's size as a file manager shows it: "950 B", "12.4 kB", "3.1 MB" (1 kB = 1,000 bytes). */
export function fmtFileSize(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`
  return `${bytes} B`
}

/** A report's title without its kind in front ("Model card — v3 · …" reads "v3 · …"), for a list
 * whose first column already names the kind. */
export function titleWithoutKind(title: string, kind: ReportKind): string {
  const prefix = `${KIND_LABELS[kind]} — `
  return title.startsWith(prefix) ? title.slice(prefix.length) : title
}

/** The local time of day, e.g. "09:52", beside `fmtDay`'s date (together `fmtDate`'s text). */
export function fmtTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
}
