import { type FormEvent, useState } from 'react'
import {
  type ModelSummary,
  SEED_FEATURE_LABELS,
  type SinglePrediction,
} from '../../../src-main/contract'
import { CallError, call } from '../../api/client'
import { StructureImage } from '../chem/StructureImage'
import { useCompoundPanel } from '../../store/compound-store'
import { fmtConcentration, fmtNum } from '../format'
import { NeighboursCard } from './NeighboursCard'

/**
 * One compound: the input follows the model. A core4 model reads four numbers; a descriptor
 * model needs the structure, as SMILES, for RDKit to compute what it reads.
 */
export function SingleForm({ model }: { model: ModelSummary }) {
  const mode = model.featureSet === 'core4' ? 'features' : 'smiles'
  const [values, setValues] = useState({ mw: '', alogp: '', hba: '', hbd: '' })
  const [smiles, setSmiles] = useState('')
  const [answer, setAnswer] = useState<SinglePrediction | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    setBusy(true)
    try {
      const toNumber = (s: string) => (s.trim() === '' ? Number.NaN : Number(s))
      const input =
        mode === 'smiles'
          ? { model: model.version, smiles }
          : {
              model: model.version,
              features: {
                mw_freebase: toNumber(values.mw),
                alogp: toNumber(values.alogp),
                hba: toNumber(values.hba),
                hbd: toNumber(values.hbd),
              },
            }
      setAnswer(await call('predictions.single', input))
    } catch (error) {
      setAnswer(null)
      const message = error instanceof Error ? error.message : String(error)
      setProblem(
        error instanceof CallError && error.code === 'invalid-input'
          ? message
              .replace(/^The input to predictions\.single is not valid: /, '')
              .replace(/ \(features\.\w+\)/g, '')
          : message,
      )
    } finally {
      setBusy(false)
    }
  }

  const field = (key: keyof typeof values, label: string, hint: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        inputMode="decimal"
        value={values[key]}
        placeholder={hint}
        onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
        aria-label={label}
      />
    </label>
  )

  return (
    <section className="card wide" aria-labelledby="single-title">
      <h2 id="single-title">One compound</h2>
      <p className="muted small" data-testid="single-input-kind">
        {mode === 'features'
          ? `${model.version} reads four features: type them.`
          : `${model.version} reads RDKit's descriptors of a structure: paste its SMILES.`}
      </p>
      <form className="single-form" onSubmit={(e) => void submit(e)}>
        {mode === 'features' ? (
          <div className="four">
            {field('mw', 'MW (g/mol)', 'e.g. 350.4')}
            {field('alogp', 'AlogP', 'e.g. 3.1')}
            {field('hba', 'HBA', 'e.g. 5')}
            {field('hbd', 'HBD', 'e.g. 1')}
          </div>
        ) : (
          <label className="field wide-field">
            <span>SMILES</span>
            <input
              className="mono"
              value={smiles}
              placeholder="CC(=O)Oc1ccccc1C(=O)O"
              onChange={(e) => setSmiles(e.target.value)}
              aria-label="SMILES"
            />
          </label>
        )}
        <button
          type="submit"
          className="button primary"
          disabled={busy}
          data-testid="predict-submit"
        >
          {/* not just "Predict": the sidebar's button to this screen is called that */}
          Predict pActivity
        </button>
      </form>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {answer && <AnswerCard answer={answer} smiles={mode === 'smiles' ? smiles.trim() : null} />}
    </section>
  )
}

function AnswerCard({ answer, smiles }: { answer: SinglePrediction; smiles: string | null }) {
  const [lo, hi] = answer.interval
  const seed = answer.seed
  return (
    <div className="answer" data-testid="answer">
      <div className="answer-layout">
        {smiles && (
          <StructureImage
            {...(answer.compoundId !== null ? { compoundId: answer.compoundId } : { smiles })}
            size={180}
            title="the predicted compound"
          />
        )}
        <div>
          <div className="answer-main">
            <span className="answer-p">pActivity {fmtNum(answer.pActivity, 2)}</span>
            <span className="answer-nm">{fmtConcentration(answer.nM)}</span>
          </div>
          <p data-testid="answer-interval">
            90% interval: pActivity {fmtNum(lo, 2)} to {fmtNum(hi, 2)} (
            {fmtConcentration(answer.intervalNm[1])} to {fmtConcentration(answer.intervalNm[0])})
            <span className="muted small">
              {answer.intervalMethod === 'adaptive'
                ? " — its width is this compound's own: wider where the model has erred more on similar compounds."
                : ' — the same width for every compound (this model was calibrated before intervals adapted to each compound).'}
            </span>
          </p>
          <p className={answer.inDomain ? 'ok-text' : 'error'}>
            {answer.inDomain
              ? answer.domain.structureAware
                ? 'Inside the applicability domain: similar compounds were in the training data.'
                : 'Inside the applicability domain: its features are close to those of training compounds.'
              : `Outside the applicability domain${outsideReason(answer)}. Treat this prediction with caution.`}
          </p>
          <ul className="domain-figures small" data-testid="answer-domain">
            <li>
              Similarity to the nearest training compound (Tanimoto, Morgan radius 2):{' '}
              {similarityText(answer)}
            </li>
            <li>
              Distance in descriptor space to the nearest training compound:{' '}
              <strong>{fmtNum(answer.domain.distance, 2)}</strong> (inside up to{' '}
              {fmtNum(answer.domain.threshold, 2)})
            </li>
          </ul>
          <dl className="answer-seed" data-testid="answer-seed">
            {(Object.keys(SEED_FEATURE_LABELS) as (keyof typeof SEED_FEATURE_LABELS)[]).map((k) => (
              <div key={k}>
                <dt>{SEED_FEATURE_LABELS[k]}</dt>
                <dd>{fmtNum(seed[k], k === 'hba' || k === 'hbd' ? 0 : 2)}</dd>
              </div>
            ))}
          </dl>
          <p className="muted small">
            Model {answer.modelVersion} for {answer.target}
            {answer.isSynthetic ? ', trained on synthetic sample data' : ''}
            {answer.rdkitVersion ? `; features computed with RDKit ${answer.rdkitVersion}` : ''}.
            {answer.compoundId !== null && (
              <>
                {' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => useCompoundPanel.getState().open(answer.compoundId as number)}
                >
                  This compound is in the database: open its page
                </button>
              </>
            )}
          </p>
        </div>
      </div>
      <NeighboursCard answer={answer} />
    </div>
  )
}

/** Why a prediction is outside the domain: range, structure, descriptor distance. */
function outsideReason(answer: SinglePrediction): string {
  const d = answer.domain
  const reasons: string[] = []
  if (d.outOfRange.length > 0) reasons.push(`${d.outOfRange.join(', ')} beyond the training range`)
  if (
    d.similarity !== null &&
    d.similarityThreshold !== null &&
    d.similarity < d.similarityThreshold
  )
    reasons.push('no training compound is this similar in structure')
  if (d.distance > d.threshold)
    reasons.push('no training compound is this close in its descriptors')
  return reasons.length > 0 ? ` (${reasons.join('; ')})` : ''
}

function similarityText(answer: SinglePrediction) {
  const d = answer.domain
  if (!d.structureAware)
    return 'not checked: this model has no training structures to compare with (trained on file values, or before structures were compared).'
  if (d.similarity === null) return 'unknown: this prediction has no structure.'
  return (
    <>
      <strong>{fmtNum(d.similarity, 2)}</strong> (inside from {fmtNum(d.similarityThreshold, 2)})
    </>
  )
}
