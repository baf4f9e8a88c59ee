import type { SinglePrediction, TrainingNeighbour } from '../../../src-main/contract'
import { useCompoundPanel } from '../../store/compound-store'
import { StructureImage } from '../chem/StructureImage'
import { REASON_LABELS, fmtConcentration, fmtNum, fmtPActivityCensored } from '../format'

/**
 * The training compounds most like the predicted one, with what was measured for them: a chemist
 * judges a prediction by its nearest known relatives. A compound the model was trained on says so
 * and shows its own measurements first.
 */
export function NeighboursCard({ answer }: { answer: SinglePrediction }) {
  const n = answer.neighbours
  return (
    <section className="neighbours" aria-labelledby="neighbours-title" data-testid="neighbours">
      <h3 id="neighbours-title">Most similar training compounds</h3>
      {n.unavailable ? (
        <p className="muted">{n.unavailable}</p>
      ) : (
        <>
          {n.inTraining && <InTraining answer={answer} same={n.inTraining} />}
          <ol className="neighbour-list">
            {n.items.map((item) => (
              <Neighbour key={item.compoundId} item={item} />
            ))}
          </ol>
          <p className="muted small">
            Tanimoto similarity of Morgan fingerprints (radius 2, 2048 bits) against the{' '}
            {n.compared.toLocaleString('en')} training compounds with a structure; measured values
            are each compound&apos;s median training pActivity.
            {!n.matchesModel &&
              ' The data behind this model has changed since it was trained, so these come from the data as it is now.'}
          </p>
        </>
      )}
    </section>
  )
}

function Neighbour({ item }: { item: TrainingNeighbour }) {
  const name = item.chemblId ?? item.name ?? `compound ${item.compoundId}`
  return (
    <li className="neighbour" data-testid="neighbour">
      <StructureImage compoundId={item.compoundId} size={150} title={name} />
      <button
        type="button"
        className="link-button"
        onClick={() => useCompoundPanel.getState().open(item.compoundId)}
        aria-label={`Open training compound ${name}`}
      >
        {name}
      </button>
      <span>
        Similarity <strong>{fmtNum(item.similarity, 2)}</strong>
      </span>
      <span>
        Measured pActivity {fmtNum(item.measured, 2)}{' '}
        <span className="muted">({fmtConcentration(10 ** (9 - item.measured))})</span>
      </span>
    </li>
  )
}

function InTraining({
  answer,
  same,
}: {
  answer: SinglePrediction
  same: NonNullable<SinglePrediction['neighbours']['inTraining']>
}) {
  const used = same.measurements.filter((m) => m.used).length
  return (
    <div className="in-training" data-testid="in-training" role="note">
      <strong>This compound is in the training set of {answer.modelVersion}.</strong> Measured
      pActivity {fmtNum(same.measured, 2)} ({fmtConcentration(10 ** (9 - same.measured))}
      {used > 1 ? `, the median of the ${used} measurements training used` : ''}); predicted{' '}
      {fmtNum(answer.pActivity, 2)}.
      {same.measurements.length > 0 && (
        <ul className="measured-list">
          {same.measurements.map((m, i) => (
            <li key={i} className={m.used ? undefined : 'muted'}>
              {m.standardType ?? '—'}{' '}
              {m.standardValue === null
                ? 'no value'
                : `${m.relation && m.relation !== '=' ? `${m.relation} ` : ''}${m.standardValue} ${m.standardUnits ?? ''}`}
              {m.pActivity !== null
                ? ` (pActivity ${fmtPActivityCensored(m.pActivity, m.relation)})`
                : ''}
              {m.used
                ? ''
                : ` — not used: ${REASON_LABELS[m.unusableReason ?? ''] ?? m.unusableReason ?? 'no value'}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
