import { useCallback, useEffect, useState } from 'react'
import type { BackupInfo, DatabaseStatus } from '../../../src-main/contract'
import { call, on } from '../../api/client'
import { fmtDate } from '../format'

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

/**
 * The database's health and its backups: the last quick_check (the one after start, or one asked
 * for here), the daily snapshots, and restoring one after a confirmation. A restore swaps the
 * engine's database underneath every screen, so the page reloads afterwards and every screen
 * reads the restored data.
 */
export function DatabaseCard() {
  const [status, setStatus] = useState<DatabaseStatus | null>(null)
  const [working, setWorking] = useState<'check' | 'backup' | 'restore' | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  const refresh = useCallback(async () => {
    try {
      setStatus(await call('database.status', {}))
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    }
  }, [])
  useEffect(() => {
    void refresh()
    // the background check after start may finish while this screen is open
    return on('database.checked', () => void refresh())
  }, [refresh])

  const run = async (what: 'check' | 'backup', work: () => Promise<unknown>) => {
    setProblem(null)
    setWorking(what)
    try {
      await work()
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
    } finally {
      setWorking(null)
      await refresh()
    }
  }

  const restore = async (backup: BackupInfo) => {
    if (
      !window.confirm(
        `Replace the database with the backup from ${backup.day}?\n\n` +
          'Everything imported, trained or predicted since then will no longer be in the app. ' +
          'The database in use now is not deleted: it is kept in the data folder as ' +
          'workbench.sqlite.before-restore-(date and time).\n\nThe app reloads afterwards.',
      )
    )
      return
    setProblem(null)
    setWorking('restore')
    try {
      const result = await call('backups.restore', { name: backup.name })
      window.alert(
        `Restored the backup from ${backup.day}.${result.keptAs ? `\n\nThe database that was in use is kept as ${result.keptAs}.` : ''}`,
      )
      window.location.reload()
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e))
      setWorking(null)
      await refresh()
    }
  }

  const check = status?.lastCheck ?? null
  const busy = working !== null || (status?.busy ?? false)
  return (
    <section className="card wide" aria-labelledby="database" data-testid="database-card">
      <h2 id="database">Database</h2>
      <div data-testid="database-check" aria-live="polite">
        {working === 'check' ? (
          <p className="muted">Checking the database…</p>
        ) : check === null ? (
          <p className="muted">Not checked since the app started.</p>
        ) : check.ok ? (
          <p>
            <span className="ok-text">No problems found</span>{' '}
            <span className="muted">
              · checked {fmtDate(check.checkedAt)} ({check.seconds.toFixed(1)} s)
            </span>
          </p>
        ) : (
          <div className="error" role="alert">
            <p>
              <strong>The database is damaged.</strong> Checked {fmtDate(check.checkedAt)}.
            </p>
            <ul className="small">
              {check.problems.map((p) => (
                <li key={p} className="mono">
                  {p}
                </li>
              ))}
            </ul>
            <p>{check.advice}</p>
          </div>
        )}
      </div>
      <div className="row">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void run('check', () => call('database.check', {}))}
        >
          Check the database
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void run('backup', () => call('backups.create', {}))}
        >
          {working === 'backup' ? 'Backing up…' : 'Back up now'}
        </button>
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {status?.backupError && !problem && (
        <p className="error">The last backup failed: {status.backupError}</p>
      )}
      {status && status.backups.length === 0 ? (
        <p className="muted small backups-note">
          No backups yet. The app takes one a day while it runs and keeps the newest 7, in{' '}
          <span className="mono">{status.backupsDir}</span>.
        </p>
      ) : (
        status && (
          <table className="table" data-testid="backups">
            <caption>
              Daily backups, newest 7 kept, in <span className="mono">{status.backupsDir}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Taken</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">
                  <span className="visually-hidden">Restore</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {status.backups.map((b) => (
                <tr key={b.name}>
                  <td>{b.day}</td>
                  <td>{fmtDate(b.createdAt)}</td>
                  <td className="num">{mb(b.sizeBytes)}</td>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      disabled={busy}
                      onClick={() => void restore(b)}
                      aria-label={`Restore the backup from ${b.day}`}
                    >
                      Restore
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
    </section>
  )
}
