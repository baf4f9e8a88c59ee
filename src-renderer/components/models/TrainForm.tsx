import { useEffect, useMemo, useState } from 'react'
import type { FeatureSet, TrainingSetSummary } from '../../../src-main/contract'
import { call } from '../../api/client'
import { useModels } from '../../store/models-store'
import { useDataVersion, useJob } from '../../store/use-job'
import { JobProgress } from '../JobProgress'
import { FLAG_REASONS, REASON_LABELS, fmtInt } from '../format'

const FEATURE_SETS: { value: FeatureSet; label: string; hint: string }[] = [
  { value: 'core4', label: 'Core 4', hint: 'MW, AlogP, HBA, HBD' },
  { value: 'physchem', label: 'Physchem', hint: "RDKit's 2D descriptor set (descList)" },
  { value: 'physchem+morgan', label: '+ Morgan', hint: 'descriptors and a 2048-bit fingerprint' },
]
const LEARNERS = [
  { value: 'auto', label: 'Auto (search within the time budget)' },
  { value: 'gbdt', label: 'Gradient-boosted trees' },
  { value: 'rf', label: 'Random forest' },
  { value: 'ridge', label: 'Ridge regression' },
] as const

/** The train form, the training-set preview and the running job's progress. */
export function TrainForm() {
  const targets = useModels((s) => s.targets)
  const refresh = useModels((s) => s.refresh)
  const select = useModels((s) => s.select)
  const { job, running, start: startJob } = useJob('models.train')
  // the preview reads the activities again when an import (or the sample's removal) changes them
  const activities = useDataVersion('activities')
  // kept in the store, so they are still chosen after a visit to another screen
  const { target, types, featureSet, learner, folds, budget, seed } = useModels(
    (s) => s.trainChoices,
  )
  const choose = useModels((s) => s.setTrainChoices)
  const [includeFlagged, setIncludeFlagged] = useState(false)
  const [preview, setPreview] = useState<TrainingSetSummary | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  const chosen = useMemo(
    () => targets?.find((t) => t.targetChemblId === target) ?? targets?.[0],
    [targets, target],
  )
  useEffect(() => {
    if (!chosen) return
    let stale = false
    call('models.trainingSet', {
      target: chosen.targetChemblId,
      types,
      featureSet,
      includeFlagged: includeFlagged || undefined,
    })
      .then((p) => !stale && (setPreview(p), setProblem(null)))
      .catch((e: Error) => !stale && (setPreview(null), setProblem(e.message)))
    return () => {
      stale = true
    }
  }, [chosen, types, featureSet, includeFlagged, activities])

  const trained = job?.state === 'succeeded' ? job.result.modelVersion : null
  useEffect(() => {
    if (trained) void refresh().then(() => select(trained))
  }, [trained, refresh, select])

  // what ticking the box would add (the preview with it ticked no longer lists them)
  const [flaggedCount, setFlaggedCount] = useState(0)
  useEffect(() => {
    if (preview && !preview.includeFlagged)
      setFlaggedCount(
        Object.entries(preview.excluded)
          .filter(([r]) => FLAG_REASONS.includes(r) && r !== 'potential-missing-data')
          .reduce((a, [, n]) => a + n, 0),
      )
  }, [preview])
  const start = async () => {
    if (!chosen) return
    setProblem(null)
    try {
      await startJob('models.train', {
        target: chosen.targetChemblId,
        types,
        featureSet,
        includeFlagged: includeFlagged || undefined,
        learner,
        folds,
        seed,
        budgetSeconds: budget,
      })
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    }
  }

  if (!targets) return <section className="card wide">Loading targets…</section>
  return (
    <section className="card wide" aria-labelledby="train-title">
      <h2 id="train-title">Train a model</h2>
      <div className="train-grid">
        <label className="field">
          <span>Target</span>
          <select
            value={chosen?.targetChemblId ?? ''}
            onChange={(e) => {
              // one type, never a mix unless the user ticks more: IC50 where the target has it,
              // else its most measured potency
              const next = targets.find((t) => t.targetChemblId === e.target.value)
              const offered = next?.types.filter((t) => t.kind === 'potency') ?? []
              choose({
                target: e.target.value,
                types: [
                  offered.some((t) => t.type === 'IC50') ? 'IC50' : (offered[0]?.type ?? 'IC50'),
                ],
              })
            }}
            data-testid="train-target"
          >
            {targets.map((t) => (
              <option key={t.targetChemblId} value={t.targetChemblId}>
                {t.targetChemblId}
                {t.targetName ? ` · ${t.targetName}` : ''} ({fmtInt(t.usable)} usable)
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field">
          <span>Standard types</span>
          <div className="chips">
            {(chosen?.types ?? []).slice(0, 8).map((t) => (
              <label key={t.type} className="chip">
                <input
                  type="checkbox"
                  checked={types.includes(t.type)}
                  onChange={(e) =>
                    choose({
                      types: e.target.checked
                        ? [...types, t.type]
                        : types.filter((x) => x !== t.type),
                    })
                  }
                />
                {t.type} <span className="muted">{fmtInt(t.usable)}</span>
                {t.kind === 'kinetic' && (
                  <span className="kind" title="A kinetic constant, not a measure of potency">
                    kinetic, not potency
                  </span>
                )}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="field">
          <span>Features</span>
          <div className="segmented" role="radiogroup" aria-label="Feature set">
            {FEATURE_SETS.map((f) => (
              <button
                key={f.value}
                type="button"
                role="radio"
                aria-checked={featureSet === f.value}
                className={featureSet === f.value ? 'active' : ''}
                title={f.hint}
                onClick={() => choose({ featureSet: f.value })}
              >
                {f.label}
              </button>
            ))}
          </div>
        </fieldset>
        <label className="field">
          <span>Learner</span>
          <select
            value={learner}
            onChange={(e) => choose({ learner: e.target.value as typeof learner })}
            data-testid="train-learner"
          >
            {LEARNERS.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field narrow">
          <span>Folds</span>
          <input
            type="number"
            min={2}
            max={20}
            value={folds}
            onChange={(e) =>
              choose({ folds: Math.min(20, Math.max(2, Number(e.target.value) || 5)) })
            }
          />
        </label>
        <label className="field narrow">
          <span>Time budget (s)</span>
          <input
            type="number"
            min={1}
            max={3600}
            value={budget}
            disabled={learner !== 'auto'}
            onChange={(e) =>
              choose({ budget: Math.min(3600, Math.max(1, Number(e.target.value) || 60)) })
            }
          />
        </label>
        <label className="field">
          <span>ChEMBL’s doubted values</span>
          <span className="chip">
            <input
              type="checkbox"
              checked={includeFlagged}
              onChange={(e) => setIncludeFlagged(e.target.checked)}
              data-testid="train-include-flagged"
            />
            Include{flaggedCount > 0 ? ` ${fmtInt(flaggedCount)}` : ''} values with a data validity
            comment or marked as potential duplicates
          </span>
        </label>
        <label className="field narrow">
          <span>Seed</span>
          <input
            type="number"
            min={0}
            value={seed}
            onChange={(e) => choose({ seed: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
          />
        </label>
      </div>

      {preview && (
        <p className="training-set" data-testid="training-set">
          <strong>{fmtInt(preview.compounds)} compounds</strong> from{' '}
          {fmtInt(preview.activitiesUsed)} of {fmtInt(preview.activitiesConsidered)} activities
          (median of repeats; {fmtInt(preview.compoundsWithSpreadOver1)} compounds have repeats more
          than 1 log unit apart).{' '}
          {Object.keys(preview.excluded).length > 0 && (
            <span className="muted">
              Left out:{' '}
              {Object.entries(preview.excluded)
                .sort((a, b) => b[1] - a[1])
                .map(([r, n]) => `${fmtInt(n)} ${REASON_LABELS[r] ?? r}`)
                .join(', ')}
              .{' '}
            </span>
          )}
          {preview.rdkitVersions.length > 0 && (
            <span className={preview.rdkitVersions.length > 1 ? 'error' : 'muted'}>
              RDKit {preview.rdkitVersions.join(' and ')}
              {preview.rdkitVersions.length > 1
                ? ': values from different RDKit versions are mixed in this set.'
                : '.'}
            </span>
          )}
          {preview.mixedSources && (
            <span className="muted">
              {' '}
              Some seed features come from the file, others from RDKit.
            </span>
          )}
        </p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}

      {running && job ? (
        <JobProgress
          job={job}
          label="Training progress"
          cancelLabel="Cancel this training run"
          testId="train-progress"
        />
      ) : (
        <div className="row">
          <button
            type="button"
            className="button primary"
            disabled={!preview || types.length === 0}
            onClick={() => void start()}
          >
            Train
          </button>
          {job?.state === 'failed' && <span className="error">Training failed: {job.error}</span>}
          {job?.state === 'cancelled' && <span className="muted">Training was cancelled.</span>}
        </div>
      )}
    </section>
  )
}
