import { useState } from 'react'
import type { ModelSummary } from '../../../src-main/contract'
import { call } from '../../api/client'
import { useModels } from '../../store/models-store'
import { downloadFile } from '../csv'
import { fmtDate, fmtInt, fmtNum } from '../format'

/** What a version's stage allows from the registry table. */
function stageActions(m: ModelSummary, all: ModelSummary[]) {
  const actions: { label: string; run: () => Promise<unknown>; done: string }[] = []
  if (m.stage !== 'production')
    actions.push({
      label: 'Promote',
      run: () =>
        call('models.promote', { version: m.version, reason: 'promoted on the Models screen' }),
      done: `${m.version} is now the production model of ${m.target}.`,
    })
  // roll back only where there is something to go back to
  if (m.stage === 'production' && all.some((o) => o.target === m.target && o.version !== m.version))
    actions.push({
      label: 'Roll back',
      run: () =>
        call('models.rollback', { target: m.target, reason: 'rolled back on the Models screen' }),
      done: `Rolled ${m.target} back to its previous production model.`,
    })
  if (m.stage === 'candidate')
    actions.push({
      label: 'Archive',
      run: () =>
        call('models.archive', { version: m.version, reason: 'archived on the Models screen' }),
      done: `${m.version} archived.`,
    })
  return actions
}

/** Every version with its stage and lineage; promote, roll back, archive, export, import. */
export function Registry() {
  const models = useModels((s) => s.models)
  const selected = useModels((s) => s.selected)
  const select = useModels((s) => s.select)
  const refresh = useModels((s) => s.refresh)
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null)

  const act = async (what: () => Promise<unknown>, done: string) => {
    setMessage(null)
    try {
      await what()
      setMessage({ text: done, bad: false })
      await refresh()
    } catch (e) {
      setMessage({ text: e instanceof Error ? e.message : String(e), bad: true })
    }
  }
  const exportModel = (m: ModelSummary) =>
    act(async () => {
      const bundle = await call('models.export', { version: m.version })
      const bytes = Uint8Array.from(atob(bundle.onnxBase64), (c) => c.charCodeAt(0))
      downloadFile(`${bundle.fileBase}.onnx`, bytes, 'application/octet-stream')
      downloadFile(
        `${bundle.fileBase}.json`,
        JSON.stringify(bundle.card, null, 2),
        'application/json',
      )
    }, `Exported ${m.version} as an .onnx file and its model card (.json).`)
  const importBundle = (files: FileList | null) => {
    const list = files ? [...files] : []
    const onnx = list.find((f) => f.name.toLowerCase().endsWith('.onnx'))
    const card = list.find((f) => f.name.toLowerCase().endsWith('.json'))
    if (!onnx || !card) {
      setMessage({
        text: 'Choose both files of a bundle: the .onnx model and its .json card.',
        bad: true,
      })
      return
    }
    void act(async () => {
      const [o, c] = await Promise.all([
        window.workbench.fileRef(onnx),
        window.workbench.fileRef(card),
      ])
      const { model } = await call('models.import', { onnx: o, card: c })
      await select(model.version)
    }, `Imported ${onnx.name}; its checksum matches its card.`)
  }

  return (
    <section className="card wide" aria-labelledby="registry-title">
      <div className="row spread">
        <h2 id="registry-title">Model registry</h2>
        <label className="button">
          Import a model…
          <input
            type="file"
            accept=".onnx,.json"
            multiple
            hidden
            onChange={(e) => importBundle(e.target.files)}
            data-testid="import-model"
          />
        </label>
      </div>
      {message && (
        <p className={message.bad ? 'error' : 'muted'} role={message.bad ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {models.length === 0 ? (
        <p className="muted">No versions yet. Train one above, or import a colleague's bundle.</p>
      ) : (
        <table className="table registry" data-testid="registry">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Stage</th>
              <th scope="col">Target</th>
              <th scope="col">Learner · features</th>
              <th scope="col" className="num">
                Compounds
              </th>
              <th scope="col" className="num">
                RMSE
              </th>
              <th scope="col" className="num">
                R²
              </th>
              <th scope="col">Lineage</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr
                key={m.version}
                className={selected?.version === m.version ? 'selected' : ''}
                data-testid={`model-${m.version}`}
              >
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => void select(m.version)}
                  >
                    {m.version}
                  </button>
                </td>
                <td>
                  <span className={`tag stage-${m.stage}`}>{m.stage}</span>
                  {m.isSynthetic && <span className="tag">synthetic data</span>}
                </td>
                <td>{m.target}</td>
                <td>
                  {m.learner} · {m.featureSet}
                </td>
                <td className="num">{fmtInt(m.trainingRows)}</td>
                <td className="num">{fmtNum(m.cv.rmse, 3)}</td>
                <td className="num">{fmtNum(m.cv.r2, 3)}</td>
                <td className="muted">{m.parentVersion ? `after ${m.parentVersion}` : '—'}</td>
                <td className="muted">{fmtDate(m.createdAt)}</td>
                <td className="actions">
                  {stageActions(m, models).map((action) => (
                    <button
                      key={action.label}
                      type="button"
                      className="button small"
                      onClick={() => void act(action.run, action.done)}
                    >
                      {action.label}
                    </button>
                  ))}
                  <button
                    type="button"
                    className="button small"
                    onClick={() => void exportModel(m)}
                  >
                    Export
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
