import { useEffect } from 'react'
import { on } from './api/client'
import { AutomationBanner } from './components/AutomationBanner'
import { ScreenBoundary } from './components/ScreenBoundary'
import { CompoundPanelHost } from './components/chem/CompoundPanel'
import { SCREEN_LABELS, Sidebar } from './components/Sidebar'
import { StatusBar } from './components/StatusBar'
import { ActivityScreen } from './screens/ActivityScreen'
import { DataScreen } from './screens/DataScreen'
import { DriftScreen } from './screens/DriftScreen'
import { ImportScreen } from './screens/ImportScreen'
import { ModelsScreen } from './screens/ModelsScreen'
import { PredictScreen } from './screens/PredictScreen'
import { ReportsScreen } from './screens/ReportsScreen'
import { SettingsScreen } from './screens/SettingsScreen'
import { SCREENS, type Screen, connectEvents, useApp } from './store/app-store'
import { onActivity } from './store/automation-store'

const SCREEN_COMPONENTS: Record<Screen, () => React.JSX.Element> = {
  import: ImportScreen,
  data: DataScreen,
  models: ModelsScreen,
  predict: PredictScreen,
  drift: DriftScreen,
  activity: ActivityScreen,
  reports: ReportsScreen,
  settings: SettingsScreen,
}

const STATUS_REFRESH_MS = 5000

export function App() {
  const screen = useApp((s) => s.screen)
  const theme = useApp((s) => s.settings?.theme ?? 'system')

  useEffect(() => {
    const disconnect = connectEvents()
    // a notable entry of the automation's timeline raises the banner, whatever screen is shown
    const offActivity = on('automation.activity', onActivity)
    const { refreshStatus, loadSettings } = useApp.getState()
    void refreshStatus()
    void loadSettings().catch(() => undefined)
    const timer = window.setInterval(() => void refreshStatus(), STATUS_REFRESH_MS)
    return () => {
      disconnect()
      offActivity()
      window.clearInterval(timer)
    }
  }, [])

  // 'system' leaves the colour scheme to the OS through CSS; light and dark pin it.
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme
    else document.documentElement.dataset.theme = theme
  }, [theme])

  // Alt+1 … Alt+8 switch screens.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return
      const target = SCREENS[Number(e.key) - 1]
      if (target) {
        e.preventDefault()
        useApp.getState().go(target)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const Current = SCREEN_COMPONENTS[screen]
  // A failed screen offers Import as the way out (Settings when Import itself failed).
  const home: Screen = screen === 'import' ? 'settings' : 'import'
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="content" tabIndex={-1} data-screen={screen}>
        <AutomationBanner />
        {/* keyed by screen: leaving a failed screen and coming back tries it afresh */}
        <ScreenBoundary
          key={screen}
          screen={screen}
          label={SCREEN_LABELS[screen]}
          home={{ screen: home, label: SCREEN_LABELS[home] }}
          go={(s) => useApp.getState().go(s)}
        >
          <Current />
        </ScreenBoundary>
      </main>
      <StatusBar />
      <CompoundPanelHost />
    </div>
  )
}
