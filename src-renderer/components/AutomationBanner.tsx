import { useApp } from '../store/app-store'
import { useAutomation } from '../store/automation-store'

/**
 * The newest notable thing the automation did (a challenger promoted or kept, a file rejected, a
 * retrain that failed), at the top of every screen until it is dismissed: the user may not be
 * looking at the Activity screen when a production model changes.
 */
export function AutomationBanner() {
  const banner = useAutomation((s) => s.banner)
  const dismiss = useAutomation((s) => s.dismissBanner)
  const go = useApp((s) => s.go)
  if (!banner) return null
  return (
    <div
      className={`automation-banner level-${banner.level}`}
      role={banner.level === 'warning' ? 'alert' : 'status'}
      data-testid="automation-banner"
    >
      {/* the sentence names its target and file itself */}
      <p>{banner.summary}</p>
      <div className="row">
        <button
          type="button"
          className="button"
          onClick={() => {
            dismiss()
            go('activity')
          }}
        >
          Show activity
        </button>
        <button
          type="button"
          className="button"
          aria-label="Dismiss this message"
          onClick={dismiss}
        >
          Dismiss
        </button>
      </div>
    </div>
  )
}
