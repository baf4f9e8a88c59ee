import { useCallback, useEffect, useState } from 'react'
import type { DriftCheck, DriftRunSummary, ModelSummary } from '../../src-main/contract'
import { call } from '../api/client'
import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'
import { CheckPage } from '../components/drift/CheckPage'
import { DriftSettingsCard } from '../components/drift/DriftSettingsCard'
import { DriftTimeline } from '../components/drift/DriftTimeline'
import { RunCheckCard } from '../components/drift/RunCheckCard'
import { SimulateCard } from '../components/drift/SimulateCard'
import { FEATURE_SET_NAMES } from '../components/predict/feature-set-labels'
import { useDrift } from '../store/drift-store'
import { useModels } from '../store/models-store'
import { useDataVersion } from '../store/use-job'

/** The production model of the first target (alphabetically), else the newest model. */
function defaultModel(models: ModelSummary[]): string | null {
  const production = models
    .filter((m) => m.stage === 'production')
    .sort((a, b) => a.target.localeCompare(b.target))
  return production[0]?.version ?? models[0]?.version ?? null
}

export function DriftScreen() {
  const models = useModels((s) => s.models)
  const refreshModels = useModels((s) => s.refresh)
  const { model: chosen, openRunId, setModel, open, close } = useDrift()
  const [all, setAll] = useState<DriftRunSummary[] | null>(null)
  const [datasetShare, setDatasetShare] = useState(0.5)
  const [check, setCheck] = useState<DriftCheck | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const driftChanged = useDataVersion('drift')
  const modelsChanged = useDataVersion('models')

  useEffect(() => {
    void refreshModels()
  }, [refreshModels, modelsChanged])
  useEffect(() => {
    let live = true
    void call('drift.history', {}).then(
      (runs) => live && setAll(runs),
      (e: unknown) => {
        if (!live) return
        setAll([])
        setProblem(e instanceof Error ? e.message : String(e))
      },
    )
    return () => {
      live = false
    }
    // a deleted model changes how its checks read ("model deleted")
  }, [driftChanged, modelsChanged])

  // versions with checks whose model was deleted are still offered, marked so
  const deleted = [
    ...new Map(
      (all ?? [])
        .filter((r) => !models.some((m) => m.version === r.modelVersion))
        .map((r) => [r.modelVersion, r.target]),
    ),
  ]
  const model =
    chosen && (models.some((m) => m.version === chosen) || deleted.some(([v]) => v === chosen))
      ? chosen
      : defaultModel(models)
  const summary = models.find((m) => m.version === model) ?? null
  const runs = (all ?? []).filter((r) => r.modelVersion === model)

  useEffect(() => {
    if (!model || !summary) return
    let live = true
    void call('drift.settings', { model }).then(
      (s) => live && setDatasetShare(s.datasetShare),
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [model, summary, driftChanged])

  useEffect(() => {
    if (openRunId === null) return setCheck(null)
    let live = true
    setProblem(null)
    void call('drift.get', { driftRunId: openRunId }).then(
      (c) => live && setCheck(c),
      (e: unknown) => live && setProblem(e instanceof Error ? e.message : String(e)),
    )
    return () => {
      live = false
    }
  }, [openRunId])

  const onOpen = useCallback((id: number) => open(id), [open])
  const header = (
    <ScreenHeader title="Drift">
      Check whether new compounds still look like the data a model was trained on, and whether it
      still predicts them well.
    </ScreenHeader>
  )
  if (models.length === 0 && deleted.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          title="Nothing to compare yet"
          action={{ label: 'Go to Models', screen: 'models' }}
        >
          <p>
            A drift check compares new data with a model’s training data, feature by feature, and
            says whether it has moved. It needs a trained model first.
          </p>
        </EmptyState>
      </>
    )
  }
  // simulated rows have the sample's four traits: another feature set cannot read them
  const simulateModel = summary?.featureSet === 'core4' ? summary.version : null

  return (
    <>
      {header}
      <div className="drift-model-row row wrap">
        <label className="field">
          <span>Model</span>
          <select
            value={model ?? ''}
            onChange={(e) => setModel(e.target.value)}
            aria-label="Model whose checks are shown"
            data-testid="drift-model"
          >
            {models.map((m) => (
              <option key={m.version} value={m.version}>
                {m.version} · {m.target} · {m.stage} · {FEATURE_SET_NAMES[m.featureSet]}
                {m.isSynthetic ? ' · synthetic sample' : ''}
              </option>
            ))}
            {deleted.map(([v, target]) => (
              <option key={v} value={v}>
                {v} · {target} · deleted
              </option>
            ))}
          </select>
        </label>
        {summary && (
          <p className="muted small">
            Trained on {summary.trainingRows.toLocaleString('en')} compounds; cross-validated RMSE{' '}
            {summary.cv.rmse.toFixed(2)} pActivity units.
          </p>
        )}
        {!summary && model && (
          <p className="error small">Model {model} was deleted; its checks are kept.</p>
        )}
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {openRunId !== null && check?.driftRunId === openRunId ? (
        <CheckPage check={check} onBack={close} />
      ) : openRunId !== null ? (
        problem ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setProblem(null)
              close()
            }}
          >
            Back to the timeline
          </button>
        ) : (
          <p className="muted" role="status">
            Opening check #{openRunId}…
          </p>
        )
      ) : all === null ? (
        <p className="muted" role="status">
          Reading the drift history…
        </p>
      ) : runs.length === 0 ? (
        <div className="cards">
          <section
            className="empty-state card wide"
            aria-label="No checks yet"
            data-testid="drift-empty"
          >
            <h2>No checks of {model} yet</h2>
            <p>
              A check compares new rows with the rows the model learned from: does each feature
              still look the same, do the predictions, and, where values were measured, is the model
              still as accurate? Checks run by themselves after each import and prediction batch.
            </p>
            <p>To see what drift looks like, simulate some new data below.</p>
          </section>
          <SimulateCard model={simulateModel} primary />
          {summary && <RunCheckCard model={summary.version} />}
          {summary && <DriftSettingsCard model={summary.version} />}
        </div>
      ) : (
        <div className="cards">
          <DriftTimeline
            model={model ?? ''}
            modelDeleted={!summary}
            runs={runs}
            datasetShare={datasetShare}
            cvRmse={summary?.cv.rmse ?? null}
            onOpen={onOpen}
          />
          {summary && <RunCheckCard model={summary.version} />}
          <SimulateCard model={simulateModel} />
          {summary && <DriftSettingsCard model={summary.version} />}
        </div>
      )}
    </>
  )
}
