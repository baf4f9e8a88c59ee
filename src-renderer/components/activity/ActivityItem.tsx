import type { ActivityEntry } from '../../../src-main/contract'
import { openLink } from '../../store/automation-store'
import { fmtDate } from '../format'
import { KIND_LABELS, LEVEL_LABELS, comparisonOf, comparisonSentence } from './labels'

const LEVEL_GLYPHS: Record<ActivityEntry['level'], string> = {
  info: 'i',
  notice: '★',
  warning: '!',
}

/** One entry of the timeline: when, how notable, the sentence, its numbers and its links. */
export function ActivityItem({ entry }: { entry: ActivityEntry }) {
  const comparison = entry.kind === 'retrain-decided' ? comparisonOf(entry.details) : null
  const { importId, driftRunId, modelVersion } = entry
  return (
    <li
      className={`activity-item level-${entry.level}`}
      data-testid="activity-item"
      data-kind={entry.kind}
    >
      <span
        className="activity-level"
        role="img"
        aria-label={LEVEL_LABELS[entry.level]}
        title={LEVEL_LABELS[entry.level]}
      >
        {LEVEL_GLYPHS[entry.level]}
      </span>
      <div className="activity-body">
        <div className="activity-head">
          <time dateTime={entry.at} className="muted nowrap">
            {fmtDate(entry.at)}
          </time>
          <span className="activity-kind">{KIND_LABELS[entry.kind]}</span>
          {entry.target && <span className="tag">{entry.target}</span>}
        </div>
        <p className="activity-summary">{entry.summary}</p>
        {comparison && <p className="muted small">{comparisonSentence(comparison)}</p>}
        {(importId !== null || driftRunId !== null || modelVersion !== null) && (
          <div className="row activity-links">
            {importId !== null && (
              <button
                type="button"
                className="link-button"
                onClick={() => openLink.import(importId)}
              >
                Import #{importId}
              </button>
            )}
            {driftRunId !== null && modelVersion !== null && (
              <button
                type="button"
                className="link-button"
                onClick={() => openLink.check(driftRunId, modelVersion)}
              >
                Drift check #{driftRunId}
              </button>
            )}
            {modelVersion !== null && (
              <button
                type="button"
                className="link-button"
                onClick={() => openLink.model(modelVersion)}
              >
                Model {modelVersion}
              </button>
            )}
          </div>
        )}
      </div>
    </li>
  )
}
