import { useEffect, useRef, useState } from 'react'
import type { ModelSummary } from '../../../src-main/contract'
import { call } from '../../api/client'
import { useModels } from '../../store/models-store'
import { ReasonDialog } from '../ReasonDialog'
import { downloadFile } from '../csv'
import { fmtDate, fmtDay, fmtInt, fmtNum } from '../format'

/** A change to production, waiting for its reason and confirmation. */
type PendingChange =
  | { kind: 'promote'; model: ModelSummary; current: ModelSummary | undefined }
  | { kind: 'rollback'; model: ModelSummary; to: string }

/** Where a version came from: the version it replaced here, or its name where it was exported. */
function lineage(m: ModelSummary): string {
  if (m.parentVersion) return `after ${m.parentVersion}`
  if (m.importedFrom) {
    const { version, parentVersion } = m.importedFrom
    return `imported (${version} there${parentVersion ? `, after ${parentVersion}` : ''})`
  }
  return '—'
}

/** Every version with its stage and lineage; promote, roll back, archive, export, import. */
export function Registry() {
  const models = useModels((s) => s.models)
  const selected = useModels((s) => s.selected)
  const select = useModels((s) => s.select)
  const refresh = useModels((s) => s.refresh)
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null)
  const [pending, setPending] = useState<PendingChange | null>(null)
  const messageRef = useRef<HTMLParagraphElement>(null)
  const fileInput = useRef<HTMLInputElement>(null)

  const say = (text: string, bad: boolean) => setMessage({ text, bad })
  // Each outcome takes the focus once it is on screen: the button that started the action may be
  // gone (a promoted row loses its Promote button), and focus left on nothing falls to the page.
  useEffect(() => {
    if (message) messageRef.current?.focus()
  }, [message])

  const act = async (what: () => Promise<string>) => {
    setMessage(null)
    try {
      const done = await what()
      await refresh()
      say(done, false)
    } catch (e) {
      say(e instanceof Error ? e.message : String(e), true)
    }
  }

  const confirmChange = async (change: PendingChange, reason: string) => {
    // errors from the engine show in the dialog; it stays open so the reason is not lost
    if (change.kind === 'promote') {
      const m = await call('models.promote', { version: change.model.version, reason })
      setPending(null)
      await refresh()
      say(
        `${m.version} is now the production model of ${m.target}${change.current ? `; ${change.current.version} is archived` : ''}. The reason is in the audit log.`,
        false,
      )
    } else {
      const r = await call('models.rollback', { target: change.model.target, reason })
      setPending(null)
      await refresh()
      say(
        `Rolled ${r.restored.target} back to ${r.restored.version}: it is the production model again, and ${r.replaced} is archived.`,
        false,
      )
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
      return `Exported ${m.version} as an .onnx file and its model card (.json).`
    })

  const importBundle = (files: FileList | null) => {
    const list = files ? [...files] : []
    const onnx = list.find((f) => f.name.toLowerCase().endsWith('.onnx'))
    const card = list.find((f) => f.name.toLowerCase().endsWith('.json'))
    if (!onnx || !card) {
      say('Choose both files of a bundle: the .onnx model and its .json card.', true)
      return
    }
    void act(async () => {
      const [o, c] = await Promise.all([
        window.workbench.fileRef(onnx),
        window.workbench.fileRef(card),
      ])
      const { model, alreadyInRegistry } = await call('models.import', { onnx: o, card: c })
      await select(model.version)
      return alreadyInRegistry
        ? `${onnx.name} is already in the registry as ${model.version} (the same ONNX file, SHA-256 ${model.onnxSha256.slice(0, 12)}…). Nothing was added.`
        : `Imported ${onnx.name} as ${model.version}; its checksum matches its card.`
    })
  }

  return (
    <section className="card wide" aria-labelledby="registry-title" data-testid="registry-card">
      <div className="row spread">
        <h2 id="registry-title">Model registry</h2>
        {/* a real button, so the keyboard reaches it; the file input itself stays hidden */}
        <button type="button" className="button" onClick={() => fileInput.current?.click()}>
          Import a model…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".onnx,.json"
          multiple
          hidden
          onChange={(e) => {
            importBundle(e.currentTarget.files)
            e.currentTarget.value = ''
          }}
          data-testid="import-model"
        />
      </div>
      <p
        ref={messageRef}
        tabIndex={-1}
        className={message?.bad ? 'error' : 'muted'}
        role={message?.bad ? 'alert' : 'status'}
        data-testid="registry-message"
        hidden={!message}
      >
        {message?.text}
      </p>
      {models.length === 0 ? (
        <p className="muted">No versions yet. Train one above, or import a colleague's bundle.</p>
      ) : (
        <div className="table-scroll">
          <table className="table registry" data-testid="registry">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Stage</th>
                <th scope="col">Target</th>
                <th scope="col" title="learner · feature set">
                  Model
                </th>
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
                      aria-label={`Show ${m.version}`}
                    >
                      {m.version}
                    </button>
                  </td>
                  <td>
                    <span className="tags">
                      <span className={`tag stage-${m.stage}`}>{m.stage}</span>
                      {m.isSynthetic && <span className="tag">synthetic data</span>}
                    </span>
                  </td>
                  <td>{m.target}</td>
                  <td>
                    {m.learner} · {m.featureSet}
                  </td>
                  <td className="num">{fmtInt(m.trainingRows)}</td>
                  <td className="num">{fmtNum(m.cv.rmse, 3)}</td>
                  <td className="num">{fmtNum(m.cv.r2, 3)}</td>
                  <td className="muted">{lineage(m)}</td>
                  <td className="muted nowrap" title={fmtDate(m.createdAt)}>
                    {fmtDay(m.createdAt)}
                  </td>
                  <td>
                    {/* a flex box inside the cell: a flex cell stops being a table cell and
                        its buttons spilled out of the card */}
                    <div className="row-actions">
                      {m.stage !== 'production' && (
                        <button
                          type="button"
                          className="button small"
                          aria-label={`Promote ${m.version}`}
                          onClick={() =>
                            setPending({
                              kind: 'promote',
                              model: m,
                              current: models.find(
                                (o) => o.target === m.target && o.stage === 'production',
                              ),
                            })
                          }
                        >
                          Promote
                        </button>
                      )}
                      {m.rollbackTo && (
                        <button
                          type="button"
                          className="button small"
                          onClick={() =>
                            setPending({ kind: 'rollback', model: m, to: m.rollbackTo as string })
                          }
                        >
                          Roll back to {m.rollbackTo}
                        </button>
                      )}
                      {m.stage === 'candidate' && (
                        <button
                          type="button"
                          className="button small"
                          aria-label={`Archive ${m.version}`}
                          onClick={() =>
                            void act(async () => {
                              await call('models.archive', {
                                version: m.version,
                                reason: 'archived on the Models screen',
                              })
                              return `${m.version} archived.`
                            })
                          }
                        >
                          Archive
                        </button>
                      )}
                      <button
                        type="button"
                        className="button small"
                        aria-label={`Export ${m.version}`}
                        onClick={() => void exportModel(m)}
                      >
                        Export
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pending?.kind === 'promote' && (
        <ReasonDialog
          title={`Promote ${pending.model.version} to production?`}
          confirmLabel={`Promote ${pending.model.version}`}
          reasonLabel={`Why promote ${pending.model.version}?`}
          onConfirm={(reason) => confirmChange(pending, reason)}
          onClose={() => setPending(null)}
        >
          <p>
            Every prediction for {pending.model.target} will use {pending.model.version} (
            {pending.model.learner} on {pending.model.featureSet}, cross-validated RMSE{' '}
            {fmtNum(pending.model.cv.rmse, 3)}).
            {pending.current
              ? ` ${pending.current.version} (RMSE ${fmtNum(pending.current.cv.rmse, 3)}) is archived and can be brought back with Roll back.`
              : ''}
          </p>
        </ReasonDialog>
      )}
      {pending?.kind === 'rollback' && (
        <ReasonDialog
          title={`Roll ${pending.model.target} back to ${pending.to}?`}
          confirmLabel={`Roll back to ${pending.to}`}
          reasonLabel={`Why roll back from ${pending.model.version}?`}
          onConfirm={(reason) => confirmChange(pending, reason)}
          onClose={() => setPending(null)}
        >
          <p>
            {pending.to} becomes the production model of {pending.model.target} again, and{' '}
            {pending.model.version} is archived.
          </p>
        </ReasonDialog>
      )}
    </section>
  )
}
