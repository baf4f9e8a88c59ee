import { useEffect, useState } from 'react'
import type { SampleStatus } from '../../../src-main/contract'
import { call } from '../../api/client'
import { useApp } from '../../store/app-store'
import { useModels } from '../../store/models-store'

/** Says plainly when the model in use was trained on the synthetic sample, and removes it. */
export function SampleBanner() {
  const [status, setStatus] = useState<SampleStatus | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const models = useModels((s) => s.models)
  const refreshModels = useModels((s) => s.refresh)
  const go = useApp((s) => s.go)
  useEffect(() => {
    void call('sample.status', {}).then(setStatus)
  }, [models])
  if (!status?.present) return null
  const production = models.filter((m) => m.stage === 'production')
  const synthetic = production.length > 0 && production.every((m) => m.isSynthetic)
  const remove = async () => {
    if (
      !window.confirm(
        'Remove the synthetic sample data, the models trained on it and their predictions?',
      )
    )
      return
    try {
      await call('sample.remove', {})
      await refreshModels()
      setStatus(await call('sample.status', {}))
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    }
  }
  return (
    <div className="notice sample-banner" role="status" data-testid="sample-banner">
      <p>
        {synthetic
          ? 'The current model was trained on synthetic sample data, not on measurements. Its predictions show how the app works; they say nothing about real compounds. Import your own data and train a model to replace it.'
          : 'The synthetic sample data is still in this data folder.'}
      </p>
      <div className="row">
        <button type="button" className="button" onClick={() => go('import')}>
          Import data
        </button>
        <button type="button" className="button" onClick={() => void remove()}>
          Remove sample
        </button>
      </div>
      {problem && <p className="error">{problem}</p>}
    </div>
  )
}
