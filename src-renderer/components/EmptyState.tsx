import type { ReactNode } from 'react'
import { type Screen, useApp } from '../store/app-store'

interface Props {
  title: string
  children: ReactNode
  action?: { label: string; screen: Screen }
  steps?: string[]
}

/** What a screen shows before there is anything on it: what it is for and the next step. */
export function EmptyState({ title, children, action, steps }: Props) {
  const go = useApp((s) => s.go)
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      <div className="empty-body">{children}</div>
      {steps && (
        <ol className="steps">
          {steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      )}
      {action && (
        <button type="button" className="button primary" onClick={() => go(action.screen)}>
          {action.label}
        </button>
      )}
    </section>
  )
}
