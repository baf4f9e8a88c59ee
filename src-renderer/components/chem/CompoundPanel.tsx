import { useEffect, useId, useRef, useState } from 'react'
import type { CompoundDetail } from '../../../src-main/contract'
import { call } from '../../api/client'
import { useCompoundPanel } from '../../store/compound-store'
import {
  REASON_LABELS,
  fmtConcentration,
  fmtDate,
  fmtInt,
  fmtNum,
  fmtPActivityCensored,
} from '../format'
import { StructureImage } from './StructureImage'

const SOURCE_LABELS: Record<string, string> = {
  file: 'from the file',
  rdkit: 'computed by RDKit',
}

/** The open compound's page, over whichever screen opened it (see useCompoundPanel). */
export function CompoundPanelHost() {
  const compoundId = useCompoundPanel((s) => s.compoundId)
  const close = useCompoundPanel((s) => s.close)
  return compoundId === null ? null : (
    <CompoundPanel key={compoundId} compoundId={compoundId} onClose={close} />
  )
}

/**
 * Everything known of one compound: structure, identifiers, seed features with their source,
 * descriptors, every measurement across imports and its predictions. A native modal dialog: it
 * keeps the focus inside, closes on Escape and gives the focus back to the row that opened it.
 */
export function CompoundPanel({ compoundId, onClose }: { compoundId: number; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [detail, setDetail] = useState<CompoundDetail | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])

  useEffect(() => {
    let stale = false
    call('compounds.get', { compoundId }).then(
      (d) => !stale && setDetail(d),
      (e: Error) => !stale && setProblem(e.message),
    )
    return () => {
      stale = true
    }
  }, [compoundId])

  const heading = detail
    ? [detail.chemblId, detail.name].filter(Boolean).join(' · ') || `Compound ${detail.id}`
    : 'Compound'
  return (
    <dialog
      ref={ref}
      className="compound-panel"
      aria-labelledby={titleId}
      data-testid="compound-panel"
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <header className="compound-panel-head">
        <h2 id={titleId}>{heading}</h2>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </header>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {!detail && !problem && <p className="muted">Loading…</p>}
      {detail && <CompoundBody detail={detail} />}
    </dialog>
  )
}

function CompoundBody({ detail }: { detail: CompoundDetail }) {
  return (
    <div className="compound-body">
      <div className="compound-top">
        <StructureImage
          compoundId={detail.id}
          size={300}
          title={detail.chemblId ?? detail.name ?? undefined}
        />
        {detail.standardisedSmiles !== null && detail.standardisation.length > 0 && (
          <figure className="compound-parent">
            <StructureImage
              smiles={detail.standardisedSmiles}
              size={200}
              title="Standardised parent"
            />
            <figcaption>Standardised parent: RDKit computes the features on this</figcaption>
          </figure>
        )}
        <dl className="compound-ids">
          <dt>ChEMBL ID</dt>
          <dd>{detail.chemblId ?? '—'}</dd>
          <dt>Name</dt>
          <dd>{detail.name ?? '—'}</dd>
          <dt>SMILES</dt>
          <dd className="mono smiles-text">{detail.smiles ?? '—'}</dd>
          <dt>Molecule key</dt>
          <dd className="mono">{detail.moleculeKey}</dd>
          <dt>Standardised</dt>
          <dd>
            {detail.standardisedSmiles === null
              ? 'not yet (runs when the data folder opens)'
              : detail.standardisation.length === 0
                ? 'unchanged: already a neutral single fragment'
                : detail.standardisation.join('; ')}
          </dd>
          {detail.standardisedSmiles !== null && detail.standardisation.length > 0 && (
            <>
              <dt>Parent SMILES</dt>
              <dd className="mono smiles-text">{detail.standardisedSmiles}</dd>
            </>
          )}
          {detail.seed.map((s) => (
            <FeatureRow key={s.feature} {...s} />
          ))}
          {detail.rdkitVersion && (
            <>
              <dt>RDKit</dt>
              <dd>{detail.rdkitVersion}</dd>
            </>
          )}
        </dl>
      </div>

      <section aria-labelledby="compound-measurements">
        <h3 id="compound-measurements">
          Measurements{' '}
          <span className="muted">
            {fmtInt(detail.measurementsTotal)}
            {detail.measurementsTotal > detail.measurements.length
              ? ` (first ${fmtInt(detail.measurements.length)} shown)`
              : ''}
          </span>
        </h3>
        {detail.measurements.length === 0 ? (
          <p className="muted">No measurements of this compound.</p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="compound-measurements">
              <thead>
                <tr>
                  <th>Type</th>
                  <th className="num">Value</th>
                  <th className="num">pActivity</th>
                  <th>Target</th>
                  <th>Assay</th>
                  <th>Document</th>
                  <th>Import</th>
                  <th>Training</th>
                </tr>
              </thead>
              <tbody>
                {detail.measurements.map((m) => (
                  <tr key={m.id}>
                    <td>{m.standardType ?? '—'}</td>
                    <td className="num nowrap">
                      {m.standardValue === null
                        ? '—'
                        : `${m.relation && m.relation !== '=' ? `${m.relation} ` : ''}${m.standardValue} ${m.standardUnits ?? ''}`}
                    </td>
                    <td className="num">{fmtPActivityCensored(m.pActivity, m.relation)}</td>
                    <td title={m.targetName ?? undefined}>{m.targetChemblId ?? '—'}</td>
                    <td>{m.assayChemblId ?? '—'}</td>
                    <td className="nowrap">
                      {m.documentChemblId ?? '—'}
                      {m.documentYear ? ` (${m.documentYear})` : ''}
                    </td>
                    <td className="nowrap" title={`line ${m.lineNumber}`}>
                      {m.importFile}
                    </td>
                    <td>
                      {m.usable ? (
                        <span className="ok-text">usable</span>
                      ) : (
                        <span className="muted">
                          {REASON_LABELS[m.unusableReason ?? ''] ?? m.unusableReason ?? 'no value'}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="compound-predictions">
        <h3 id="compound-predictions">
          Predictions <span className="muted">{fmtInt(detail.predictionsTotal)}</span>
        </h3>
        {detail.predictions.length === 0 ? (
          <p className="muted">No predictions have been made for this compound.</p>
        ) : (
          <table className="table" data-testid="compound-predictions">
            <thead>
              <tr>
                <th>When</th>
                <th>Model</th>
                <th>Target</th>
                <th className="num">Predicted pActivity</th>
                <th className="num">Potency</th>
                <th>90% interval</th>
                <th>Domain</th>
              </tr>
            </thead>
            <tbody>
              {detail.predictions.map((p) => (
                <tr key={`${p.batchId}-${p.createdAt}`}>
                  <td className="nowrap">{fmtDate(p.createdAt)}</td>
                  <td>{p.modelVersion}</td>
                  <td>{p.target}</td>
                  <td className="num">{p.failure ? p.failure : fmtNum(p.pActivity, 2)}</td>
                  <td className="num">
                    {p.pActivity === null ? '—' : fmtConcentration(10 ** (9 - p.pActivity))}
                  </td>
                  <td className="nowrap">
                    {p.interval
                      ? `${fmtNum(p.interval[0], 2)} to ${fmtNum(p.interval[1], 2)}`
                      : '—'}
                  </td>
                  <td>{p.inDomain === null ? '—' : p.inDomain ? 'inside' : 'outside'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {detail.descriptors.length > 0 && (
        <details className="compound-descriptors">
          <summary>RDKit descriptors ({detail.descriptors.length})</summary>
          <dl>
            {detail.descriptors.map((d) => (
              <div key={d.name} title={d.name}>
                <dt>{d.label}</dt>
                <dd className="num">{fmtNum(d.value, Number.isInteger(d.value) ? 0 : 3)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      <p className="muted small">Bioactivity data from ChEMBL (EMBL-EBI), CC BY-SA 3.0.</p>
    </div>
  )
}

function FeatureRow({ feature, label, value, source }: CompoundDetail['seed'][number]) {
  const whole = feature === 'hba' || feature === 'hbd'
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {fmtNum(value, whole ? 0 : 2)}{' '}
        {source && <span className="muted small">{SOURCE_LABELS[source] ?? source}</span>}
      </dd>
    </>
  )
}
