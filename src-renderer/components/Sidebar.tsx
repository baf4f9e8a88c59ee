import { SCREENS, type Screen, useApp } from '../store/app-store'
import { ScreenIcon } from './icons'

export const SCREEN_LABELS: Record<Screen, string> = {
  import: 'Import',
  data: 'Data',
  models: 'Models',
  predict: 'Predict',
  drift: 'Drift',
  activity: 'Activity',
  reports: 'Reports',
  settings: 'Settings',
}

export function Sidebar() {
  const screen = useApp((s) => s.screen)
  const go = useApp((s) => s.go)
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path
            d="M9 3h6M10 3v6l-5 9a2 2 0 0 0 1.8 3h10.4a2 2 0 0 0 1.8-3l-5-9V3"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeLinejoin="round"
          />
          <path d="M7.5 15h9" stroke="currentColor" strokeWidth="1.6" />
        </svg>
        <span>Assay Workbench</span>
      </div>
      <ul>
        {SCREENS.map((s, i) => (
          <li key={s}>
            <button
              type="button"
              className="nav-item"
              aria-current={s === screen ? 'page' : undefined}
              onClick={() => go(s)}
              title={`${SCREEN_LABELS[s]} (Alt+${i + 1})`}
            >
              <ScreenIcon screen={s} />
              <span>{SCREEN_LABELS[s]}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="sidebar-foot">Data: ChEMBL (EMBL-EBI), CC BY-SA 3.0</p>
    </nav>
  )
}
