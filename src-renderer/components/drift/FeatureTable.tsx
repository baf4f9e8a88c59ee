import { useCallback, useMemo, useState } from 'react'
import type { DriftCheck, FeatureDriftResult } from '../../../src-main/contract'
import { PlotlyChart } from '../../charts/PlotlyChart'
import { driftHistogramFigure } from '../../charts/drift-figures'
import { type Column, VirtualTable } from '../VirtualTable'
import { fmtInt } from '../format'
import { METHOD_LABELS, PSI_BANDS, featureLabel, fmtP, fmtStat, isPValueMethod } from './labels'

type Order = 'drifted' | 'statistic' | 'psi' | 'name'

const ORDERS: { value: Order; label: string }[] = [
  { value: 'drifted', label: 'Drifted first, then by PSI' },
  { value: 'statistic', label: 'Test statistic, largest first' },
  { value: 'psi', label: 'PSI, largest first' },
  { value: 'name', label: 'Feature name' },
]

const desc = (a: number | null, b: number | null) => (b ?? -Infinity) - (a ?? -Infinity)

function sortFeatures(features: FeatureDriftResult[], order: Order): FeatureDriftResult[] {
  const list = [...features]
  if (order === 'name') return list.sort((a, b) => a.name.localeCompare(b.name))
  if (order === 'statistic') return list.sort((a, b) => desc(a.statistic, b.statistic))
  if (order === 'psi') return list.sort((a, b) => desc(a.psi, b.psi))
  return list.sort((a, b) => Number(b.drifted) - Number(a.drifted) || desc(a.psi, b.psi))
}

function columns(selected: string | null): Column<FeatureDriftResult>[] {
  return [
    {
      key: 'name',
      label: 'Feature',
      width: 196,
      render: (f) => (
        <span className={f.name === selected ? 'feature-name selected' : 'feature-name'}>
          {featureLabel(f.name)}
        </span>
      ),
      title: (f) => `${featureLabel(f.name)} (stored as ${f.name})`,
    },
    {
      key: 'method',
      label: 'Test',
      width: 120,
      render: (f) => (
        <>
          {METHOD_LABELS[f.method].short}
          {f.overridden && <span className="muted small"> (your choice)</span>}
        </>
      ),
      title: (f) => `${METHOD_LABELS[f.method].name}: ${METHOD_LABELS[f.method].hint}`,
    },
    {
      key: 'statistic',
      label: 'Statistic',
      width: 80,
      align: 'right',
      render: (f) => fmtStat(f.statistic),
    },
    {
      key: 'threshold',
      label: 'Threshold',
      width: 86,
      align: 'right',
      render: (f) => `${isPValueMethod(f.method) ? 'p ≤' : '≥'} ${fmtStat(f.threshold)}`,
      title: (f) =>
        isPValueMethod(f.method)
          ? 'Drifted when the p-value is at most this'
          : 'Drifted when the statistic is at least this',
    },
    {
      key: 'p',
      label: 'p-value',
      width: 72,
      align: 'right',
      render: (f) => fmtP(f.pValue),
    },
    {
      key: 'psi',
      label: 'PSI',
      width: 140,
      render: (f) =>
        f.psi === null ? (
          '—'
        ) : (
          <>
            <span className="num-inline">{fmtStat(f.psi)}</span>{' '}
            <span className={f.psiBand === 'stable' ? 'muted small' : 'flag-text small'}>
              {f.psiBand ? PSI_BANDS[f.psiBand] : ''}
            </span>
          </>
        ),
      title: () =>
        'Population stability index: under 0.1 stable, 0.1–0.25 a moderate shift, 0.25 or more a large one',
    },
    {
      key: 'missing',
      label: 'Missing (train/new)',
      width: 150,
      align: 'right',
      render: (f) => `${fmtInt(f.missing.reference)} / ${fmtInt(f.missing.current)}`,
      title: () => 'Rows without a value on each side, left out of every statistic',
    },
    {
      key: 'drifted',
      label: 'Drifted',
      width: 76,
      render: (f) =>
        f.notTested ? (
          <span className="muted">not tested</span>
        ) : f.drifted ? (
          <span className="error">drifted</span>
        ) : (
          <span className="ok-text">no</span>
        ),
      title: (f) => f.notTested ?? undefined,
    },
  ]
}

/** Every feature's test, sortable, and the chosen feature's two distributions. */
export function FeatureTable({ check }: { check: DriftCheck }) {
  const [order, setOrder] = useState<Order>('drifted')
  const sorted = useMemo(() => sortFeatures(check.features, order), [check.features, order])
  const [chosen, setChosen] = useState<string | null>(null)
  const feature =
    check.features.find((f) => f.name === chosen) ?? sorted.find((f) => !f.notTested) ?? null
  const cols = useMemo(() => columns(feature?.name ?? null), [feature?.name])
  const fetchPage = useCallback(
    async (offset: number, limit: number) => sorted.slice(offset, offset + limit),
    [sorted],
  )
  const onOpen = useMemo(
    () => ({
      open: (f: FeatureDriftResult) => setChosen(f.name),
      label: (f: FeatureDriftResult) => `Show the distributions of ${featureLabel(f.name)}`,
    }),
    [],
  )
  const rowHeight = 32
  return (
    <section className="card wide" aria-labelledby="drift-features-title">
      <div className="row spread">
        <h2 id="drift-features-title">Feature by feature</h2>
        <label className="field inline-field">
          <span>Order</span>
          <select
            value={order}
            onChange={(e) => setOrder(e.target.value as Order)}
            aria-label="Order of the features"
          >
            {ORDERS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">
        Each feature of the rows checked is compared with the training rows by the test Evidently
        would choose for its size (hover a column for what it means). Click a feature to see both
        distributions.
      </p>
      <VirtualTable
        label="Drift of each feature"
        columns={cols}
        total={sorted.length}
        fetchPage={fetchPage}
        queryKey={`${check.driftRunId}:${order}`}
        height={Math.min(sorted.length, 10) * rowHeight + 36}
        rowHeight={rowHeight}
        onOpen={onOpen}
      />
      {feature && <FeatureDistribution feature={feature} />}
    </section>
  )
}

function FeatureDistribution({ feature }: { feature: FeatureDriftResult }) {
  const label = featureLabel(feature.name)
  const figure = useCallback(
    () =>
      driftHistogramFigure(
        feature.histogram,
        { x: label, reference: 'training rows', current: 'rows checked' },
        280,
        feature.drifted ? '--bad' : '--accent',
      ),
    [feature, label],
  )
  const method = METHOD_LABELS[feature.method].name
  const verdict = feature.notTested
    ? `Not tested: ${feature.notTested}`
    : isPValueMethod(feature.method)
      ? `${method}: p = ${fmtP(feature.pValue)} (statistic ${fmtStat(feature.statistic)}); drifted when p ≤ ${fmtStat(feature.threshold)}, so ${feature.drifted ? 'drifted' : 'not drifted'}.`
      : `${method}: ${fmtStat(feature.statistic)}; drifted at ${fmtStat(feature.threshold)} or more, so ${feature.drifted ? 'drifted' : 'not drifted'}.`
  return (
    <figure className="drift-distribution" data-testid="drift-distribution">
      <figcaption>
        <strong>{label}</strong>: training rows against the rows checked, as % of each side’s rows.{' '}
        {verdict}
        {(feature.missing.reference > 0 || feature.missing.current > 0) &&
          ` Missing values left out: ${fmtInt(feature.missing.reference)} training, ${fmtInt(feature.missing.current)} checked.`}
      </figcaption>
      <PlotlyChart
        figure={figure}
        label={`Distributions of ${label}: training rows against the rows checked`}
        testId="drift-feature-chart"
      />
    </figure>
  )
}
