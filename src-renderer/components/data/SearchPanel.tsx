import { type FormEvent, useEffect, useRef, useState } from 'react'
import type { Facets, SearchResult } from '../../../src-main/contract'
import { useJob } from '../../store/use-job'
import { StructureImage } from '../chem/StructureImage'
import { JobProgress } from '../JobProgress'
import { fmtCount, fmtInt, fmtNum } from '../format'

type Mode = 'similarity' | 'substructure'
type Syntax = 'smarts' | 'smiles'

const MIN_THRESHOLD = 0.3
const DEFAULT_THRESHOLD = 0.7
/** hits shown: a chemist reads the top of the list, and each row draws a structure */
const SHOWN = 200
/** each panel shown follows its own searches: one opened anew starts empty, as its form does */
let panels = 0

interface Query {
  mode: Mode
  text: string
  syntax: Syntax
  threshold: number
  target: string
}

/**
 * Structure search on the Data screen: compounds similar to a SMILES (Tanimoto on the stored
 * Morgan fingerprints, at or above a threshold, most similar first) or containing a substructure
 * (SMARTS or SMILES, matched by RDKit). Searches run as jobs in the engine's worker threads with a
 * progress bar; moving the threshold runs the search again.
 */
export function SearchPanel({ targets }: { targets: Facets['targets'] }) {
  const [mode, setMode] = useState<Mode>('similarity')
  const [text, setText] = useState('')
  const [syntax, setSyntax] = useState<Syntax>('smarts')
  const [threshold, setThreshold] = useState(DEFAULT_THRESHOLD)
  const [target, setTarget] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [result, setResult] = useState<SearchResult | null>(null)
  const [ran, setRan] = useState<Query | null>(null)
  // the panel follows its newest search only: a search started anew replaces the one before
  const [slot] = useState(() => `search:${++panels}`)
  const search = useJob(['search.similarity', 'search.substructure'], slot)
  const { job } = search

  useEffect(() => {
    if (!job) return
    if (job.state === 'succeeded') setResult(job.result)
    else if (job.state === 'failed') {
      setResult(null)
      setProblem(job.error ?? 'The search failed.')
    }
  }, [job])

  const run = async (q: Query) => {
    setProblem(null)
    if (!q.text.trim()) {
      setProblem(
        q.mode === 'similarity' ? 'Type a SMILES to search for.' : 'Type a SMARTS or SMILES.',
      )
      return
    }
    // a new search replaces the one still running
    if (search.running) void search.cancel().catch(() => undefined)
    try {
      if (q.mode === 'similarity')
        await search.start('search.similarity', {
          smiles: q.text,
          threshold: q.threshold,
          limit: SHOWN,
          target: q.target || undefined,
        })
      else
        await search.start('search.substructure', {
          query: q.text,
          syntax: q.syntax,
          limit: SHOWN,
          target: q.target || undefined,
        })
      setRan(q)
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    }
  }

  const current = (patch: Partial<Query> = {}): Query => ({
    mode,
    text,
    syntax,
    threshold,
    target,
    ...patch,
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run(current())
  }

  // Moving the threshold after a similarity search runs it again once the slider rests.
  const rerun = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(() => () => clearTimeout(rerun.current ?? undefined), [])
  const moveThreshold = (value: number) => {
    setThreshold(value)
    clearTimeout(rerun.current ?? undefined)
    if (ran?.mode === 'similarity' && ran.threshold !== value)
      rerun.current = setTimeout(() => void run({ ...ran, threshold: value }), 250)
  }

  const running = job?.state === 'running'
  return (
    <section className="card wide search-panel" aria-labelledby="search-title">
      <h2 id="search-title">Search structures</h2>
      <form className="search-form" onSubmit={submit} role="search" aria-label="Structure search">
        <div className="segmented" role="radiogroup" aria-label="Search mode">
          <button
            type="button"
            role="radio"
            aria-checked={mode === 'similarity'}
            onClick={() => setMode('similarity')}
          >
            Similar to
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={mode === 'substructure'}
            onClick={() => setMode('substructure')}
          >
            Contains substructure
          </button>
        </div>
        <input
          type="text"
          className="mono search-query"
          aria-label={mode === 'similarity' ? 'Query SMILES' : 'Query SMARTS or SMILES'}
          placeholder={
            mode === 'similarity'
              ? 'SMILES, e.g. N#Cc1ccc(C(c2ccc(C#N)cc2)n2cncn2)cc1'
              : syntax === 'smarts'
                ? 'SMARTS, e.g. c1ncnn1 (1,2,4-triazole)'
                : 'SMILES fragment, e.g. c1ccccc1C#N'
          }
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        {mode === 'substructure' && (
          <label className="inline-field">
            Query is
            <select
              aria-label="Query language"
              value={syntax}
              onChange={(e) => setSyntax(e.target.value as Syntax)}
            >
              <option value="smarts">SMARTS</option>
              <option value="smiles">SMILES</option>
            </select>
          </label>
        )}
        <select
          aria-label="Search in target"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
        >
          <option value="">All compounds</option>
          {targets.map((t) => (
            <option key={t.id} value={t.id}>
              Measured on {t.id}
              {t.name ? ` · ${t.name}` : ''}
            </option>
          ))}
        </select>
        <button type="submit" className="button primary" disabled={running}>
          Search structures
        </button>
      </form>
      {mode === 'similarity' && (
        <label className="threshold">
          <span>
            Tanimoto similarity at least <strong className="num">{threshold.toFixed(2)}</strong>
          </span>
          <input
            type="range"
            min={MIN_THRESHOLD}
            max={1}
            step={0.05}
            value={threshold}
            onChange={(e) => moveThreshold(Number(e.target.value))}
            aria-label="Similarity threshold"
            aria-valuetext={threshold.toFixed(2)}
          />
          <span className="muted small">
            Morgan fingerprints, radius 2, 2,048 bits (as stored at import)
          </span>
        </label>
      )}
      {running && job && (
        <JobProgress
          job={job}
          label="Search progress"
          cancelLabel="Cancel structure search"
          testId="search-progress"
        />
      )}
      {problem && (
        <p className="error" role="alert" data-testid="search-error">
          {problem}
        </p>
      )}
      {result && !problem && <SearchResults result={result} />}
    </section>
  )
}

function summary(r: SearchResult): string {
  const found =
    r.mode === 'similarity'
      ? `${fmtCount(r.totalHits, 'compound')} with Tanimoto ≥ ${fmtNum(r.threshold ?? 0)}`
      : `${fmtCount(r.totalHits, 'compound')} containing the substructure`
  const shown = r.truncated
    ? ` · showing the ${fmtInt(r.hits.length)} ${r.mode === 'similarity' ? 'most similar' : 'first'}`
    : ''
  return `${found}${shown}`
}

function SearchResults({ result: r }: { result: SearchResult }) {
  const skipped = r.noStructure + r.unreadable
  return (
    <div className="search-results" data-testid="search-results">
      <p data-testid="search-summary">
        <strong>{summary(r)}</strong>
      </p>
      <p className="muted small" data-testid="search-scope">
        Query read by RDKit as <span className="mono">{r.canonical}</span>.{' '}
        {fmtCount(r.scanned, 'compound')} compared
        {r.target ? ` (measured on ${r.target})` : ''}
        {skipped > 0
          ? `; ${fmtInt(r.noStructure)} without a structure${r.unreadable ? ` and ${fmtInt(r.unreadable)} whose SMILES RDKit cannot read` : ''} were not compared`
          : ''}
        . {r.seconds < 0.1 ? 'Under 0.1' : r.seconds.toFixed(1)} s on{' '}
        {fmtCount(r.workers, 'worker thread')}.
      </p>
      {r.hits.length === 0 ? (
        <p className="muted">
          No compound matches.
          {r.mode === 'similarity' ? ' Lower the threshold to see less similar compounds.' : ''}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table search-table" data-testid="search-table">
            <thead>
              <tr>
                <th scope="col">Structure</th>
                <th scope="col">ChEMBL ID</th>
                <th scope="col">Name</th>
                {r.mode === 'similarity' && (
                  <th scope="col" className="num">
                    Similarity
                  </th>
                )}
                <th scope="col" className="num">
                  Measurements
                </th>
                <th scope="col" className="num" title="highest pActivity among usable measurements">
                  Best pActivity
                </th>
              </tr>
            </thead>
            <tbody>
              {r.hits.map((h) => (
                <tr key={h.compoundId}>
                  <td>
                    <StructureImage
                      compoundId={h.compoundId}
                      smiles={h.smiles}
                      size={120}
                      title={h.chemblId ?? h.smiles ?? undefined}
                    />
                  </td>
                  <td>{h.chemblId ?? '—'}</td>
                  <td>{h.name ?? ''}</td>
                  {r.mode === 'similarity' && (
                    <td className="num" data-testid="hit-similarity">
                      {fmtNum(h.similarity, 2)}
                    </td>
                  )}
                  <td className="num">{fmtInt(h.activities)}</td>
                  <td className="num">{fmtNum(h.bestPActivity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
