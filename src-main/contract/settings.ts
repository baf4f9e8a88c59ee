import { z } from 'zod'
import { DEFAULT_METRICS_BIND, DEFAULT_METRICS_PORT } from './metrics'
import { watchAfterImport, watchPatterns } from './automation'

/** An absolute path on POSIX or Windows (the engine checks the folder itself when it watches). */
const absolutePath = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'must be a full path to a folder, like /home/me/exports')

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
  /** import new exports that land in `watch.folder` (off by default) */
  'watch.enabled': z.boolean(),
  'watch.folder': absolutePath.nullable(),
  'watch.patterns': z.array(z.enum(watchPatterns)).min(1).max(watchPatterns.length),
  /** leave a handled file, or move it to imported/ or rejected/ beside it */
  'watch.afterImport': z.enum(watchAfterImport),
  /** a file is complete once its size and modification time stood still this long */
  'watch.stableSeconds': z.number().min(0.2).max(120),
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
  'watch.enabled': false,
  'watch.folder': null,
  'watch.patterns': [...watchPatterns],
  'watch.afterImport': 'leave',
  'watch.stableSeconds': 3,
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
