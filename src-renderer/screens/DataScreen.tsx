import { useCallback, useEffect, useMemo, useState } from 'react'
import type { ActivityRow, CompoundRow, Facets, Histogram } from '../../src-main/contract'
import { call } from '../api/client'
import { HistogramChart } from '../charts/HistogramChart'
import { EmptyState } from '../components/EmptyState'
import { SearchPanel } from '../components/data/SearchPanel'
import { StructureImage } from '../components/chem/StructureImage'
import { ScreenHeader } from '../components/ScreenHeader'
import { type Column, VirtualTable } from '../components/VirtualTable'
import {
  FLAG_REASONS,
  QUALITATIVE_REASONS,
  REASON_LABELS,
  fmtConcentrationCensored,
  fmtInt,
  fmtNum,
  fmtPActivityCensored,
} from '../components/format'
import { useCompoundPanel } from '../store/compound-store'
import { useDataVersion } from '../store/use-job'

interface Filters {
  search: string
  target: string
  standardType: string
  relation: string
  /** 'usable', 'excluded' or one reason code */
  reason: string
}

const NO_FILTERS: Filters = { search: '', target: '', standardType: '', relation: '', reason: '' }

/** Inactive and doubted rows stand out from the other exclusions: they are data, not defects. */
function reasonClass(reason: string | null): string {
  if (reason && QUALITATIVE_REASONS.includes(reason)) return 'flag-text'
  if (reason && FLAG_REASONS.includes(reason)) return 'flag-text'
  return 'muted'
}

/** Thumbnails tall enough to read a ring system; the table's rows grow to hold them. */
const STRUCTURE_WIDTH = 104
const STRUCTURE_ROW_HEIGHT = 80

const ACTIVITY_COLUMNS: Column<ActivityRow>[] = [
  {
    key: 'structure',
    label: 'Structure',
    width: STRUCTURE_WIDTH + 8,
    className: 'structure-cell',
    render: (r) => (
      <StructureImage
        compoundId={r.compoundId}
        size={STRUCTURE_WIDTH}
        title={r.chemblId ?? undefined}
      />
    ),
  },
  {
    key: 'chembl',
    label: 'Molecule',
    width: 150,
    render: (r) => r.chemblId ?? '—',
    title: (r) => r.name ?? undefined,
  },
  { key: 'type', label: 'Type', width: 90, render: (r) => r.standardType ?? '—' },
  { key: 'rel', label: 'Rel.', width: 48, render: (r) => r.relation ?? '' },
  {
    key: 'value',
    label: 'Value',
    width: 90,
    align: 'right',
    render: (r) => (r.standardValue === null ? '—' : String(r.standardValue)),
  },
  { key: 'units', label: 'Units', width: 80, render: (r) => r.standardUnits ?? '' },
  {
    key: 'nm',
    label: 'Potency',
    width: 96,
    align: 'right',
    // a censored value keeps its qualifier on both scales: "> 50.0 µM" is pActivity "< 4.30"
    render: (r) => fmtConcentrationCensored(r.valueNm, r.relation),
  },
  {
    key: 'p',
    label: 'pActivity',
    width: 80,
    align: 'right',
    render: (r) => fmtPActivityCensored(r.pActivity, r.relation),
  },
  { key: 'target', label: 'Target', width: 120, render: (r) => r.targetChemblId ?? '—' },
  {
    key: 'usable',
    label: 'Training',
    width: 230,
    render: (r) =>
      r.usable ? (
        <span className="ok-text">usable</span>
      ) : (
        <span className={reasonClass(r.unusableReason)}>
          {REASON_LABELS[r.unusableReason ?? ''] ?? r.unusableReason ?? 'not usable'}
        </span>
      ),
  },
  {
    key: 'smiles',
    label: 'SMILES',
    width: 360,
    render: (r) => <span className="mono">{r.smiles ?? ''}</span>,
    title: (r) => r.smiles ?? undefined,
  },
]

const SOURCE_MARK = (source: string | undefined) => (source === 'rdkit' ? ' ᴿ' : '')

const COMPOUND_COLUMNS: Column<CompoundRow>[] = [
  {
    key: 'structure',
    label: 'Structure',
    width: STRUCTURE_WIDTH + 8,
    className: 'structure-cell',
    render: (r) => (
      <StructureImage compoundId={r.id} size={STRUCTURE_WIDTH} title={r.chemblId ?? undefined} />
    ),
  },
  { key: 'chembl', label: 'Molecule', width: 150, render: (r) => r.chemblId ?? '—' },
  { key: 'name', label: 'Name', width: 150, render: (r) => r.name ?? '' },
  {
    key: 'mw',
    label: 'MW (g/mol)',
    width: 100,
    align: 'right',
    render: (r) => `${fmtNum(r.mw_freebase)}${SOURCE_MARK(r.featureSources.mw_freebase)}`,
  },
  {
    key: 'alogp',
    label: 'AlogP',
    width: 80,
    align: 'right',
    render: (r) => `${fmtNum(r.alogp)}${SOURCE_MARK(r.featureSources.alogp)}`,
  },
  {
    key: 'hba',
    label: 'HBA',
    width: 60,
    align: 'right',
    render: (r) => `${fmtNum(r.hba, 0)}${SOURCE_MARK(r.featureSources.hba)}`,
  },
  {
    key: 'hbd',
    label: 'HBD',
    width: 60,
    align: 'right',
    render: (r) => `${fmtNum(r.hbd, 0)}${SOURCE_MARK(r.featureSources.hbd)}`,
  },
  { key: 'n', label: 'Activities', width: 80, align: 'right', render: (r) => fmtInt(r.activities) },
  { key: 'rdkit', label: 'RDKit', width: 90, render: (r) => r.rdkitVersion ?? '' },
  {
    key: 'smiles',
    label: 'SMILES',
    width: 380,
    render: (r) => <span className="mono">{r.smiles ?? ''}</span>,
    title: (r) => r.smiles ?? undefined,
  },
]

/** A row opens its compound's page (click, or Enter on the focused row). */
const OPEN_ACTIVITY = {
  open: (r: ActivityRow) => useCompoundPanel.getState().open(r.compoundId),
  label: (r: ActivityRow) => `Open compound ${r.chemblId ?? r.compoundId}`,
}
const OPEN_COMPOUND = {
  open: (r: CompoundRow) => useCompoundPanel.getState().open(r.id),
  label: (r: CompoundRow) => `Open compound ${r.chemblId ?? r.id}`,
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return debounced
}

const clean = (f: Filters) => ({
  search: f.search || undefined,
  target: f.target || undefined,
  standardType: f.standardType || undefined,
  relation: f.relation || undefined,
  reason: f.reason || undefined,
})

export function DataScreen() {
  const [facets, setFacets] = useState<Facets | null>(null)
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [view, setView] = useState<'activities' | 'compounds' | 'search'>('activities')
  const [total, setTotal] = useState(0)
  const [histograms, setHistograms] = useState<Histogram[]>([])
  const [error, setError] = useState<string | null>(null)
  const search = useDebounced(filters.search, 300)
  const effective = useMemo(() => ({ ...filters, search }), [filters, search])
  const queryKey = `${view}|${JSON.stringify(effective)}`
  // moves when an import commits, the sample is removed or a backup is restored
  const importsDone = useDataVersion('activities', 'compounds')

  useEffect(() => {
    call('data.facets', {}).then(setFacets, (e: Error) => setError(e.message))
  }, [importsDone])

  useEffect(() => {
    if (view === 'search') return
    let stale = false
    const load =
      view === 'activities'
        ? call('data.activities', { ...clean(effective), offset: 0, limit: 1, withTotal: true })
        : call('data.compounds', {
            search: effective.search || undefined,
            offset: 0,
            limit: 1,
            withTotal: true,
          })
    load.then(
      (r) => !stale && setTotal(r.total ?? 0),
      (e: Error) => setError(e.message),
    )
    call('data.histograms', clean(effective)).then(
      (h) => !stale && setHistograms(h),
      (e: Error) => setError(e.message),
    )
    return () => {
      stale = true
    }
  }, [view, effective, importsDone])

  const fetchActivities = useCallback(
    (offset: number, limit: number) =>
      call('data.activities', { ...clean(effective), offset, limit }).then((r) => r.rows),
    [effective],
  )
  const fetchCompounds = useCallback(
    (offset: number, limit: number) =>
      call('data.compounds', { search: effective.search || undefined, offset, limit }).then(
        (r) => r.rows,
      ),
    [effective],
  )

  if (facets && facets.compounds === 0) {
    return (
      <>
        <ScreenHeader title="Data">
          Compounds and activity measurements in this workbench.
        </ScreenHeader>
        <EmptyState title="No compounds yet" action={{ label: 'Go to Import', screen: 'import' }}>
          <p>
            Import a ChEMBL export to see its compounds here, with molecular weight, logP, H-bond
            acceptors and donors, and the distribution of measured potency.
          </p>
        </EmptyState>
      </>
    )
  }

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }))
  return (
    <>
      <ScreenHeader title="Data">
        {facets
          ? `${fmtInt(facets.compounds)} compounds · ${fmtInt(facets.activities)} activity measurements`
          : 'Loading…'}
      </ScreenHeader>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="filters" role="search">
        <div className="segmented" role="tablist" aria-label="Table">
          <button
            type="button"
            role="tab"
            aria-selected={view === 'activities'}
            onClick={() => setView('activities')}
          >
            Activities
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={view === 'compounds'}
            onClick={() => setView('compounds')}
          >
            Compounds
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={view === 'search'}
            onClick={() => setView('search')}
          >
            Search structures
          </button>
        </div>
        {view !== 'search' && (
          <input
            type="search"
            placeholder="Search ChEMBL ID, name or SMILES"
            aria-label="Search"
            value={filters.search}
            onChange={(e) => set({ search: e.target.value })}
          />
        )}
        {view === 'activities' && (
          <>
            <select
              aria-label="Target"
              value={filters.target}
              onChange={(e) => set({ target: e.target.value })}
            >
              <option value="">All targets</option>
              {facets?.targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.id}
                  {t.name ? ` · ${t.name}` : ''} ({fmtInt(t.count)})
                </option>
              ))}
            </select>
            <select
              aria-label="Standard type"
              value={filters.standardType}
              onChange={(e) => set({ standardType: e.target.value })}
            >
              <option value="">All types</option>
              {facets?.standardTypes.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.type} ({fmtInt(t.count)})
                </option>
              ))}
            </select>
            <select
              aria-label="Relation"
              value={filters.relation}
              onChange={(e) => set({ relation: e.target.value })}
            >
              <option value="">All relations</option>
              {facets?.relations.map((r) => (
                <option key={r.relation} value={r.relation}>
                  {r.relation} ({fmtInt(r.count)})
                </option>
              ))}
            </select>
            <select
              aria-label="Training"
              value={filters.reason}
              onChange={(e) => set({ reason: e.target.value })}
              data-testid="filter-training"
            >
              <option value="">Usable or not</option>
              <option value="excluded">Not usable (any reason)</option>
              {facets?.training.map((t) => (
                <option key={t.reason} value={t.reason}>
                  {t.reason === 'usable' ? 'usable' : (REASON_LABELS[t.reason] ?? t.reason)} (
                  {fmtInt(t.count)})
                </option>
              ))}
            </select>
          </>
        )}
        {view !== 'search' && (
          <span className="muted" data-testid="row-count">
            {fmtInt(total)} {view}
          </span>
        )}
      </div>
      {view === 'search' ? (
        <SearchPanel targets={facets?.targets ?? []} />
      ) : view === 'activities' ? (
        <VirtualTable
          label="Activities"
          columns={ACTIVITY_COLUMNS}
          total={total}
          fetchPage={fetchActivities}
          queryKey={queryKey}
          height={480}
          rowHeight={STRUCTURE_ROW_HEIGHT}
          onOpen={OPEN_ACTIVITY}
        />
      ) : (
        <VirtualTable
          label="Compounds"
          columns={COMPOUND_COLUMNS}
          total={total}
          fetchPage={fetchCompounds}
          queryKey={queryKey}
          height={480}
          rowHeight={STRUCTURE_ROW_HEIGHT}
          onOpen={OPEN_COMPOUND}
        />
      )}
      {view === 'compounds' && (
        <p className="muted small">
          ᴿ computed with RDKit from the SMILES; other values are from the file.
        </p>
      )}
      {view !== 'search' && (
        <section className="histograms" aria-label="Distributions">
          {histograms.map((h) => (
            <figure
              key={h.feature}
              className="card histogram"
              data-testid={`histogram-${h.feature}`}
            >
              <figcaption>
                {h.label} <span className="muted">n = {fmtInt(h.n)}</span>
              </figcaption>
              {h.n > 0 ? <HistogramChart histogram={h} /> : <p className="muted">No values.</p>}
            </figure>
          ))}
        </section>
      )}
    </>
  )
}
