import { useEffect } from 'react'
import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'
import { ModelResult } from '../components/models/ModelResult'
import { PolicyPanel } from '../components/models/PolicyPanel'
import { Registry } from '../components/models/Registry'
import { RunsTable } from '../components/models/RunsTable'
import { TrainForm } from '../components/models/TrainForm'
import { useModels } from '../store/models-store'
import { useDataVersion } from '../store/use-job'

export function ModelsScreen() {
  const targets = useModels((s) => s.targets)
  const models = useModels((s) => s.models)
  const selected = useModels((s) => s.selected)
  const error = useModels((s) => s.error)
  const refresh = useModels((s) => s.refresh)
  // the registry, and the targets the activities offer, are read again when either changes
  const changes = useDataVersion('models', 'runs', 'activities')
  useEffect(() => {
    void refresh()
  }, [refresh, changes])

  const noData = targets !== null && targets.length === 0
  const empty = noData && models.length === 0
  return (
    <>
      <ScreenHeader title="Models">
        Train potency models, compare runs, and choose the production version.
      </ScreenHeader>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {empty && (
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
            Models predict pActivity from a compound’s traits and are measured by cross-validation
            on your own data.
          </p>
        </EmptyState>
      )}
      {/* The registry stays in one place in the tree, empty or not: a colleague's model can be
          imported before any data, and its outcome message must survive the first version. */}
      <div className={empty ? 'cards after-empty' : 'cards'}>
        {!noData && <TrainForm />}
        {selected && <ModelResult model={selected} />}
        {selected && <PolicyPanel target={selected.target} />}
        <Registry />
        {!empty && <RunsTable />}
      </div>
    </>
  )
}
