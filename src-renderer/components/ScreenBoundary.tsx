import { Component, type ErrorInfo, type ReactNode } from 'react'
import type { Screen } from '../store/app-store'

interface Props {
  screen: Screen
  label: string
  /** Where "Go to …" leads: a screen that does not depend on the one that failed. */
  home: { screen: Screen; label: string }
  go(screen: Screen): void
  children: ReactNode
}

interface State {
  error: Error | null
}

/**
 * Catches an error thrown while one screen renders, so that screen shows what went wrong and a way
 * out instead of React unmounting the whole window (a bad row on the Data screen used to leave a
 * blank app with no navigation). The sidebar and status bar sit outside it and keep working.
 */
export class ScreenBoundary extends Component<Props, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // Kept for whoever reads the developer console or a bug report; the screen says it in words.
    console.error(`The ${this.props.label} screen failed:`, error, info.componentStack)
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    const { label, home, screen, go } = this.props
    return (
      <section className="empty-state screen-error" role="alert" data-testid="screen-error">
        <h1>{label}</h1>
        <h2>This screen ran into a problem and could not be shown</h2>
        <p>
          Nothing was lost: your data and models are in the database as before. Try again, or go to
          another screen and come back.
        </p>
        <p className="mono small">{error.message}</p>
        <div className="row">
          <button
            type="button"
            className="button primary"
            onClick={() => this.setState({ error: null })}
          >
            Try the {label} screen again
          </button>
          {home.screen !== screen && (
            <button type="button" className="button" onClick={() => go(home.screen)}>
              Go to {home.label}
            </button>
          )}
        </div>
      </section>
    )
  }
}
