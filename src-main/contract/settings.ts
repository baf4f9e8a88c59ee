import { z } from 'zod'
import { DEFAULT_METRICS_BIND, DEFAULT_METRICS_PORT } from './metrics'

/**
 * Every user setting with its schema and default. A setting that is not listed here cannot be
 * stored, so a typo in a key is an `invalid-input` error instead of a silently ignored value.
 */
export const settingSchemas = {
  theme: z.enum(['system', 'light', 'dark']),
  /** serve /metrics and /health on their own port (off by default) */
  'metrics.enabled': z.boolean(),
  'metrics.port': z.number().int().min(1024).max(65535),
  /** the address the endpoint listens on: loopback by default; any other needs the token */
  'metrics.bind': z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]),
  /** also answer POST /predict (always behind the token; off by default) */
  'metrics.predict': z.boolean(),
  'import.computeDescriptors': z.boolean(),
  /** check new imports and prediction batches for drift against the production model */
  'drift.autoCheck': z.boolean(),
} as const

export type SettingKey = keyof typeof settingSchemas
export type Settings = { [K in SettingKey]: z.infer<(typeof settingSchemas)[K]> }

export const settingDefaults: Settings = {
  theme: 'system',
  'metrics.enabled': false,
  'metrics.port': DEFAULT_METRICS_PORT,
  'metrics.bind': DEFAULT_METRICS_BIND,
  'metrics.predict': false,
  'import.computeDescriptors': true,
  'drift.autoCheck': true,
}

export const settingKeys = Object.keys(settingSchemas) as SettingKey[]

/** `settings.set` input: a key and a value checked against that key's own schema. */
export const settingsSetInput = z
  .object({
    key: z.enum(settingKeys as [SettingKey, ...SettingKey[]]),
    value: z.unknown(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const parsed = settingSchemas[input.key].safeParse(input.value)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['value', ...issue.path], message: issue.message })
      }
    }
  })
