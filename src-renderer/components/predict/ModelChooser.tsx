import type { ModelSummary } from '../../../src-main/contract'
import { FEATURE_SET_LABELS, FEATURE_SET_NAMES } from './feature-set-labels'
import { fmtNum } from '../format'

interface Props {
  models: ModelSummary[]
  target: string
  model: ModelSummary
  onTarget(target: string): void
  onModel(version: string): void
}

/**
 * Which target and which of its models predictions use. The target's production model is the
 * default; any other version (a candidate being compared, an archived one) can be chosen.
 */
export function ModelChooser({ models, target, model, onTarget, onModel }: Props) {
  const targets = [...new Set(models.map((m) => m.target))].sort()
  const ofTarget = models.filter((m) => m.target === target)
  return (
    <section className="card wide model-chooser" aria-labelledby="model-chooser-title">
      <h2 id="model-chooser-title">Model</h2>
      <div className="row">
        <label className="field">
          <span>Target</span>
          <select
            value={target}
            onChange={(e) => onTarget(e.target.value)}
            aria-label="Target of the model"
          >
            {targets.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Model version</span>
          <select
            value={model.version}
            onChange={(e) => onModel(e.target.value)}
            aria-label="Model version"
            data-testid="predict-model"
          >
            {ofTarget.map((m) => (
              <option key={m.version} value={m.version}>
                {m.version} · {m.stage} · {FEATURE_SET_NAMES[m.featureSet]} · {m.learner}
                {m.isSynthetic ? ' · synthetic sample' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">
        {model.version} predicts from {FEATURE_SET_LABELS[model.featureSet]}; trained on{' '}
        {model.trainingRows.toLocaleString('en')} compounds, cross-validated RMSE{' '}
        {fmtNum(model.cv.rmse, 2)} pActivity units.
      </p>
    </section>
  )
}
