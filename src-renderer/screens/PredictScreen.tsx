import { useEffect } from 'react'
import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'
import { BatchPanel } from '../components/predict/BatchPanel'
import { ModelChooser } from '../components/predict/ModelChooser'
import { SampleBanner } from '../components/predict/SampleBanner'
import { SingleForm } from '../components/predict/SingleForm'
import { useModels } from '../store/models-store'
import { usePredict } from '../store/predict-store'
import { useDataVersion } from '../store/use-job'

export function PredictScreen() {
  const models = useModels((s) => s.models)
  const refresh = useModels((s) => s.refresh)
  const { target, model, setTarget, setModel } = usePredict()
  const modelsChanged = useDataVersion('models')
  useEffect(() => {
    void refresh()
  }, [refresh, modelsChanged])
  const production = models.filter((m) => m.stage === 'production')
  // the chosen target, else the most recently promoted production model's
  const latest = [...production].sort((a, b) =>
    (b.promotedAt ?? '').localeCompare(a.promotedAt ?? ''),
  )[0]
  const chosenTarget =
    target && models.some((m) => m.target === target) ? target : (latest?.target ?? null)
  const chosen =
    models.find((m) => m.version === model && m.target === chosenTarget) ??
    production.find((m) => m.target === chosenTarget) ??
    models.find((m) => m.target === chosenTarget) ??
    null
  return (
    <>
      <ScreenHeader title="Predict">
        Score single compounds or whole files with a model: the target&apos;s production model
        unless you choose another.
      </ScreenHeader>
      <SampleBanner />
      {production.length === 0 || !chosen || !chosenTarget ? (
        <EmptyState
          title="No production model yet"
          action={{ label: 'Go to Models', screen: 'models' }}
        >
          <p>
            Predictions need a production model. Train one on the Models screen and promote it; each
            prediction then comes with pActivity, nM and a 90% interval.
          </p>
        </EmptyState>
      ) : (
        <div className="cards">
          <ModelChooser
            models={models}
            target={chosenTarget}
            model={chosen}
            onTarget={setTarget}
            onModel={setModel}
          />
          {/* keyed by model: another model's answer or input does not linger under this one */}
          <SingleForm key={chosen.version} model={chosen} />
          <BatchPanel model={chosen.version} />
        </div>
      )}
    </>
  )
}
