import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'

export function ReportsScreen() {
  return (
    <>
      <ScreenHeader title="Reports">
        HTML and PDF reports: model cards, drift reports and prediction batches.
      </ScreenHeader>
      <EmptyState title="No reports yet" action={{ label: 'Go to Models', screen: 'models' }}>
        <p>
          Reports are made from models, drift checks and prediction batches. Train a model to write
          its model card.
        </p>
      </EmptyState>
    </>
  )
}
