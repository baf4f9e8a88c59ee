import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'

interface Props {
  title: string
  children: ReactNode
  /** the confirming button's text, e.g. "Promote v3" */
  confirmLabel: string
  /** what the reason field asks, e.g. "Why promote v3?" */
  reasonLabel: string
  /** the reason may be left empty (deleting a report); required by default */
  optional?: boolean
  placeholder?: string
  onConfirm(reason: string): Promise<void>
  onClose(): void
}

/**
 * A modal that asks for a reason before a change the audit log records (promote, roll back) and
 * needs a second, deliberate click: one stray click in the registry used to change which model
 * every prediction uses, with a made-up reason. The native dialog keeps focus inside it, closes
 * on Escape and returns focus to the element that opened it.
 */
export function ReasonDialog({
  title,
  children,
  confirmLabel,
  reasonLabel,
  optional = false,
  placeholder = 'e.g. lower cross-validated RMSE on the 2024 data',
  onConfirm,
  onClose,
}: Props) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!optional && reason.trim() === '') {
      setProblem('Say why: the reason is kept in the audit log with the change.')
      return
    }
    setBusy(true)
    setProblem(null)
    try {
      await onConfirm(reason.trim())
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error))
      setBusy(false)
    }
  }

  return (
    <dialog
      ref={ref}
      className="reason-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <form onSubmit={(e) => void submit(e)}>
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{children}</div>
        <label className="field wide-field">
          <span>{reasonLabel}</span>
          <textarea
            value={reason}
            rows={3}
            maxLength={500}
            aria-required={!optional}
            onChange={(e) => setReason(e.target.value)}
            placeholder={placeholder}
          />
        </label>
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
        <div className="row dialog-buttons">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  )
}
