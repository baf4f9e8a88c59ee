import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'

export function PredictScreen() {
  return (
    <>
      <ScreenHeader title="Predict">
        Score single compounds or whole files with the production model.
      </ScreenHeader>
      <EmptyState
        title="No production model yet"
        action={{ label: 'Go to Models', screen: 'models' }}
      >
        <p>
          Predictions need a production model. Train one on the Models screen and promote it; each
          prediction then comes with pActivity, nM and a 90% interval.
        </p>
      </EmptyState>
    </>
  )
}
