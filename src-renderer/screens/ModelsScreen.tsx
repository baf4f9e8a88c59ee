import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'

export function ModelsScreen() {
  return (
    <>
      <ScreenHeader title="Models">
        Train potency models, compare runs, and choose the production version.
      </ScreenHeader>
      <EmptyState
        title="No models trained yet"
        action={{ label: 'Go to Import', screen: 'import' }}
        steps={[
          'Import activities for a target (IC50 in nM works best).',
          'Pick the target, the feature set and a learner, then train.',
          'Compare cross-validated RMSE and R², and promote the best version.',
        ]}
      >
        <p>
          Models predict pActivity from a compound’s traits and are measured by cross-validation on
          your own data.
        </p>
      </EmptyState>
    </>
  )
}
