import { useEffect } from 'react'
import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'
import { BatchPanel } from '../components/predict/BatchPanel'
import { SampleBanner } from '../components/predict/SampleBanner'
import { SingleForm } from '../components/predict/SingleForm'
import { useModels } from '../store/models-store'

export function PredictScreen() {
  const models = useModels((s) => s.models)
  const refresh = useModels((s) => s.refresh)
  useEffect(() => {
    void refresh()
  }, [refresh])
  const production = models.filter((m) => m.stage === 'production')
  return (
    <>
      <ScreenHeader title="Predict">
        Score single compounds or whole files with the production model.
      </ScreenHeader>
      <SampleBanner />
      {production.length === 0 ? (
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
          <SingleForm />
          <BatchPanel />
        </div>
      )}
    </>
  )
}
