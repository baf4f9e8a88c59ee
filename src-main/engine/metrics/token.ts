import { randomBytes } from 'node:crypto'
import type { Db } from '../db/connection'

/**
 * The endpoint's bearer token lives in the settings table under a key that is not a setting:
 * `settings.get` never returns it and `settings.set` cannot write it (its schema knows only the
 * settings' keys). Only `metrics.token` shows it, and `metrics.renewToken` replaces it.
 */
export const TOKEN_KEY = 'metrics.token'

/** 32 random bytes, base64url: 43 characters, safe in a header and in a YAML file. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** The stored token, or null before the first one is made. */
export function storedToken(db: Db): string | null {
  const text = db
    .prepare('SELECT value_json FROM settings WHERE key = ?')
    .pluck()
    .get(TOKEN_KEY) as string | undefined
  if (text === undefined) return null
  const value = JSON.parse(text) as unknown
  return typeof value === 'string' && value.length > 0 ? value : null
}

function writeToken(db: Db, token: string, action: 'create-token' | 'renew-token'): void {
  const now = new Date().toISOString()
  db.transaction(() => {
    db.prepare(
      `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
    ).run(TOKEN_KEY, JSON.stringify(token), now)
    // the audit says that it changed, never what it is
    db.prepare(
      "INSERT INTO audit_log (at, action, entity_type, entity_id, details_json) VALUES (?, ?, 'metrics', 'token', '{}')",
    ).run(now, action)
  })()
}

/** The stored token, made (and stored) on first use. */
export function ensureToken(db: Db): { token: string; created: boolean } {
  const token = storedToken(db)
  if (token !== null) return { token, created: false }
  const made = newToken()
  writeToken(db, made, 'create-token')
  return { token: made, created: true }
}

/** Replaces the token; the old one stops working at once. */
export function renewToken(db: Db): string {
  const made = newToken()
  writeToken(db, made, storedToken(db) === null ? 'create-token' : 'renew-token')
  return made
}
