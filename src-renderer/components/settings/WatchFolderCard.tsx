import { useEffect, useState } from 'react'
import {
  WATCH_SUBFOLDERS,
  type WatchPattern,
  type WatchStatus,
  watchPatterns,
} from '../../../src-main/contract'
import { useApp } from '../../store/app-store'
import { useWatchStatus } from '../../store/automation-store'
import { useSettingChange } from '../../store/use-polled-status'
import { fmtCount, fmtDate } from '../format'

/** The status line: what the watcher is doing now, or why it is not watching. */
function statusLine(s: WatchStatus): string {
  if (s.error) return s.error
  if (!s.enabled) return 'Off: no folder is watched.'
  if (!s.watching) return 'Starting…'
  const parts = [`Watching ${s.folder ?? ''}`]
  if (s.handling) parts.push(`importing ${s.handling}`)
  if (s.waiting.length > 0)
    parts.push(
      `${fmtCount(s.waiting.length, 'file')} waiting to be complete (${s.waiting.join(', ')})`,
    )
  parts.push(
    `${fmtCount(s.handled, 'file')} handled${s.lastHandledAt ? `, the last at ${fmtDate(s.lastHandledAt)}` : ''}`,
  )
  return parts.join(' · ')
}

/**
 * The watched folder: new exports that land in it are imported like a dropped file, checked for
 * drift against each touched target's production model, and (when a target's policy says so)
 * retrained. Everything goes through `settings.set`; the engine refuses a folder that does not
 * exist or lies in the data folder, and the card shows its message.
 */
export function WatchFolderCard() {
  const settings = useApp((s) => s.settings)
  const setSetting = useApp((s) => s.setSetting)
  const { status, refresh } = useWatchStatus(3000)
  const { problem, setProblem, busy, change } = useSettingChange(refresh)
  const [folder, setFolder] = useState('')
  const [stable, setStable] = useState('')

  const savedFolder = settings?.['watch.folder'] ?? null
  const savedStable = settings?.['watch.stableSeconds'] ?? 3
  useEffect(() => setFolder(savedFolder ?? ''), [savedFolder])
  useEffect(() => setStable(String(savedStable)), [savedStable])

  const enabled = settings?.['watch.enabled'] ?? false
  const patterns = settings?.['watch.patterns'] ?? [...watchPatterns]
  const afterImport = settings?.['watch.afterImport'] ?? 'leave'

  const saveFolder = () => {
    const f = folder.trim()
    if (f === (savedFolder ?? '')) return
    // a refused folder gives way to the saved one again, with the engine's reason beside it
    void change(() =>
      setSetting('watch.folder', f === '' ? null : f).catch((e: unknown) => {
        setFolder(savedFolder ?? '')
        throw e
      }),
    )
  }
  const saveStable = () => {
    const n = Number(stable)
    if (stable.trim() === '' || !Number.isFinite(n) || n === savedStable)
      return setStable(String(savedStable))
    void change(() => setSetting('watch.stableSeconds', n))
  }
  const togglePattern = (p: WatchPattern, on: boolean) => {
    const next = on ? [...patterns, p] : patterns.filter((x) => x !== p)
    if (next.length === 0) {
      setProblem('Keep at least one kind of file: the folder would take nothing.')
      return
    }
    void change(() =>
      setSetting(
        'watch.patterns',
        watchPatterns.filter((x) => next.includes(x)),
      ),
    )
  }

  return (
    <section className="card wide" aria-labelledby="watch-folder" data-testid="watch-card">
      <h2 id="watch-folder">Watched folder</h2>
      <p className="muted small">
        New ChEMBL exports saved into this folder are imported by themselves, with the same rules
        and duplicate check as a dropped file, then checked for drift against the production model
        of each target they touch. A file is taken only once it has stopped growing. Files that
        arrived while the app was closed are taken at the next start.
      </p>
      <label className="chip">
        <input
          type="checkbox"
          checked={enabled}
          disabled={!settings || busy}
          onChange={(e) => {
            const on = e.target.checked
            void change(() => setSetting('watch.enabled', on))
          }}
          data-testid="watch-enabled"
        />
        Import new files from this folder
      </label>
      <label className="field watch-folder-field">
        <span>Folder (its full path)</span>
        <input
          type="text"
          className="mono"
          value={folder}
          placeholder="/home/me/chembl-exports"
          spellCheck={false}
          disabled={!settings || busy}
          onChange={(e) => setFolder(e.target.value)}
          onBlur={saveFolder}
          onKeyDown={(e) => e.key === 'Enter' && saveFolder()}
          data-testid="watch-folder"
        />
      </label>
      <div className="row watch-options">
        <fieldset className="field">
          <span>Files to take</span>
          <div className="chips">
            {watchPatterns.map((p) => (
              <label key={p} className="chip">
                <input
                  type="checkbox"
                  checked={patterns.includes(p)}
                  disabled={!settings || busy}
                  onChange={(e) => togglePattern(p, e.target.checked)}
                  data-testid={`watch-pattern-${p.slice(2)}`}
                />
                <span className="mono">{p}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="field">
          <span>After a file is handled</span>
          <div className="segmented" role="radiogroup" aria-label="After a file is handled">
            {(
              [
                { value: 'leave', label: 'Leave it in the folder' },
                {
                  value: 'move',
                  label: `Move it to ${WATCH_SUBFOLDERS.imported}/ or ${WATCH_SUBFOLDERS.rejected}/`,
                },
              ] as const
            ).map((o) => (
              <button
                key={o.value}
                type="button"
                role="radio"
                aria-checked={afterImport === o.value}
                className={afterImport === o.value ? 'active' : ''}
                disabled={!settings || busy}
                onClick={() => void change(() => setSetting('watch.afterImport', o.value))}
                data-testid={`watch-after-${o.value}`}
              >
                {o.label}
              </button>
            ))}
          </div>
        </fieldset>
        <label className="field narrow">
          <span>Unchanged for (s)</span>
          <input
            type="number"
            min={0.2}
            max={120}
            step={0.1}
            value={stable}
            disabled={!settings || busy}
            onChange={(e) => setStable(e.target.value)}
            onBlur={saveStable}
            onKeyDown={(e) => e.key === 'Enter' && saveStable()}
            data-testid="watch-stable"
          />
        </label>
      </div>
      <p className={status?.error ? 'error' : 'muted'} role="status" data-testid="watch-status">
        {status ? statusLine(status) : '…'}
      </p>
      {problem && problem !== status?.error && (
        <p className="error" role="alert" data-testid="watch-problem">
          {problem}
        </p>
      )}
    </section>
  )
}
