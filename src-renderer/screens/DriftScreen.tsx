import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'

export function DriftScreen() {
  return (
    <>
      <ScreenHeader title="Drift">
        Check whether new compounds still look like the data a model was trained on.
      </ScreenHeader>
      <EmptyState
        title="Nothing to compare yet"
        action={{ label: 'Go to Models', screen: 'models' }}
      >
        <p>
          A drift check compares new data with a model’s training data, feature by feature (KS,
          chi-square, Wasserstein, Jensen–Shannon and PSI). It needs a trained model first.
        </p>
      </EmptyState>
    </>
  )
}
