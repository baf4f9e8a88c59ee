import type { Screen } from '../store/app-store'

// Line icons drawn on a 20x20 grid; stroke follows the text colour.
const paths: Record<Screen, string> = {
  import:
    'M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M4 13v2.5A1.5 1.5 0 0 0 5.5 17h9a1.5 1.5 0 0 0 1.5-1.5V13',
  data: 'M3 5.5h14M3 10h14M3 14.5h14M7.5 3v14',
  models: 'M10 3v4m0 0-4 4m4-4 4 4M6 11v2m8-2v2M4 15h4m4 0h4',
  predict: 'M3 16 8 10l3 3 6-8M13 5h4v4',
  drift: 'M3 12c2-4 4-4 6 0s4 4 6 0 2-3 2-3M3 16h14',
  activity: 'M10 3.5a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13M10 6.5V10l2.5 2',
  reports: 'M6 3h6l3 3v11H6zM12 3v3h3M8 10h5M8 13h5',
  settings:
    'M10 7.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5M10 2.5v2M10 15.5v2M2.5 10h2M15.5 10h2M4.7 4.7l1.4 1.4M13.9 13.9l1.4 1.4M4.7 15.3l1.4-1.4M13.9 6.1l1.4-1.4',
}

export function ScreenIcon({ screen }: { screen: Screen }) {
  return (
    <svg className="icon" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
      <path
        d={paths[screen]}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
