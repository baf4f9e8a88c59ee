import { type FormEvent, useState } from 'react'
import type { SinglePrediction } from '../../../src-main/contract'
import { CallError, call } from '../../api/client'
import { fmtConcentration, fmtNum } from '../format'

type Mode = 'features' | 'smiles'

/** One compound: four numbers or a SMILES in, the answer card out. */
export function SingleForm() {
  const [mode, setMode] = useState<Mode>('features')
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
          ? { smiles }
          : {
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
    <section className="card" aria-labelledby="single-title">
      <h2 id="single-title">One compound</h2>
      <div className="segmented" role="radiogroup" aria-label="Input">
        {(['features', 'smiles'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="radio"
            aria-checked={mode === m}
            className={mode === m ? 'active' : ''}
            onClick={() => setMode(m)}
          >
            {m === 'features' ? 'Four features' : 'SMILES'}
          </button>
        ))}
      </div>
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
      {answer && <AnswerCard answer={answer} />}
    </section>
  )
}

function AnswerCard({ answer }: { answer: SinglePrediction }) {
  const [lo, hi] = answer.interval
  return (
    <div className="answer" data-testid="answer">
      <div className="answer-main">
        <span className="answer-p">pActivity {fmtNum(answer.pActivity, 2)}</span>
        <span className="answer-nm">{fmtConcentration(answer.nM)}</span>
      </div>
      <p>
        90% interval: pActivity {fmtNum(lo, 2)} to {fmtNum(hi, 2)} (
        {fmtConcentration(answer.intervalNm[1])} to {fmtConcentration(answer.intervalNm[0])})
      </p>
      <p className={answer.inDomain ? 'ok-text' : 'error'}>
        {answer.inDomain
          ? 'Inside the applicability domain: similar compounds were in the training data.'
          : `Outside the applicability domain${
              answer.domain.outOfRange.length > 0
                ? ` (${answer.domain.outOfRange.join(', ')} beyond the training range)`
                : ': no training compound is this close'
            }. Treat this prediction with caution.`}
      </p>
      <p className="muted small">
        Model {answer.modelVersion} for {answer.target}
        {answer.isSynthetic ? ', trained on synthetic sample data' : ''}.{' '}
        {Object.entries(answer.features)
          .slice(0, 4)
          .map(([k, v]) => `${k} ${fmtNum(v, k === 'hba' || k === 'hbd' ? 0 : 2)}`)
          .join(', ')}
        {answer.rdkitVersion ? ` (RDKit ${answer.rdkitVersion})` : ''}
      </p>
    </div>
  )
}
