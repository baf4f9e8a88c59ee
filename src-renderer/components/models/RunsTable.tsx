import { useEffect, useMemo, useState } from 'react'
import type { RunRecord } from '../../../src-main/contract'
import { call } from '../../api/client'
import { useModels } from '../../store/models-store'
import { fmtDate, fmtNum, fmtParams } from '../format'

type SortKey = 'when' | 'rmse' | 'r2'

/** Every candidate any training job tried, like an experiment tracker's run list. */
export function RunsTable() {
  const models = useModels((s) => s.models)
  const [runs, setRuns] = useState<RunRecord[]>([])
  const [sort, setSort] = useState<SortKey>('when')
  useEffect(() => {
    void call('models.runs', {}).then(setRuns)
  }, [models])
  const sorted = useMemo(() => {
    const copy = [...runs]
    if (sort === 'rmse') copy.sort((a, b) => a.metrics.rmse - b.metrics.rmse)
    if (sort === 'r2') copy.sort((a, b) => b.metrics.r2 - a.metrics.r2)
    return copy
  }, [runs, sort])
  if (runs.length === 0) return null
  return (
    <section className="card wide" aria-labelledby="runs-title">
      <div className="row spread">
        <h2 id="runs-title">Training runs</h2>
        <label className="field inline">
          <span>Order by</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
            <option value="when">Newest first</option>
            <option value="rmse">Lowest CV RMSE</option>
            <option value="r2">Highest CV R²</option>
          </select>
        </label>
      </div>
      <div className="table-scroll">
        <table className="table" data-testid="all-runs">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Target</th>
              <th scope="col">Learner · features</th>
              <th scope="col">Parameters</th>
              <th scope="col" className="num">
                CV RMSE
              </th>
              <th scope="col" className="num">
                R²
              </th>
              <th scope="col" className="num">
                Spearman
              </th>
              <th scope="col" className="num">
                Seconds
              </th>
              <th scope="col">Seed · training set</th>
              <th scope="col">Kept as</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {sorted.slice(0, 200).map((r) => (
              <tr key={r.id}>
                <td className="num">{r.id}</td>
                <td>{r.target}</td>
                <td>
                  {r.learner} · {r.featureSet}
                </td>
                <td className="mono small">{fmtParams(r.params, r.learner)}</td>
                <td className="num">{fmtNum(r.metrics.rmse, 3)}</td>
                <td className="num">{fmtNum(r.metrics.r2, 3)}</td>
                <td className="num">{fmtNum(r.metrics.spearman, 3)}</td>
                <td className="num">{r.seconds.toFixed(1)}</td>
                <td className="mono small">
                  {r.seed} · {r.trainingSetHash.slice(0, 10)}
                </td>
                <td>{r.modelVersion ?? ''}</td>
                <td className="muted">{fmtDate(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
