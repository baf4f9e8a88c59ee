import {
  type SettingKey,
  type Settings,
  settingDefaults,
  settingKeys,
  settingSchemas,
} from '../../contract'
import type { Db } from './connection'

/** Reads every setting, falling back to the default for a missing or no longer valid value. */
export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value_json FROM settings').all() as {
    key: string
    value_json: string
  }[]
  const settings: Record<string, unknown> = { ...settingDefaults }
  for (const row of rows) {
    if (!(settingKeys as string[]).includes(row.key)) continue
    const parsed = settingSchemas[row.key as SettingKey].safeParse(JSON.parse(row.value_json))
    if (parsed.success) settings[row.key] = parsed.data
  }
  return settings as Settings
}

export function writeSetting(db: Db, key: SettingKey, value: unknown, now = new Date()): void {
  db.prepare(
    `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), now.toISOString())
}
